// SPDX-License-Identifier: Apache-2.0
// Devices, the administrator's side (docs/devices.md; admin bearer token):
//   POST /api/v1/devices                      enroll {person, platform, ownership[, mdm_id]}
//                                             -> device id + one-time enrollment token
//   GET  /api/v1/devices[?person=]            devices with state, messaging, lost state, rules
//   GET  /api/v1/devices/{id}                 one device
//   POST /api/v1/devices/{id}/report-lost     contain at once: block, revoke, queue a lock
//   POST /api/v1/devices/{id}/found | confirm-stolen | approve-wipe   {actor?}
//   GET  /api/v1/devices/{id}/commands        the command queue with states
//   POST /api/v1/devices/{id}/amapi           an Android Management API Device resource
//   GET  /api/v1/compliance/devices           counts by state, failing rule and lost state
// Queued Apple commands go to NanoMDM right away when it is configured.
#include <string>

#include "devices/amapi.h"
#include "devices/json_views.h"
#include "http/respond.h"
#include "http/routes.h"
#include "http/routes/devices_support.h"

namespace custos::http {
namespace {

using devices_routes::Actor;
using devices_routes::SendStatus;
using devices_routes::StringMember;

void Enroll(app::Custos& c, const httplib::Request& req, httplib::Response& res) {
  auto body =
      ParseObjectBody(req, {"person", "platform", "ownership", "mdm_id", "actor", "unlisted"});
  if (!body) {
    SendError(res, body.error());
    return;
  }
  auto person = StringMember(*body, "person", true);
  auto platform_text = StringMember(*body, "platform", true);
  auto ownership_text = StringMember(*body, "ownership", true);
  auto mdm_id = StringMember(*body, "mdm_id", false);
  for (const auto* r : {&person, &platform_text, &ownership_text, &mdm_id}) {
    if (!r->has_value()) {
      SendStatus(res, r->error());
      return;
    }
  }
  auto platform = devices::ParsePlatform(*platform_text);
  if (!platform || *platform == devices::Platform::kUnknown) {
    SendError(res,
              core::InvalidArgument("platform: '" + *platform_text +
                                    "' is not a platform custos can enroll; expected one of ios, "
                                    "ipados, android"),
              0, "platform");
    return;
  }
  auto ownership = devices::ParseOwnership(*ownership_text);
  if (!ownership || *ownership == devices::Ownership::kUnknown) {
    SendError(res,
              core::InvalidArgument("ownership: '" + *ownership_text +
                                    "' is not an ownership; expected one of corporate, personal"),
              0, "ownership");
    return;
  }
  const auto unlisted = body->find("unlisted");
  if (unlisted != body->end() && !unlisted->is_boolean()) {
    SendError(res, core::InvalidArgument("unlisted: expected true or false"), 0, "unlisted");
    return;
  }
  auto e = c.devices().Enroll(*person, *platform, *ownership, Actor(*body, "admin"), *mdm_id,
                              unlisted != body->end() && unlisted->get<bool>());
  if (!e) {
    SendStatus(res, e.error());
    return;
  }
  Json out = {{"device_id", e->device_id},
              {"enrollment_token", e->token},
              {"expires_at", core::FormatRfc3339(e->expires_at)},
              {"person_id", e->person_id}};
  if (!e->warning.empty()) {
    out["warning"] = e->warning;
  }
  SendJson(res, 201, out);
}

// GET /api/v1/devices filters (docs/devices.md); `compliance` is another name for `state`.
core::Status FilterDeviceList(const httplib::Request& req, Json& items) {
  const std::initializer_list<std::string_view> kStates = {"compliant", "in_grace", "noncompliant",
                                                           "unknown", "lost"};
  return FilterItems(req, items,
                     {{"state", "state", kStates},
                      {"compliance", "state", kStates},
                      {"platform", "platform", {"unknown", "ios", "ipados", "android"}},
                      {"lost_state",
                       "lost_state",
                       {"active", "reported", "contained", "wipe_pending", "wiped", "retired"}},
                      {"messaging", "messaging", {"allow", "warn", "restricted", "blocked"}},
                      {"ownership", "ownership", {"unknown", "corporate", "personal"}}});
}

void ListDevices(app::Custos& c, const httplib::Request& req, httplib::Response& res) {
  if (!AcceptQueryParams(
          req, res,
          {"person", "state", "compliance", "platform", "lost_state", "messaging", "ownership"})) {
    return;
  }
  auto list = c.devices().List(req.get_param_value("person"));
  if (!list) {
    SendError(res, list.error());
    return;
  }
  Json body = Json::parse(devices::DeviceListJson(*list));
  if (const core::Status s = FilterDeviceList(req, body["items"]); !s.ok()) {
    SendError(res, s, 400);
    return;
  }
  SendJson(res, 200, body);
}

void GetDevice(app::Custos& c, const httplib::Request& req, httplib::Response& res) {
  auto d = c.devices().Get(req.matches[1].str());
  if (!d) {
    SendError(res, d.error());
    return;
  }
  SendJson(res, 200, Json::parse(devices::DeviceJson(*d)));
}

// report-lost, found, confirm-stolen, approve-wipe: answers the device after the transition.
void LostVerb(app::Custos& c, const httplib::Request& req, httplib::Response& res,
              const std::string& verb) {
  auto body = ParseObjectBody(req, {"actor"});
  if (!body) {
    SendError(res, body.error());
    return;
  }
  const std::string id = req.matches[1].str();
  const std::string actor = Actor(*body, "admin");
  core::Status s;
  if (verb == "report-lost") {
    s = c.devices().ReportLost(id, actor).status();
  } else if (verb == "found") {
    s = c.devices().Found(id, actor);
  } else if (verb == "confirm-stolen") {
    s = c.devices().ConfirmStolen(id, actor).status();
  } else {
    s = c.devices().ApproveWipe(id, actor).status();
  }
  if (!s.ok()) {
    SendStatus(res, s);
    return;
  }
  devices_routes::DispatchCommands(c);
  auto d = c.devices().Get(id);
  if (!d) {
    SendError(res, d.error());
    return;
  }
  SendJson(res, 200, Json::parse(devices::DeviceJson(*d)));
}

void ListCommands(app::Custos& c, const httplib::Request& req, httplib::Response& res) {
  if (!AcceptQueryParams(req, res, {})) {
    return;
  }
  auto commands = c.devices().Commands(req.matches[1].str());
  if (!commands) {
    SendError(res, commands.error());
    return;
  }
  SendJson(res, 200, Json::parse(devices::CommandListJson(*commands)));
}

void PostAmapi(app::Custos& c, const httplib::Request& req, httplib::Response& res) {
  auto report = devices::ParseAmapiDevice(req.body);
  if (!report) {
    SendStatus(res, report.error());
    return;
  }
  // The AMAPI channel: an Android Management API Device resource, MDM trust.
  auto outcome = c.devices().SubmitPosture(req.matches[1].str(), std::move(*report),
                                           devices::PostureChannel::kMdm);
  if (!outcome) {
    SendStatus(res, outcome.error());
    return;
  }
  SendJson(res, 200,
           Json{{"device_id", req.matches[1].str()},
                {"state", devices::Name(outcome->verdict.state)},
                {"messaging", devices::Name(outcome->verdict.access)},
                {"applied", outcome->applied},
                {"ignored_reason", outcome->ignored_reason},
                {"privacy_dropped", outcome->privacy.dropped}});
}

void Compliance(app::Custos& c, httplib::Response& res) {
  auto report = c.devices().Report();
  if (!report) {
    SendError(res, report.error());
    return;
  }
  SendJson(res, 200, Json::parse(devices::ReportJson(*report)));
}

}  // namespace

void AddDeviceRoutes(RouteContext* ctx, RouteList& routes) {
  const auto on = [ctx](auto fn) {
    return [ctx, fn](const httplib::Request& req, httplib::Response& res) {
      fn(*ctx->custos, req, res);
    };
  };
  routes.push_back({"POST", "/api/v1/devices", true, on(Enroll)});
  routes.push_back({"GET", "/api/v1/devices", true, on(ListDevices)});
  routes.push_back({"GET", "/api/v1/compliance/devices", true,
                    [ctx](const httplib::Request& req, httplib::Response& res) {
                      if (AcceptQueryParams(req, res, {})) {
                        Compliance(*ctx->custos, res);
                      }
                    }});
  routes.push_back({"GET", "/api/v1/devices/{id}", true, on(GetDevice)});
  routes.push_back({"GET", "/api/v1/devices/{id}/commands", true, on(ListCommands)});
  routes.push_back({"POST", "/api/v1/devices/{id}/amapi", true, on(PostAmapi)});
  for (const std::string verb : {"report-lost", "found", "confirm-stolen", "approve-wipe"}) {
    routes.push_back({"POST", "/api/v1/devices/{id}/" + verb, true,
                      [ctx, verb](const httplib::Request& req, httplib::Response& res) {
                        LostVerb(*ctx->custos, req, res, verb);
                      }});
  }
}

}  // namespace custos::http
