// SPDX-License-Identifier: Apache-2.0
// Single sign-on through the configured OpenID Connect provider (issue 15; docs/sso.md,
// docs/api.md "Single sign-on"). Both routes are public: they are how a browser gets a session.
//   GET /api/v1/auth/oidc/start     302 to the provider's authorisation endpoint (PKCE, state and
//                                   nonce: oidc/flow.h), setting the state cookie; 404 when single
//                                   sign-on is not configured, 503 when the provider is down
//   GET /api/v1/auth/oidc/callback  ?state=&code= (or ?error=): completes the login, finds or
//                                   provisions the user (app/oidc_accounts.h), opens a browser
//                                   session (http/sessions.h) and answers 302 to "/"
// The state cookie (custos_oidc_state: HttpOnly, SameSite=Lax so that it comes back on the
// provider's top-level redirect, scoped to this path, ten minutes) binds the login to the browser
// that started it: a callback whose state is not the cookie's is refused before the code is
// redeemed, so a victim cannot be signed in to an attacker's account with the attacker's
// callback link (login CSRF).
// Every refusal is a 401 (403 when the identity is valid but may not use custos) with a short,
// generic message and no cookie; the reason goes to the log at warning and into the access
// audit as a failed login (RecordLoginFailure).
#include <string>
#include <string_view>

#include "app/oidc_accounts.h"
#include "core/log.h"
#include "core/text.h"
#include "core/time.h"
#include "crypto/crypto.h"
#include "http/respond.h"
#include "http/routes.h"
#include "http/sessions.h"
#include "oidc/flow.h"

namespace custos::http {
namespace {

constexpr std::string_view kStateCookie = "custos_oidc_state";
constexpr std::string_view kCallbackPath = "/api/v1/auth/oidc/callback";
constexpr int kStateCookieSeconds = 600;  // oidc/pending_logins.h keeps a login 10 minutes
constexpr std::size_t kMaxLoggedErrorBytes = 200;

constexpr std::string_view kFailed = "single sign-on failed; start again";
constexpr std::string_view kNotAllowed =
    "single sign-on: this account may not use custos; ask an administrator";

// The provider's clock is real time: ID tokens are checked against the system clock.
core::Micros Now() { return core::SystemClock().Now(); }

std::string StateCookie(std::string_view value, int max_age, bool secure) {
  return std::string(kStateCookie) + "=" + std::string(value) +
         "; Path=" + std::string(kCallbackPath) + "; Max-Age=" + std::to_string(max_age) +
         "; HttpOnly; SameSite=Lax" + (secure ? "; Secure" : "");
}

Response Redirect(const std::string& location) {
  Response res;
  res.status = 302;
  res.headers.Set("Location", location);
  res.headers.Set("Cache-Control", "no-store");
  return res;
}

// Logs and audits a refused sign-in and returns the generic error for the browser.
core::Status Refuse(RequestContext& ctx, std::string_view login, const core::Status& why) {
  RecordLoginFailure(ctx, login,
                     "single sign-on: " + std::string(core::TruncateUtf8(why.message(), 500)));
  switch (why.code()) {
    case core::StatusCode::kPermissionDenied:
    case core::StatusCode::kFailedPrecondition:
      return core::PermissionDenied(std::string(kNotAllowed));
    case core::StatusCode::kUnavailable:
    case core::StatusCode::kResourceExhausted:
      return core::Unavailable("single sign-on: the identity provider cannot be reached");
    default:
      return core::Unauthenticated(std::string(kFailed));
  }
}

core::Result<Response> Start(RequestContext& ctx) {
  oidc::OidcClient* client = ctx.custos.oidc();
  if (client == nullptr) {
    return core::NotFound("single sign-on is not configured");
  }
  core::Result<oidc::LoginStart> start = client->BeginLogin(Now());
  if (!start.has_value()) {
    CUSTOS_LOG_WARN("single sign-on: cannot start a login: {}", start.error().message());
    return core::Unavailable("single sign-on cannot start now (see the server log); try later");
  }
  Response res = Redirect(start->authorize_url);
  res.headers.Add("Set-Cookie", StateCookie(start->state, kStateCookieSeconds, ctx.secure_cookies));
  return res;
}

core::Result<Response> Callback(RequestContext& ctx) {
  oidc::OidcClient* client = ctx.custos.oidc();
  if (client == nullptr) {
    return core::NotFound("single sign-on is not configured");
  }
  const Request& req = ctx.request;
  if (const auto error = req.Param("error")) {
    const std::string description(req.Param("error_description").value_or(""));
    return Refuse(ctx, "",
                  core::Unauthenticated(
                      "the provider answered error " +
                      std::string(core::TruncateUtf8(*error, kMaxLoggedErrorBytes)) +
                      (description.empty() ? ""
                                           : ": " + std::string(core::TruncateUtf8(
                                                        description, kMaxLoggedErrorBytes)))));
  }
  const std::string state(req.Param("state").value_or(""));
  const std::string code(req.Param("code").value_or(""));
  if (state.empty() || code.empty() || req.ParamCount("state") != 1 ||
      req.ParamCount("code") != 1) {
    return Refuse(ctx, "", core::Unauthenticated("the callback needs one state and one code"));
  }
  const std::optional<std::string> cookie = RequestCookie(req, kStateCookie);
  if (!cookie || !crypto::ConstantTimeEquals(*cookie, state)) {
    return Refuse(ctx, "",
                  core::Unauthenticated(cookie ? "the state is not this browser's login"
                                               : "no state cookie: the login was not started "
                                                 "in this browser (or it expired)"));
  }
  core::Result<oidc::OidcIdentity> identity = client->CompleteLogin(state, code, Now());
  if (!identity.has_value()) {
    return Refuse(ctx, "", identity.error());
  }
  core::Result<app::UserInfo> user = ctx.custos.oidc_accounts().SignIn(*identity);
  if (!user.has_value()) {
    return Refuse(ctx, identity->login, user.error());
  }
  Response res = Redirect("/");
  ASSIGN_OR_RETURN(const app::NewSession session, OpenBrowserSession(ctx, *user, "oidc", res));
  (void)session;  // the cookies are on `res`
  res.headers.Add("Set-Cookie", StateCookie("", 0, ctx.secure_cookies));  // used up
  return res;
}

}  // namespace

void AddOidcRoutes(RouteList& routes) {
  routes.push_back(
      MakeRoute("GET", "/api/v1/auth/oidc/start", {AuthScheme::kPublic}, Permission::kPublic, Start)
          .Query({}));
  // The provider may add parameters of its own (session_state, iss): not checked.
  routes.push_back(MakeRoute("GET", std::string(kCallbackPath), {AuthScheme::kPublic},
                             Permission::kPublic, Callback));
}

}  // namespace custos::http
