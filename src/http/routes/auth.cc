// SPDX-License-Identifier: Apache-2.0
// Logging in with a browser (issue 15; docs/access.md "Logging in", docs/api.md "Logging in"):
//   POST   /api/v1/auth/login          {"login", "password", "totp_code" | "recovery_code"}:
//                                      a session (http/sessions.h: the cookies, the CSRF token)
//   POST   /api/v1/auth/logout         ends this session
//   GET    /api/v1/auth/sessions       my sessions ("current": this one)
//   DELETE /api/v1/auth/sessions/{id}  ends one of my sessions
//   POST   /api/v1/auth/totp           {"algorithm"}: starts TOTP enrolment (URI, QR code)
//   POST   /api/v1/auth/totp/confirm   {"code"}: confirms it; the ten recovery codes, once
// The login is rate-limited per account and per client address (auth/login_throttle.h, shared
// with single sign-on): five failures lock for 15 minutes (429 saying until when). Every refused
// login is an `access_refused` record in the log (RecordLoginFailure). A wrong login and a wrong
// password get the same answer. A user with a second factor sends the password and the code in
// the same request: without the code the answer is 401 naming the field `totp_code` (the
// password is not counted as a failure), so a client asks for the code and sends both again.
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "app/auth_settings.h"
#include "auth/login_throttle.h"
#include "auth/totp.h"
#include "core/text.h"
#include "core/time.h"
#include "http/respond.h"
#include "http/routes.h"
#include "http/sessions.h"

