// SPDX-License-Identifier: Apache-2.0
// Devices, the device agent's and the employee's side (docs/devices.md). The agent holds a
// device credential (Authorization: Bearer cdc_...), obtained once for its enrollment token:
//   POST /api/v1/device/enroll               {enrollment_token} -> {device_id, credential}
//   POST /api/v1/device/posture              a posture report; answers the evaluation and the
//                                            commands picked up at this check-in (-> sent)
//   POST /api/v1/device/checkin              the pending commands only
//   POST /api/v1/device/commands/{uuid}/ack  {status: acknowledged|failed, detail?}
//   POST /api/v1/device/messages             one canonical message sent from this device,
//                                            through the ingest gate (403 device_blocked)
// The employee uses the credential of any of their enrolled devices (the agent app shows it):
//   GET  /api/v1/me/devices                  their devices: state, messaging, remediation steps
//   POST /api/v1/me/devices/{id}/report-lost self-service report of one of their devices
#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "capture/jsonl.h"
#include "devices/json_views.h"
#include "http/respond.h"
#include "http/routes.h"
#include "http/routes/devices_support.h"

namespace custos::http {
namespace {

using devices_routes::AuthenticateDevice;
using devices_routes::SendStatus;
using devices_routes::StringMember;

Json Commands(const std::vector<devices::Command>& commands) {
  return Json::parse(devices::CommandListJson(commands))["items"];
}

void Redeem(app::Custos& c, const httplib::Request& req, httplib::Response& res) {
  auto body = ParseObjectBody(req, {"enrollment_token"});
  if (!body) {
    SendError(res, body.error());
    return;
  }
  auto token = StringMember(*body, "enrollment_token", true);
  if (!token) {
    SendStatus(res, token.error());
    return;
  }
  auto credential = c.devices().Redeem(*token);
  if (!credential) {
    SendError(res, credential.error(), 0, "enrollment_token");
    return;
  }
  auto device = c.devices().Authenticate(*credential);
  SendJson(res, 201,
           Json{{"device_id", device ? *device : std::string()}, {"credential", *credential}});
}

void Posture(app::Custos& c, const httplib::Request& req, httplib::Response& res) {
  const auto device = AuthenticateDevice(c, req, res);
  if (!device) {
    return;
  }
  auto parsed = ParseJsonBody(req.body);
  if (!parsed) {
    SendError(res, parsed.error());
    return;
  }
  Json report_json = std::move(parsed).value();
  if (!report_json.is_object()) {
    SendError(res, core::InvalidArgument("expected a posture report object"));
    return;
  }
  if (report_json.contains("device_id") && report_json["device_id"] != *device) {
    SendError(res, core::PermissionDenied("device_id: not the device of this credential"), 0,
              "device_id");
    return;
  }
  report_json["device_id"] = *device;
  auto report = devices::ParsePostureJson(report_json.dump());
  if (!report) {
    SendStatus(res, report.error());
    return;
  }
  // Whatever the body says, a report through the agent API is the app's self-report: MDM
  // sources come in through /hooks/nanomdm and /api/v1/devices/{id}/amapi.
  auto outcome =
      c.devices().SubmitPosture(*device, std::move(*report), devices::PostureChannel::kAgent);
  if (!outcome) {
    SendStatus(res, outcome.error());
    return;
  }
  auto delivered = c.devices().Deliver(*device);
  Json remediation = Json::array();
  for (const std::string& m : outcome->verdict.user_messages) {
    remediation.push_back(m);
  }
  SendJson(res, 200,
           Json{{"device_id", *device},
                {"state", devices::Name(outcome->verdict.state)},
                {"messaging", devices::Name(outcome->verdict.access)},
                {"applied", outcome->applied},
                {"ignored_reason", outcome->ignored_reason},
                {"check_blocked_apps", outcome->check_blocked_apps},
                {"privacy_dropped", outcome->privacy.dropped},
                {"privacy_dropped_fields", outcome->privacy.fields},
                {"remediation", remediation},
                {"commands", delivered ? Commands(*delivered) : Json::array()}});
}

void Checkin(app::Custos& c, const httplib::Request& req, httplib::Response& res) {
  const auto device = AuthenticateDevice(c, req, res);
  if (!device) {
    return;
  }
  auto delivered = c.devices().Deliver(*device);
  if (!delivered) {
    SendError(res, delivered.error());
    return;
  }
  // The blocked-app list the agent checks before its next report (never an inventory back).
  auto blocked = c.devices().BlockedAppsToCheck(*device);
  SendJson(res, 200,
           Json{{"device_id", *device},
                {"commands", Commands(*delivered)},
                {"check_blocked_apps", blocked ? Json(*blocked) : Json::array()}});
}

void Ack(app::Custos& c, const httplib::Request& req, httplib::Response& res) {
  const auto device = AuthenticateDevice(c, req, res);
  if (!device) {
    return;
  }
  auto body = ParseObjectBody(req, {"status", "detail"});
  if (!body) {
    SendError(res, body.error());
    return;
  }
  auto status = StringMember(*body, "status", true);
  auto detail = StringMember(*body, "detail", false);
  if (!status || !detail) {
    SendStatus(res, !status ? status.error() : detail.error());
    return;
  }
  if (*status != "acknowledged" && *status != "failed") {
    SendError(res, core::InvalidArgument("status: expected acknowledged or failed"), 0, "status");
    return;
  }
  const core::Status s =
      c.devices().AckCommand(*device, req.matches[1].str(), *status == "acknowledged", *detail);
  if (!s.ok()) {
    SendStatus(res, s);
    return;
  }
  SendJson(res, 200, Json{{"uuid", req.matches[1].str()}, {"state", *status}});
}

void SendMessage(app::Custos& c, const httplib::Request& req, httplib::Response& res) {
  const auto device = AuthenticateDevice(c, req, res);
  if (!device) {
    return;
  }
  capture::DecodeError error;
  auto message = capture::DecodeMessage(req.body, &error);
  if (!message) {
    SendError(res, core::InvalidArgument(message.error().message()), 0, error.field);
    return;
  }
  // The message is the device's person's, sent from this device: another sender is 403, an
  // inbound message 422 (docs/devices.md, "The gate on messaging").
  if (const core::Status bound = c.devices().BindDeviceMessage(*device, *message); !bound.ok()) {
    const bool direction = bound.code() == core::StatusCode::kInvalidArgument;
    SendError(res, bound, direction ? 422 : 0, direction ? "direction" : "from");
    return;
  }
  std::vector<app::IngestOutcome> out =
      c.ingest().Ingest({std::move(*message)}, app::Enforcement::kEnforce, *device);
  const app::IngestOutcome& o = out.at(0);
  switch (o.status) {
    case app::IngestStatus::kRejected:
      SendError(res, core::InvalidArgument(o.error), 0, o.field);
      return;
    case app::IngestStatus::kFailed:
      SendError(res, core::Unavailable("the message was not stored: " + o.error));
      return;
    case app::IngestStatus::kBlocked: {
      const bool by_device = !o.device_id.empty();
      SendJson(res, by_device ? 403 : 422,
               Json{{"error",
                     {{"code", by_device ? "device_blocked" : "blocked_by_policy"},
                      {"message", o.error},
                      {"field", by_device ? "device" : ""},
                      {"request_id", RequestIdOf(res)}}},
                    {"id", o.id},
                    {"status", "blocked"},
                    {"device_id", *device}});
      return;
    }
    case app::IngestStatus::kAccepted:
    case app::IngestStatus::kDuplicate:
      SendJson(
          res, 200,
          Json{{"id", o.id}, {"status", app::IngestStatusName(o.status)}, {"device_id", *device}});
      return;
  }
}

// The employee view of one device: what is wrong and what to do about it.
Json EmployeeDevice(const devices::DeviceInfo& d) {
  Json steps = Json::array();
  for (const devices::RuleResult& r : d.results) {
    if (r.outcome != devices::Outcome::kFail && r.outcome != devices::Outcome::kUnknown) {
      continue;
    }
    steps.push_back({{"rule", r.rule_id},
                     {"outcome", devices::Name(r.outcome)},
                     {"severity", devices::Name(r.severity)},
                     {"observed", r.observed},
                     {"expected", r.expected},
                     {"remediation", r.remediation},
                     {"grace_ends_at",
                      r.grace_ends_at ? Json(core::FormatRfc3339(*r.grace_ends_at)) : Json()}});
  }
  return {{"device_id", d.device_id},
          {"platform", devices::Name(d.platform)},
          {"ownership", devices::Name(d.ownership)},
          {"state", devices::Name(d.state)},
          {"messaging", devices::Name(d.access)},
          {"lost_state", devices::Name(d.lost)},
          {"posture_at", d.posture_at ? Json(core::FormatRfc3339(*d.posture_at)) : Json()},
          {"remediation", steps}};
}

// The devices of the person behind the credential (the credential's own first is not
// promised: enrollment order); nullopt after writing the error.
std::optional<std::pair<std::string, std::vector<devices::DeviceInfo>>> Employee(
    app::Custos& c, const httplib::Request& req, httplib::Response& res) {
  const auto device = AuthenticateDevice(c, req, res);
  if (!device) {
    return std::nullopt;
  }
  auto info = c.devices().Get(*device);
  auto list = c.devices().PersonDevices(*device);
  if (!info || !list) {
    SendError(res, !info ? info.error() : list.error());
    return std::nullopt;
  }
  return std::make_pair(info->person, std::move(*list));
}

void MyDevices(app::Custos& c, const httplib::Request& req, httplib::Response& res) {
  const auto mine = Employee(c, req, res);
  if (!mine || !AcceptQueryParams(req, res, {})) {
    return;
  }
  const auto& [person, list] = *mine;
  Json items = Json::array();
  for (const auto& d : list) {
    items.push_back(EmployeeDevice(d));
  }
  SendJson(res, 200, Json{{"person", person}, {"items", items}});
}

void MyReportLost(app::Custos& c, const httplib::Request& req, httplib::Response& res) {
  const auto mine = Employee(c, req, res);
  if (!mine) {
    return;
  }
  const std::string id = req.matches[1].str();
  const auto& list = mine->second;
  if (std::none_of(list.begin(), list.end(),
                   [&id](const devices::DeviceInfo& d) { return d.device_id == id; })) {
    SendError(res, core::NotFound("no device '" + id + "' of yours"));
    return;
  }
  auto t = c.devices().ReportLost(id, "employee:" + mine->first);
  if (!t) {
    SendStatus(res, t.error());
    return;
  }
  devices_routes::DispatchCommands(c);
  auto d = c.devices().Get(id);
  SendJson(res, 200, d ? EmployeeDevice(*d) : Json::object());
}

}  // namespace

void AddDeviceAgentRoutes(RouteContext* ctx, RouteList& routes) {
  const auto on = [ctx](auto fn) {
    return [ctx, fn](const httplib::Request& req, httplib::Response& res) {
      fn(*ctx->custos, req, res);
    };
  };
  // needs_token = false: these routes check the device credential themselves.
  routes.push_back({"POST", "/api/v1/device/enroll", false, on(Redeem)});
  routes.push_back({"POST", "/api/v1/device/posture", false, on(Posture)});
  routes.push_back({"POST", "/api/v1/device/checkin", false, on(Checkin)});
  routes.push_back({"POST", "/api/v1/device/commands/{uuid}/ack", false, on(Ack)});
  routes.push_back({"POST", "/api/v1/device/messages", false, on(SendMessage)});
  routes.push_back({"GET", "/api/v1/me/devices", false, on(MyDevices)});
  routes.push_back({"POST", "/api/v1/me/devices/{id}/report-lost", false, on(MyReportLost)});
}

}  // namespace custos::http
