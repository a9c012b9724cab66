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
#include <optional>
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

using devices_routes::StringMember;

Json Commands(const std::vector<devices::Command>& commands) {
  return Json::parse(devices::CommandListJson(commands))["items"];
}

core::Result<Response> Redeem(RequestContext& ctx) {
  ASSIGN_OR_RETURN(Json body, ParseObjectBody(ctx.request, {"enrollment_token"}));
  ASSIGN_OR_RETURN(std::string token, StringMember(body, "enrollment_token", true));
  ASSIGN_OR_RETURN(std::string credential,
                   ctx.Detail(ctx.custos.devices().Redeem(token), {0, "enrollment_token"}));
  auto device = ctx.custos.devices().Authenticate(credential);
  return JsonResponse(
      201, Json{{"device_id", device ? *device : std::string()}, {"credential", credential}});
}

core::Result<Response> Posture(RequestContext& ctx) {
  const std::string& device = ctx.principal.device_id;
  ASSIGN_OR_RETURN(Json report_json, ParseJsonBody(ctx.request.body));
  if (!report_json.is_object()) {
    return core::InvalidArgument("expected a posture report object");
  }
  if (report_json.contains("device_id") && report_json["device_id"] != device) {
    return ctx.Fail(core::PermissionDenied("device_id: not the device of this credential"),
                    {0, "device_id"});
  }
  report_json["device_id"] = device;
  ASSIGN_OR_RETURN(auto report, devices::ParsePostureJson(report_json.dump()));
  // Whatever the body says, a report through the agent API is the app's self-report: MDM
  // sources come in through /hooks/nanomdm and /api/v1/devices/{id}/amapi.
  ASSIGN_OR_RETURN(auto outcome, ctx.custos.devices().SubmitPosture(
                                     device, std::move(report), devices::PostureChannel::kAgent));
  auto delivered = ctx.custos.devices().Deliver(device);
  Json remediation = Json::array();
  for (const std::string& m : outcome.verdict.user_messages) {
    remediation.push_back(m);
  }
  return JsonResponse(200, Json{{"device_id", device},
                                {"state", devices::Name(outcome.verdict.state)},
                                {"messaging", devices::Name(outcome.verdict.access)},
                                {"applied", outcome.applied},
                                {"ignored_reason", outcome.ignored_reason},
                                {"check_blocked_apps", outcome.check_blocked_apps},
                                {"privacy_dropped", outcome.privacy.dropped},
                                {"privacy_dropped_fields", outcome.privacy.fields},
                                {"remediation", remediation},
                                {"commands", delivered ? Commands(*delivered) : Json::array()}});
}

core::Result<Response> Checkin(RequestContext& ctx) {
  const std::string& device = ctx.principal.device_id;
  ASSIGN_OR_RETURN(auto delivered, ctx.custos.devices().Deliver(device));
  // The blocked-app list the agent checks before its next report (never an inventory back).
  auto blocked = ctx.custos.devices().BlockedAppsToCheck(device);
  return JsonResponse(200, Json{{"device_id", device},
                                {"commands", Commands(delivered)},
                                {"check_blocked_apps", blocked ? Json(*blocked) : Json::array()}});
}

core::Result<Response> Ack(RequestContext& ctx) {
  ASSIGN_OR_RETURN(Json body, ParseObjectBody(ctx.request, {"status", "detail"}));
  ASSIGN_OR_RETURN(std::string status, StringMember(body, "status", true));
  ASSIGN_OR_RETURN(std::string detail, StringMember(body, "detail", false));
  if (status != "acknowledged" && status != "failed") {
    return core::InvalidArgument("status: expected acknowledged or failed");
  }
  const std::string uuid(ctx.PathParam("uuid"));
  RETURN_IF_ERROR(ctx.custos.devices().AckCommand(ctx.principal.device_id, uuid,
                                                  status == "acknowledged", detail));
  return JsonResponse(200, Json{{"uuid", uuid}, {"state", status}});
}

