// SPDX-License-Identifier: Apache-2.0
#include "http/authenticate.h"

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "core/text.h"
#include "crypto/crypto.h"
#include "http/sessions.h"

namespace custos::http {
namespace {

constexpr std::string_view kDeviceCredentialPrefix = "cdc_";

bool Accepts(const Route& route, AuthScheme scheme) {
  return std::find(route.schemes.begin(), route.schemes.end(), scheme) != route.schemes.end();
}

struct Credential {
  enum class Kind { kNone, kBearer, kBasicPassword } kind = Kind::kNone;
  std::string secret;
};

Credential ParseAuthorization(std::string_view header) {
  const std::string lower =
      core::ToLowerAscii(header.substr(0, std::min<std::size_t>(6, header.size())));
  if (lower.rfind("bearer", 0) == 0 && header.size() > 7 && header[6] == ' ') {
    return {Credential::Kind::kBearer, std::string(core::TrimAscii(header.substr(7)))};
  }
  if (lower == "basic " && header.size() > 6) {
    auto decoded = crypto::Base64Decode(core::TrimAscii(header.substr(6)));
    if (decoded) {
      const std::size_t colon = decoded->find(':');
      if (colon != std::string::npos) {
        return {Credential::Kind::kBasicPassword, decoded->substr(colon + 1)};
      }
    }
  }
  return {};
}

// The challenge and the "missing credential" message of the route's first credential scheme.
std::pair<std::string, std::string> Missing(const Route& route) {
  if (Accepts(route, AuthScheme::kSession) && !Accepts(route, AuthScheme::kBearerToken)) {
    return {"", "not logged in: log in with POST /api/v1/auth/login (the custos_session cookie)"};
  }
  if (Accepts(route, AuthScheme::kBearerToken)) {
    return {"Bearer realm=\"custos\"",
            "missing bearer token: send the header Authorization: Bearer <token>"};
  }
  if (Accepts(route, AuthScheme::kDeviceCredential)) {
    return {"Bearer realm=\"custos-device\"",
            "missing device credential: send the header Authorization: Bearer <device "
            "credential>"};
  }
  return {"Basic realm=\"custos\"", "missing API token (Bearer, or basic auth password)"};
}

// "/hooks/nanomdm" -> "nanomdm".
std::string WebhookSource(const Route& route) {
  const std::size_t slash = route.path.find_last_of('/');
  return slash == std::string::npos ? route.path : route.path.substr(slash + 1);
}

}  // namespace

AuthOutcome Authenticate(app::Custos& custos, const Request& request, const Route& route) {
  AuthOutcome out;
  if (Accepts(route, AuthScheme::kPublic)) {
    out.principal = Principal::Anonymous();
    return out;
  }
  const auto [challenge, missing] = Missing(route);
  out.challenge = challenge;
  const std::optional<std::string_view> authorization = request.headers.Get("Authorization");
  if (!authorization && Accepts(route, AuthScheme::kSession)) {
    // No Authorization header: a browser, which proves who it is with its session cookie.
    if (std::optional<std::string> session = RequestCookie(request, kSessionCookie);
        session && !session->empty()) {
      out.challenge.clear();
      out.principal = AuthenticateSession(custos, request, *session);
      return out;
    }
  }
  const Credential credential = ParseAuthorization(authorization.value_or(""));
  if (credential.secret.empty()) {
    out.principal = core::Unauthenticated(missing);
    return out;
  }
  const bool device_credential =
      credential.kind == Credential::Kind::kBearer &&
      Accepts(route, AuthScheme::kDeviceCredential) &&
      (credential.secret.rfind(kDeviceCredentialPrefix, 0) == 0 ||
       (!Accepts(route, AuthScheme::kBearerToken) && !Accepts(route, AuthScheme::kWebhookToken)));
  if (device_credential) {
    auto device = custos.devices().Authenticate(credential.secret);
    if (!device) {
      out.challenge = "Bearer realm=\"custos-device\"";
      out.principal = device.error();
      return out;
    }
    out.principal = Principal::Device(*device);
    return out;
  }
  const bool webhook = Accepts(route, AuthScheme::kWebhookToken);
  const bool token = credential.kind == Credential::Kind::kBearer
                         ? (Accepts(route, AuthScheme::kBearerToken) || webhook)
                         : webhook;
  if (!token) {
    out.principal = core::Unauthenticated(missing);
    return out;
  }
  auto info = custos.VerifyToken(credential.secret);
  if (!info) {
    out.principal = info.error();
    return out;
  }
  Principal principal = webhook && !Accepts(route, AuthScheme::kBearerToken)
                            ? Principal::Webhook(WebhookSource(route), info->id, info->roles)
                            : Principal::ApiToken(info->id, info->name, info->roles);
  principal.scoped = !info->scope_groups.empty();
  principal.scope_groups = info->scope_groups;
  out.principal = std::move(principal);
  return out;
}

}  // namespace custos::http
