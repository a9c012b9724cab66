// SPDX-License-Identifier: Apache-2.0
// Devices, the administrator's side (docs/devices.md; an API token with the devices permissions;
// the actor of every change is the caller, http/principal.h):
//   POST /api/v1/devices                      enroll {person, platform, ownership[, mdm_id]}
//                                             -> device id + one-time enrollment token
//   GET  /api/v1/devices[?person=]            devices with state, messaging, lost state, rules
//   GET  /api/v1/devices/{id}                 one device
//   POST /api/v1/devices/{id}/report-lost     contain at once: block, revoke, queue a lock
//   POST /api/v1/devices/{id}/found | confirm-stolen | approve-wipe   (no body)
//   GET  /api/v1/devices/{id}/commands        the command queue with states
//   POST /api/v1/devices/{id}/amapi           an Android Management API Device resource
//   GET  /api/v1/compliance/devices           counts by state, failing rule and lost state
// Queued Apple commands go to NanoMDM right away when it is configured.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "devices/amapi.h"
#include "devices/json_views.h"
#include "http/respond.h"
#include "http/routes.h"
#include "http/routes/devices_support.h"

namespace custos::http {
namespace {

using devices_routes::StringMember;

core::Result<Response> Enroll(RequestContext& ctx) {
  ASSIGN_OR_RETURN(Json body, ParseObjectBody(ctx.request, {"person", "platform", "ownership",
                                                            "mdm_id", "unlisted"}));
  ASSIGN_OR_RETURN(std::string person, StringMember(body, "person", true));
  ASSIGN_OR_RETURN(std::string platform_text, StringMember(body, "platform", true));
  ASSIGN_OR_RETURN(std::string ownership_text, StringMember(body, "ownership", true));
  ASSIGN_OR_RETURN(std::string mdm_id, StringMember(body, "mdm_id", false));
  auto platform = devices::ParsePlatform(platform_text);
  if (!platform || *platform == devices::Platform::kUnknown) {
    return core::InvalidArgument("platform: '" + platform_text +
                                 "' is not a platform custos can enroll; expected one of ios, "
                                 "ipados, android");
  }
  auto ownership = devices::ParseOwnership(ownership_text);
  if (!ownership || *ownership == devices::Ownership::kUnknown) {
    return core::InvalidArgument("ownership: '" + ownership_text +
                                 "' is not an ownership; expected one of corporate, personal");
  }
  const auto unlisted = body.find("unlisted");
  if (unlisted != body.end() && !unlisted->is_boolean()) {
    return core::InvalidArgument("unlisted: expected true or false");
  }
  ASSIGN_OR_RETURN(
      auto e, ctx.custos.devices().Enroll(person, *platform, *ownership, ctx.principal.Actor(),
                                          mdm_id, unlisted != body.end() && unlisted->get<bool>()));
  Json out = {{"device_id", e.device_id},
              {"enrollment_token", e.token},
              {"expires_at", core::FormatRfc3339(e.expires_at)},
              {"person_id", e.person_id}};
  if (!e.warning.empty()) {
    out["warning"] = e.warning;
  }
  return JsonResponse(201, out);
}

// GET /api/v1/devices filters (docs/devices.md); `compliance` is another name for `state`.
core::Status FilterDeviceList(const Request& req, Json& items) {
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

core::Result<Response> ListDevices(RequestContext& ctx) {
  ASSIGN_OR_RETURN(
      auto list, ctx.custos.devices().List(std::string(ctx.request.Param("person").value_or(""))));
  Json body = Json::parse(devices::DeviceListJson(list));
  RETURN_IF_ERROR(FilterDeviceList(ctx.request, body["items"]));
  return JsonResponse(200, body);
}

core::Result<Response> DeviceResponse(app::Custos& c, const std::string& id) {
  ASSIGN_OR_RETURN(auto d, c.devices().Get(id));
  return JsonResponse(200, Json::parse(devices::DeviceJson(d)));
}

core::Result<Response> GetDevice(RequestContext& ctx) {
  return DeviceResponse(ctx.custos, std::string(ctx.PathParam("id")));
}

// report-lost, found, confirm-stolen, approve-wipe: answers the device after the transition.
// The actor is the caller (Principal::Actor); the body takes no member (an "actor" is refused
// as unknown). Approve-wipe refuses the principal that reported the device lost (four eyes).
core::Result<Response> LostVerb(RequestContext& ctx, const std::string& verb) {
  RETURN_IF_ERROR(ParseObjectBody(ctx.request, {}).status());
  const std::string id(ctx.PathParam("id"));
  const std::string actor = ctx.principal.Actor();
  devices::DeviceService& d = ctx.custos.devices();
  if (verb == "report-lost") {
    RETURN_IF_ERROR(d.ReportLost(id, actor).status());
  } else if (verb == "found") {
    RETURN_IF_ERROR(d.Found(id, actor));
  } else if (verb == "confirm-stolen") {
    RETURN_IF_ERROR(d.ConfirmStolen(id, actor).status());
  } else {
    RETURN_IF_ERROR(d.ApproveWipe(id, actor).status());
  }
  devices_routes::DispatchCommands(ctx.custos);
  return DeviceResponse(ctx.custos, id);
}

core::Result<Response> ListCommands(RequestContext& ctx) {
  ASSIGN_OR_RETURN(auto commands, ctx.custos.devices().Commands(std::string(ctx.PathParam("id"))));
  return JsonResponse(200, Json::parse(devices::CommandListJson(commands)));
}

core::Result<Response> PostAmapi(RequestContext& ctx) {
  ASSIGN_OR_RETURN(auto report, devices::ParseAmapiDevice(ctx.request.body));
  const std::string id(ctx.PathParam("id"));
  // The AMAPI channel: an Android Management API Device resource, MDM trust.
  ASSIGN_OR_RETURN(auto outcome, ctx.custos.devices().SubmitPosture(id, std::move(report),
                                                                    devices::PostureChannel::kMdm));
  return JsonResponse(200, Json{{"device_id", id},
                                {"state", devices::Name(outcome.verdict.state)},
                                {"messaging", devices::Name(outcome.verdict.access)},
                                {"applied", outcome.applied},
                                {"ignored_reason", outcome.ignored_reason},
                                {"privacy_dropped", outcome.privacy.dropped}});
}

core::Result<Response> Compliance(RequestContext& ctx) {
  ASSIGN_OR_RETURN(auto report, ctx.custos.devices().Report());
  return JsonResponse(200, Json::parse(devices::ReportJson(report)));
}

Route Admin(std::string method, std::string path, Permission permission, Handler handler,
            std::optional<std::vector<std::string>> query = std::nullopt) {
  Route route = MakeRoute(std::move(method), std::move(path), {AuthScheme::kBearerToken},
                          permission, std::move(handler));
  route.query = std::move(query);
  return route;
}

}  // namespace

void AddDeviceRoutes(RouteList& routes) {
  using P = Permission;
  using Params = std::vector<std::string>;
  routes.push_back(Admin("POST", "/api/v1/devices", P::kDevicesManage, Enroll));
  routes.push_back(Admin(
      "GET", "/api/v1/devices", P::kDevicesRead, ListDevices,
      Params{"person", "state", "compliance", "platform", "lost_state", "messaging", "ownership"}));
  routes.push_back(
      Admin("GET", "/api/v1/compliance/devices", P::kDevicesRead, Compliance, Params{}));
  routes.push_back(Admin("GET", "/api/v1/devices/{id}", P::kDevicesRead, GetDevice));
  routes.push_back(
      Admin("GET", "/api/v1/devices/{id}/commands", P::kDevicesRead, ListCommands, Params{}));
  routes.push_back(Admin("POST", "/api/v1/devices/{id}/amapi", P::kDevicesManage, PostAmapi));
  for (const std::string verb : {"report-lost", "found", "confirm-stolen", "approve-wipe"}) {
    routes.push_back(Admin("POST", "/api/v1/devices/{id}/" + verb,
                           verb == "approve-wipe" ? P::kDevicesApproveWipe : P::kDevicesManage,
                           [verb](RequestContext& ctx) { return LostVerb(ctx, verb); }));
  }
}

}  // namespace custos::http