core::Result<Response> SendMessage(RequestContext& ctx) {
  const std::string& device = ctx.principal.device_id;
  capture::DecodeError error;
  auto message = capture::DecodeMessage(ctx.request.body, &error);
  if (!message) {
    return ctx.Fail(core::InvalidArgument(message.error().message()), {0, error.field});
  }
  // The message is the device's person's, sent from this device: another sender is 403, an
  // inbound message 422 (docs/devices.md, "The gate on messaging").
  if (core::Status bound = ctx.custos.devices().BindDeviceMessage(device, *message); !bound.ok()) {
    const bool direction = bound.code() == core::StatusCode::kInvalidArgument;
    return ctx.Fail(std::move(bound), {direction ? 422 : 0, direction ? "direction" : "from"});
  }
  std::vector<app::IngestOutcome> out =
      ctx.custos.ingest().Ingest({std::move(*message)}, app::Enforcement::kEnforce, device);
  const app::IngestOutcome& o = out.at(0);
  switch (o.status) {
    case app::IngestStatus::kRejected:
      return ctx.Fail(core::InvalidArgument(o.error), {0, o.field});
    case app::IngestStatus::kFailed:
      return core::Unavailable("the message was not stored: " + o.error);
    case app::IngestStatus::kBlocked: {
      const bool by_device = !o.device_id.empty();
      return JsonResponse(by_device ? 403 : 422,
                          Json{{"error",
                                {{"code", by_device ? "device_blocked" : "blocked_by_policy"},
                                 {"message", o.error},
                                 {"field", by_device ? "device" : ""},
                                 {"request_id", ctx.request_id}}},
                               {"id", o.id},
                               {"status", "blocked"},
                               {"device_id", device}});
    }
    case app::IngestStatus::kAccepted:
    case app::IngestStatus::kDuplicate:
      break;
  }
  return JsonResponse(
      200, Json{{"id", o.id}, {"status", app::IngestStatusName(o.status)}, {"device_id", device}});
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

// The person behind the credential and their devices (enrollment order).
core::Result<std::pair<std::string, std::vector<devices::DeviceInfo>>> Employee(
    RequestContext& ctx) {
  const std::string& device = ctx.principal.device_id;
  ASSIGN_OR_RETURN(auto info, ctx.custos.devices().Get(device));
  ASSIGN_OR_RETURN(auto list, ctx.custos.devices().PersonDevices(device));
  return std::make_pair(info.person, std::move(list));
}

core::Result<Response> MyDevices(RequestContext& ctx) {
  ASSIGN_OR_RETURN(auto mine, Employee(ctx));
  Json items = Json::array();
  for (const auto& d : mine.second) {
    items.push_back(EmployeeDevice(d));
  }
  return JsonResponse(200, Json{{"person", mine.first}, {"items", items}});
}

// The employee reports one of their devices lost; the actor is the device whose credential
// made the report ("device:<id>"), never an identity taken from the request.
core::Result<Response> MyReportLost(RequestContext& ctx) {
  ASSIGN_OR_RETURN(auto mine, Employee(ctx));
  const std::string id(ctx.PathParam("id"));
  const auto& list = mine.second;
  if (std::none_of(list.begin(), list.end(),
                   [&id](const devices::DeviceInfo& d) { return d.device_id == id; })) {
    return core::NotFound("no device '" + id + "' of yours");
  }
  RETURN_IF_ERROR(ctx.custos.devices().ReportLost(id, ctx.principal.Actor()).status());
  devices_routes::DispatchCommands(ctx.custos);
  auto d = ctx.custos.devices().Get(id);
  return JsonResponse(200, d ? EmployeeDevice(*d) : Json::object());
}

Route Agent(std::string method, std::string path, Handler handler,
            std::optional<std::vector<std::string>> query = std::nullopt) {
  Route route = MakeRoute(std::move(method), std::move(path), {AuthScheme::kDeviceCredential},
                          Permission::kDeviceAgent, std::move(handler));
  route.query = std::move(query);
  return route;
}

}  // namespace

void AddDeviceAgentRoutes(RouteList& routes) {
  // Redeeming an enrollment token is how a device gets its credential: no credential yet.
  routes.push_back(MakeRoute("POST", "/api/v1/device/enroll", {AuthScheme::kPublic},
                             Permission::kPublic, Redeem));
  routes.push_back(Agent("POST", "/api/v1/device/posture", Posture));
  routes.push_back(Agent("POST", "/api/v1/device/checkin", Checkin));
  routes.push_back(Agent("POST", "/api/v1/device/commands/{uuid}/ack", Ack));
  routes.push_back(Agent("POST", "/api/v1/device/messages", SendMessage));
  routes.push_back(Agent("GET", "/api/v1/me/devices", MyDevices, std::vector<std::string>{}));
  routes.push_back(Agent("POST", "/api/v1/me/devices/{id}/report-lost", MyReportLost));
}

}  // namespace custos::http
