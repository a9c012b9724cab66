// SPDX-License-Identifier: Apache-2.0
// POST /hooks/nanomdm: NanoMDM's webhook (its -webhook-url; MicroMDM-compatible JSON envelopes,
// `checkin_event` / `acknowledge_event` with the device's plist as base64 raw_payload). Query
// responses become posture reports of the device enrolled with that enrollment id ("mdm-<id>");
// command results move custos commands to acknowledged or failed. NanoMDM cannot send a bearer
// header, so the API token (role webhook or admin) may also come as the password of HTTP basic
// auth, which Go's HTTP client sends for a URL such as
// https://custos:<token>@custos.example.com/hooks/nanomdm (the kWebhookToken scheme).
// Answers 200 {device_id, command_state, posture_state}; 404 for an enrollment custos does not
// know; 400 naming the field for a malformed envelope.
#include <string>

#include "devices/nanomdm.h"
#include "http/respond.h"
#include "http/routes.h"
#include "http/routes/devices_support.h"

namespace custos::http {
namespace {

// A command result (an installed-application or certificate list) runs to a few MiB as base64;
// the webhook parser reads the envelope with the same limit.
constexpr std::size_t kMaxHookBodyBytes = devices::kMaxNanoMdmWebhookBytes;

core::Result<Response> NanoMdmHook(RequestContext& ctx) {
  ASSIGN_OR_RETURN(devices::MdmEvent event,
                   devices::ParseNanoMdmWebhook(ctx.request.body, core::SystemClock().Now()));
  ASSIGN_OR_RETURN(auto applied, ctx.custos.devices().ApplyMdmEvent(event));
  devices_routes::DispatchCommands(ctx.custos);
  return JsonResponse(200, Json{{"device_id", applied.device_id},
                                {"message_type", event.message_type},
                                {"command_state", applied.command_state},
                                {"posture_state", applied.posture_state}});
}

}  // namespace

void AddDeviceHookRoutes(RouteList& routes) {
  routes.push_back(MakeRoute("POST", "/hooks/nanomdm", {AuthScheme::kWebhookToken},
                             Permission::kDeviceWebhook, NanoMdmHook)
                       .MaxBody(kMaxHookBodyBytes));
}

}  // namespace custos::http
