// SPDX-License-Identifier: Apache-2.0
// POST /hooks/nanomdm: NanoMDM's webhook (its -webhook-url; MicroMDM-compatible JSON envelopes,
// `checkin_event` / `acknowledge_event` with the device's plist as base64 raw_payload). Query
// responses become posture reports of the device enrolled with that enrollment id ("mdm-<id>");
// command results move custos commands to acknowledged or failed. NanoMDM cannot send a bearer
// header, so the API token may also come as the password of HTTP basic auth, which Go's HTTP
// client sends for a URL such as https://custos:<token>@custos.example.com/hooks/nanomdm.
// Answers 200 {device_id, command_state, posture_state}; 404 for an enrollment custos does not
// know; 400 naming the field for a malformed envelope.
#include <string>

#include "core/text.h"
#include "crypto/crypto.h"
#include "devices/nanomdm.h"
#include "http/respond.h"
#include "http/routes.h"
#include "http/routes/devices_support.h"

namespace custos::http {
namespace {

// A command result (an installed-application or certificate list) runs to a few MiB as base64;
// the webhook parser reads the envelope with the same limit.
constexpr std::size_t kMaxHookBodyBytes = devices::kMaxNanoMdmWebhookBytes;

// The API token of a Bearer or Basic Authorization header; "" when there is none.
std::string HookToken(const httplib::Request& req) {
  const std::string header = req.get_header_value("Authorization");
  const std::string lower = core::ToLowerAscii(header.substr(0, 6));
  if (lower.rfind("bearer", 0) == 0 && header.size() > 7) {
    return std::string(core::TrimAscii(std::string_view(header).substr(7)));
  }
  if (lower == "basic " && header.size() > 6) {
    auto decoded = crypto::Base64Decode(core::TrimAscii(std::string_view(header).substr(6)));
    if (decoded) {
      const std::size_t colon = decoded->find(':');
      return colon == std::string::npos ? std::string() : decoded->substr(colon + 1);
    }
  }
  return "";
}

void NanoMdmHook(app::Custos& c, const httplib::Request& req, httplib::Response& res) {
  const std::string token = HookToken(req);
  const core::Status auth =
      token.empty() ? core::Unauthenticated("missing API token (Bearer, or basic auth password)")
                    : c.VerifyToken(token);
  if (!auth.ok()) {
    res.set_header("WWW-Authenticate", "Basic realm=\"custos\"");
    SendError(res, auth);
    return;
  }
  auto event = devices::ParseNanoMdmWebhook(req.body, core::SystemClock().Now());
  if (!event) {
    devices_routes::SendStatus(res, event.error());
    return;
  }
  auto applied = c.devices().ApplyMdmEvent(*event);
  if (!applied) {
    devices_routes::SendStatus(res, applied.error());
    return;
  }
  devices_routes::DispatchCommands(c);
  SendJson(res, 200,
           Json{{"device_id", applied->device_id},
                {"message_type", event->message_type},
                {"command_state", applied->command_state},
                {"posture_state", applied->posture_state}});
}

}  // namespace

void AddDeviceHookRoutes(RouteContext* ctx, RouteList& routes) {
  routes.push_back({"POST", "/hooks/nanomdm", /*needs_token=*/false,
                    [ctx](const httplib::Request& req, httplib::Response& res) {
                      NanoMdmHook(*ctx->custos, req, res);
                    },
                    kMaxHookBodyBytes});
}

}  // namespace custos::http