namespace custos::http {
namespace {

constexpr std::size_t kMaxPasswordBytes = 1024;
constexpr std::size_t kMaxCodeBytes = 64;
constexpr std::size_t kLoginBodyBytes = 8 * 1024;
constexpr std::string_view kTotpIssuer = "custos";

Json UserJson(const app::UserInfo& user) {
  Json out = {{"id", user.id},
              {"login", user.login},
              {"display_name", user.display_name},
              {"roles", user.roles},
              {"scope", user.scope_groups},
              {"state", app::UserStateName(user.state)},
              {"totp_enrolled", user.totp_enrolled},
              {"recovery_codes_left", user.recovery_codes_left}};
  if (!user.email.empty()) {
    out["email"] = user.email;
  }
  if (user.person_id) {
    out["person_id"] = *user.person_id;
  }
  return out;
}

// A string member of `body`: absent -> nullopt; not a string, empty or longer than `max_bytes`
// -> kInvalidArgument naming it.
core::Result<std::optional<std::string>> StringMember(RequestContext& ctx, const Json& body,
                                                      const char* name, std::size_t max_bytes) {
  const auto it = body.find(name);
  if (it == body.end() || it->is_null()) {
    return std::optional<std::string>();
  }
  if (!it->is_string() || it->get_ref<const std::string&>().empty()) {
    return ctx.Fail(core::InvalidArgument(std::string(name) + ": expected a non-empty string"),
                    {400, name});
  }
  if (it->get_ref<const std::string&>().size() > max_bytes) {
    return ctx.Fail(core::InvalidArgument(std::string(name) + ": longer than " +
                                          std::to_string(max_bytes) + " bytes"),
                    {400, name});
  }
  return std::optional<std::string>(it->get<std::string>());
}

core::Result<std::string> RequiredString(RequestContext& ctx, const Json& body, const char* name,
                                         std::size_t max_bytes) {
  ASSIGN_OR_RETURN(std::optional<std::string> value, StringMember(ctx, body, name, max_bytes));
  if (!value) {
    return ctx.Fail(core::InvalidArgument(std::string(name) + ": required"), {400, name});
  }
  return std::move(value).value();
}

// `response` with the headers (the cookies) of `with` added.
Response WithHeaders(Response response, const Response& with) {
  for (const auto& [name, value] : with.headers.fields()) {
    response.headers.Add(name, value);
  }
  return response;
}

core::Result<Response> Login(RequestContext& ctx) {
  ASSIGN_OR_RETURN(
      const Json body,
      ctx.Detail(ParseObjectBody(ctx.request, {"login", "password", "totp_code", "recovery_code"}),
                 {400, ""}));
  ASSIGN_OR_RETURN(const std::string login,
                   RequiredString(ctx, body, "login", app::kMaxLoginBytes));
  ASSIGN_OR_RETURN(const std::string password,
                   RequiredString(ctx, body, "password", kMaxPasswordBytes));
  ASSIGN_OR_RETURN(const std::optional<std::string> totp_code,
                   StringMember(ctx, body, "totp_code", kMaxCodeBytes));
  ASSIGN_OR_RETURN(const std::optional<std::string> recovery_code,
                   StringMember(ctx, body, "recovery_code", kMaxCodeBytes));
  if (totp_code && recovery_code) {
    return ctx.Fail(
        core::InvalidArgument("recovery_code: send totp_code or recovery_code, not both"),
        {400, "recovery_code"});
  }

  auth::LoginThrottle& throttle = ctx.custos.login_throttle();
  const std::string account = core::ToLowerAscii(login);
  const core::Micros now = ctx.custos.clock().Now();
  if (core::Status locked = throttle.Check(account, ctx.client_address, now); !locked.ok()) {
    RecordLoginFailure(ctx, login, "locked: " + locked.message());
    return locked;
  }
  const auto failed = [&](std::string_view reason) {
    throttle.RecordFailure(account, ctx.client_address, now);
    RecordLoginFailure(ctx, login, reason);
  };

  core::Result<app::UserInfo> user = ctx.custos.users().VerifyPassword(login, password);
  if (!user) {
    if (user.error().code() == core::StatusCode::kUnauthenticated) {
      failed("wrong login or password");
    } else if (user.error().code() == core::StatusCode::kPermissionDenied) {
      RecordLoginFailure(ctx, login, "the user is disabled");
    }
    return user.error();
  }

  // A user who signs in through an identity provider has its second factor there; with a
  // password alone it would have none (http/sessions.h exempts it from a custos TOTP).
  if (!user->totp_enrolled && app::SecondFactorRequired(ctx.custos.auth_settings(), *user)) {
    ASSIGN_OR_RETURN(const bool provider, ctx.custos.oidc_accounts().SignsInWithProvider(user->id));
    if (provider) {
      RecordLoginFailure(ctx, login, "a password login of a single sign-on user");
      return core::PermissionDenied("user " + user->login +
                                    " signs in through single sign-on: GET "
                                    "/api/v1/auth/oidc/start");
    }
  }

  std::string method = "password";
  if (user->totp_enrolled) {
    if (totp_code) {
      if (core::Status s = ctx.custos.users().VerifyTotp(user->id, *totp_code); !s.ok()) {
        failed("wrong second factor (TOTP): " + s.message());
        return ctx.Fail(s, {401, "totp_code"});
      }
      method = "password and TOTP";
    } else if (recovery_code) {
      if (core::Status s = ctx.custos.users().UseRecoveryCode(user->id, *recovery_code); !s.ok()) {
        failed("wrong recovery code: " + s.message());
        return ctx.Fail(s, {401, "recovery_code"});
      }
      method = "password and a recovery code";
      ASSIGN_OR_RETURN(user, ctx.custos.users().Get(user->id));  // recovery_codes_left
    } else {
      return ctx.Fail(core::Unauthenticated("second factor required: send the password again "
                                            "with totp_code (the 6 digits of the authenticator "
                                            "app) or one recovery_code"),
                      {401, "totp_code"});
    }
  }

  Response cookies;
  ASSIGN_OR_RETURN(const app::NewSession session, OpenBrowserSession(ctx, *user, method, cookies));
  const bool must_enrol =
      !user->totp_enrolled && app::SecondFactorRequired(ctx.custos.auth_settings(), *user);
  Json out = {{"user", UserJson(*user)},
              {"csrf_token", session.csrf_token},
              {"session",
               {{"id", session.info.id},
                {"idle_expires_at", core::FormatRfc3339(session.info.idle_expires_at)},
                {"expires_at", core::FormatRfc3339(session.info.absolute_expires_at)}}},
              {"must_enrol_2fa", must_enrol}};
  if (must_enrol) {
    out["next"] =
        "enrol a second factor: POST /api/v1/auth/totp, then POST "
        "/api/v1/auth/totp/confirm; until then only those and GET /api/v1/me answer";
  }
  return WithHeaders(JsonResponse(200, out), cookies);
}

core::Result<Response> Logout(RequestContext& ctx) {
  const std::optional<std::string> secret = RequestCookie(ctx.request, kSessionCookie);
  RETURN_IF_ERROR(ctx.custos.users().RevokeSessionBySecret(secret.value_or("")));
  Response out = JsonResponse(200, {{"logged_out", true}});
  ClearSessionCookies(out, ctx.secure_cookies);
  return out;
}

// The user of the session (the routes below accept only a session).
std::int64_t UserId(const RequestContext& ctx) {
  const core::Result<std::int64_t> id = ParseId(ctx.principal.id, "user id");
  return id ? *id : 0;
}

core::Result<Response> ListSessions(RequestContext& ctx) {
  ASSIGN_OR_RETURN(const std::vector<app::SessionInfo> sessions,
                   ctx.custos.users().ListOwnSessions(UserId(ctx)));
  const core::Micros now = ctx.custos.clock().Now();
  Json items = Json::array();
  for (const app::SessionInfo& s : sessions) {
    const char* state = s.revoked_at                                                 ? "revoked"
                        : (now >= s.idle_expires_at || now >= s.absolute_expires_at) ? "expired"
                                                                                     : "live";
    Json item = {{"id", s.id},
                 {"state", state},
                 {"current", s.id == ctx.principal.session_id},
                 {"created_at", core::FormatRfc3339(s.created_at)},
                 {"last_seen_at", core::FormatRfc3339(s.last_seen_at)},
                 {"idle_expires_at", core::FormatRfc3339(s.idle_expires_at)},
                 {"expires_at", core::FormatRfc3339(s.absolute_expires_at)},
                 {"remote_address", s.remote_address},
                 {"user_agent", s.user_agent}};
    if (s.revoked_at) {
      item["revoked_at"] = core::FormatRfc3339(*s.revoked_at);
    }
    items.push_back(std::move(item));
  }
  return JsonResponse(200, {{"items", std::move(items)}});
}

core::Result<Response> RevokeSession(RequestContext& ctx) {
  ASSIGN_OR_RETURN(const std::int64_t id,
                   ctx.Detail(ParseId(ctx.PathParam("id"), "session id"), {400, "id"}));
  RETURN_IF_ERROR(ctx.custos.users().RevokeSession(UserId(ctx), id));
  Response out = JsonResponse(200, {{"id", id}, {"revoked", true}});
  if (id == ctx.principal.session_id) {
    ClearSessionCookies(out, ctx.secure_cookies);
  }
  return out;
}

core::Result<Response> BeginTotp(RequestContext& ctx) {
  ASSIGN_OR_RETURN(const Json body,
                   ctx.Detail(ParseObjectBody(ctx.request, {"algorithm"}), {400, ""}));
  ASSIGN_OR_RETURN(const std::optional<std::string> name, StringMember(ctx, body, "algorithm", 16));
  auth::TotpAlgorithm algorithm = auth::TotpAlgorithm::kSha1;
  if (name) {
    const std::string lower = core::ToLowerAscii(*name);
    if (lower == "sha256") {
      algorithm = auth::TotpAlgorithm::kSha256;
    } else if (lower != "sha1") {
      return ctx.Fail(core::InvalidArgument("algorithm: expected SHA1 (the default, which every "
                                            "authenticator app reads) or SHA256"),
                      {400, "algorithm"});
    }
  }
  ASSIGN_OR_RETURN(const app::UserInfo user, ctx.custos.users().Get(UserId(ctx)));
  if (user.totp_enrolled) {
    return ctx.Fail(
        core::FailedPrecondition("a second factor is enrolled already; an administrator resets it "
                                 "(custos users reset-2fa " +
                                 user.login + ") before a new one"),
        {409, ""});
  }
  ASSIGN_OR_RETURN(const app::TotpEnrolment enrolment,
                   ctx.custos.users().BeginTotp(user.id, algorithm, kTotpIssuer));
  Response out = JsonResponse(201, {{"otpauth_uri", enrolment.otpauth_uri},
                                    {"secret", enrolment.secret_base32},
                                    {"algorithm", auth::TotpAlgorithmName(algorithm)},
                                    {"digits", 6},
                                    {"period", 30},
                                    {"qr_svg", enrolment.qr_svg},
                                    {"next", "POST /api/v1/auth/totp/confirm with a code"}});
  out.headers.Set("Cache-Control", "no-store");
  return out;
}

core::Result<Response> ConfirmTotp(RequestContext& ctx) {
  ASSIGN_OR_RETURN(const Json body, ctx.Detail(ParseObjectBody(ctx.request, {"code"}), {400, ""}));
  ASSIGN_OR_RETURN(const std::string code, RequiredString(ctx, body, "code", kMaxCodeBytes));
  const std::int64_t id = UserId(ctx);
  // A wrong code counts as a failed login of the account: guessing here is throttled too.
  auth::LoginThrottle& throttle = ctx.custos.login_throttle();
  const std::string account = core::ToLowerAscii(ctx.principal.name);
  const core::Micros now = ctx.custos.clock().Now();
  RETURN_IF_ERROR(throttle.Check(account, ctx.client_address, now));
  core::Result<std::vector<std::string>> codes =
      ctx.custos.users().ConfirmTotp(id, code, ctx.principal.Actor());
  if (!codes) {
    if (codes.error().code() == core::StatusCode::kUnauthenticated) {
      throttle.RecordFailure(account, ctx.client_address, now);
    }
    return ctx.Fail(codes.error(), {0, "code"});
  }
  Response out = JsonResponse(200, {{"enrolled", true},
                                    {"recovery_codes", *codes},
                                    {"note",
                                     "each recovery code logs in once; they are shown "
                                     "now and never again"}});
  out.headers.Set("Cache-Control", "no-store");
  return out;
}

// The session's own routes: only a browser session (a token is not a user), the `self`
// permission every human role holds (and a session that must enrol a second factor keeps).
Route Own(std::string method, std::string path, Handler handler) {
  return MakeRoute(std::move(method), std::move(path), {AuthScheme::kSession}, Permission::kSelf,
                   std::move(handler));
}

}  // namespace

void AddAuthRoutes(RouteList& routes) {
  routes.push_back(
      MakeRoute("POST", "/api/v1/auth/login", {AuthScheme::kPublic}, Permission::kPublic, Login)
          .MaxBody(kLoginBodyBytes)
          .Query({}));
  routes.push_back(Own("POST", "/api/v1/auth/logout", Logout).Query({}));
  routes.push_back(Own("GET", "/api/v1/auth/sessions", ListSessions).Query({}));
  routes.push_back(Own("DELETE", "/api/v1/auth/sessions/{id}", RevokeSession).Query({}));
  routes.push_back(Own("POST", "/api/v1/auth/totp", BeginTotp).Query({}));
  routes.push_back(Own("POST", "/api/v1/auth/totp/confirm", ConfirmTotp).Query({}));
}

}  // namespace custos::http
