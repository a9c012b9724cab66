// SPDX-License-Identifier: Apache-2.0
#include "http/sessions.h"

#include <string>
#include <utility>

#include "core/log.h"
#include "core/text.h"

namespace custos::http {
namespace {

// A session's last request is written at most this often (its idle expiry moves with it).
constexpr core::Micros kTouchGranularity = 30 * core::kMicrosPerSecond;
constexpr std::size_t kMaxUserAgentBytes = 300;

bool ChangesState(std::string_view method) {
  return method != "GET" && method != "HEAD" && method != "OPTIONS";
}

std::string CookieAttributes(core::Micros max_age, bool secure) {
  std::string out =
      "; Path=/; SameSite=Strict; Max-Age=" + std::to_string(max_age / core::kMicrosPerSecond);
  if (secure) {
    out += "; Secure";
  }
  return out;
}

}  // namespace

std::optional<std::string> RequestCookie(const Request& request, std::string_view name) {
  // RFC 6265 §5.4: "name=value" pairs separated by "; ". The first pair of that name wins.
  for (const auto& [field, value] : request.headers.fields()) {
    if (core::ToLowerAscii(field) != "cookie") {
      continue;
    }
    for (std::string_view pair : core::Split(value, ';')) {
      pair = core::TrimAscii(pair);
      const std::size_t eq = pair.find('=');
      if (eq == std::string_view::npos || core::TrimAscii(pair.substr(0, eq)) != name) {
        continue;
      }
      std::string_view v = core::TrimAscii(pair.substr(eq + 1));
      if (v.size() >= 2 && v.front() == '"' && v.back() == '"') {
        v = v.substr(1, v.size() - 2);
      }
      return std::string(v);
    }
  }
  return std::nullopt;
}

core::Result<Principal> AuthenticateSession(app::Custos& custos, const Request& request,
                                            std::string_view session_id) {
  app::Users& users = custos.users();
  core::Result<app::SessionInfo> found = users.LookupSession(session_id);
  if (!found) {
    if (found.error().code() == core::StatusCode::kUnauthenticated) {
      return core::Unauthenticated("the custos_session cookie names no live session (" +
                                   found.error().message() +
                                   "): log in again with POST /api/v1/auth/login");
    }
    return found.error();
  }
  const app::SessionInfo& session = *found;
  ASSIGN_OR_RETURN(const app::UserInfo user, users.Get(session.user_id));
  if (user.state != app::UserState::kActive) {
    return core::Unauthenticated("user " + user.login + " is disabled");
  }
  if (ChangesState(request.method)) {
    const std::string token(request.headers.Get(kCsrfHeader).value_or(""));
    if (token.empty()) {
      return core::PermissionDenied(
          "missing CSRF token: a request that changes something, made with the session cookie, "
          "must send the header X-CSRF-Token with the token of the login (also in the "
          "custos_csrf cookie)");
    }
    if (!app::CsrfTokenMatches(session, token)) {
      return core::PermissionDenied("wrong CSRF token for this session (header X-CSRF-Token)");
    }
  }
  const app::AuthSettings& settings = custos.auth_settings();
  if (custos.clock().Now() - session.last_seen_at >= kTouchGranularity) {
    if (core::Status s = users.TouchSession(session, settings.session); !s.ok()) {
      CUSTOS_LOG_WARN("sessions: the last use of session {} was not recorded: {}", session.id,
                      s.ToString());
    }
  }
  Principal principal = Principal::User(user, session.id);
  if (!user.totp_enrolled && app::SecondFactorRequired(settings, user)) {
    ASSIGN_OR_RETURN(const bool provider, custos.oidc_accounts().SignsInWithProvider(user.id));
    if (provider) {
      return principal;  // its identity provider is its second factor (docs/sso.md)
    }
    principal.must_enrol_2fa = true;
    principal.permissions = PermissionSet{Permission::kPublic, Permission::kSelf};
  }
  return principal;
}

core::Result<app::NewSession> OpenBrowserSession(RequestContext& ctx, const app::UserInfo& user,
                                                 std::string_view method, Response& response) {
  const std::string agent(
      core::TruncateUtf8(ctx.request.headers.Get("User-Agent").value_or(""), kMaxUserAgentBytes));
  const app::SessionPolicy& policy = ctx.custos.auth_settings().session;
  ASSIGN_OR_RETURN(app::NewSession session,
                   ctx.custos.users().CreateSession(user.id, ctx.client_address, agent, policy));
  const std::string attributes = CookieAttributes(policy.absolute, ctx.secure_cookies);
  response.headers.Add("Set-Cookie", std::string(kSessionCookie) + "=" + session.session_id +
                                         attributes + "; HttpOnly");
  response.headers.Add("Set-Cookie",
                       std::string(kCsrfCookie) + "=" + session.csrf_token + attributes);
  response.headers.Set("Cache-Control", "no-store");
  ctx.custos.login_throttle().RecordSuccess(core::ToLowerAscii(user.login), ctx.client_address,
                                            ctx.custos.clock().Now());
  CUSTOS_LOG_INFO("sessions: user {} ({}) logged in by {} from {}", user.id, user.login, method,
                  ctx.client_address);
  return session;
}

void ClearSessionCookies(Response& response, bool secure) {
  const std::string attributes = CookieAttributes(0, secure);
  response.headers.Add("Set-Cookie", std::string(kSessionCookie) + "=" + attributes + "; HttpOnly");
  response.headers.Add("Set-Cookie", std::string(kCsrfCookie) + "=" + attributes);
}

void RecordLoginFailure(RequestContext& ctx, std::string_view login, std::string_view reason) {
  app::AccessContext who;
  who.actor = "anonymous";
  if (!login.empty()) {
    if (auto user = ctx.custos.users().FindByLogin(login)) {
      who.actor = "user:" + std::to_string(user->id) + " (" + user->login + ")";
      who.roles = user->roles;
    }
  }
  who.client = ctx.client_address;
  who.request_id = ctx.request_id;
  CUSTOS_LOG_WARN("sessions: login refused for {} from {}: {}", who.actor, ctx.client_address,
                  reason);
  ctx.custos.access().RecordLoginFailure(who, ctx.request.method + " " + ctx.request.path,
                                         std::string(reason));
}

}  // namespace custos::http
