// SPDX-License-Identifier: Apache-2.0
// Browser sessions at the HTTP boundary (issue 15; docs/access.md, "Logging in"): the cookies,
// the CSRF check, and the session scheme of the authentication middleware (http/authenticate.h).
//
// A login (routes/auth.cc: password then TOTP; routes/auth_oidc.cc: single sign-on) ends in
// OpenBrowserSession, which stores the session (only hashes: app/users.h) and sets two cookies:
//   custos_session=css_...  HttpOnly; SameSite=Strict; Path=/; Max-Age=<absolute lifetime>
//   custos_csrf=<hex>       SameSite=Strict; Path=/; readable by the dashboard's script
// both `Secure` unless the server listens on plain loopback (DispatcherOptions::secure_cookies).
// Every state-changing request (not GET, HEAD or OPTIONS) authenticated by the session cookie
// must carry the CSRF token in the X-CSRF-Token header (double submit, checked against the
// session's stored hash in constant time); otherwise 403. Requests with an Authorization header
// are not session requests and need no CSRF token (a page cannot make the browser add one).
//
// Thread-safety: pure functions over the request and thread-safe app::Custos members.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "app/custos.h"
#include "app/users.h"
#include "core/status.h"
#include "http/message.h"
#include "http/principal.h"
#include "http/routes.h"

namespace custos::http {

inline constexpr std::string_view kSessionCookie = "custos_session";
inline constexpr std::string_view kCsrfCookie = "custos_csrf";
inline constexpr std::string_view kCsrfHeader = "X-CSRF-Token";

// The value of cookie `name` in the request's Cookie header(s); nullopt when absent.
std::optional<std::string> RequestCookie(const Request& request, std::string_view name);

// The principal of the session cookie of `request` (a user session, PrincipalKind::kUserSession):
// the session must be live and its user active; a state-changing method must carry the CSRF
// token. Moves the session's idle expiry (at most once every 30 seconds). kUnauthenticated
// ("session expired", "session revoked", "unknown session") or kPermissionDenied naming the
// missing CSRF token. A user who must present a second factor (app/auth_settings.h) and has none
// enrolled gets the `self` permission only, and Principal::must_enrol_2fa.
core::Result<Principal> AuthenticateSession(app::Custos& custos, const Request& request,
                                            std::string_view session_id);

// Opens a browser session for `user`, whose login the caller has fully checked (password and
// second factor, or the identity provider): stores it with the client's address and user agent,
// sets the two cookies on `response`, and clears the account's failed logins. `method` is how
// the user logged in ("password", "totp", "recovery_code", "oidc"; for the log).
core::Result<app::NewSession> OpenBrowserSession(RequestContext& ctx, const app::UserInfo& user,
                                                 std::string_view method, Response& response);

// Sets cookies that end the session's cookies in the browser (logout).
void ClearSessionCookies(Response& response, bool secure);

// Records a refused login in the access audit (app::AccessAudit::RecordLoginFailure) as the user
// `login` names when there is one, else "anonymous"; logs it at warning without the secret.
void RecordLoginFailure(RequestContext& ctx, std::string_view login, std::string_view reason);

}  // namespace custos::http
