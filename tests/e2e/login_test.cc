// SPDX-License-Identifier: Apache-2.0
// Logging in with a browser (issue 15), end to end against the real `custos serve`: users added
// with `custos users add` while the server runs log in with POST /api/v1/auth/login and use the
// session cookie; the cookie's attributes; the CSRF token on state-changing requests; a content
// role that must enrol TOTP (its session can do nothing else until then), enrolment with the QR
// code and the recovery codes, password + TOTP, a replayed code, recovery codes; five wrong codes
// lock the account (429, until when); own sessions listed and revoked; logout; an expired
// session; a disabled user; a revoked token; malformed login bodies; every refused login in the
// access audit; and an unknown role in `users add`.
#include <chrono>
#include <fstream>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "auth/totp.h"
#include "cli/custos_runner.h"
#include "core/time.h"
#include "e2e/server_test.h"
#include "testing/temp_dir.h"

namespace custos::e2e {
namespace {

using custos::testing::RunCustos;
using nlohmann::json;

constexpr const char* kPassword = "correct horse battery staple 42";

// The cookies a response sets: name -> the whole Set-Cookie line.
std::map<std::string, std::string> SetCookies(const httplib::Result& res) {
  std::map<std::string, std::string> out;
  for (const auto& [name, value] : res->headers) {
    if (name == "Set-Cookie") {
      out[value.substr(0, value.find('='))] = value;
    }
  }
  return out;
}

// "custos_session=css_...; Path=/; ..." -> "css_...".
std::string CookieValue(const std::string& line) {
  const std::size_t eq = line.find('=');
  const std::size_t semi = line.find(';');
  return line.substr(eq + 1, semi - eq - 1);
}

struct Session {
  std::string cookie;  // custos_session value
  std::string csrf;
  json body;
};

class LoginE2eTest : public ::testing::Test {
 protected:
  void SetUp() override { Start(""); }

  void Start(const std::string& config) {
    data_ = dir_.File("data");
    std::filesystem::create_directories(data_);
    if (!config.empty()) {
      std::ofstream(data_ + "/custos.yaml") << config;
    }
    std::string error;
    server_ = CustosProcess::Start(data_, &error);
    ASSERT_NE(server_, nullptr) << error;
    client_ = server_->Client();
    std::ofstream(dir_.File("password")) << kPassword;
  }

  // `custos users add LOGIN --role ROLE --password-file ...` while the server runs.
  void AddUser(const std::string& login, const std::string& role,
               const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args = {
        "users",  "add", login, "--role", role, "--password-file", dir_.File("password"),
        "--data", data_};
    args.insert(args.end(), extra.begin(), extra.end());
    const custos::testing::RunResult r = RunCustos(args);
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }

  httplib::Result PostLogin(const json& body) {
    return client_->Post("/api/v1/auth/login", body.dump(), "application/json");
  }

  Session Login(const std::string& login, const json& extra = json::object()) {
    json body = {{"login", login}, {"password", kPassword}};
    body.update(extra);
    auto res = PostLogin(body);
    Session s;
    EXPECT_TRUE(res);
    if (!res) {
      return s;
    }
    EXPECT_EQ(res->status, 200) << res->body;
    const auto cookies = SetCookies(res);
    if (cookies.count("custos_session") != 0) {
      s.cookie = CookieValue(cookies.at("custos_session"));
    }
    s.body = BodyJson(res);
    s.csrf = s.body.value("csrf_token", "");
    return s;
  }

  static httplib::Headers Cookie(const Session& s, bool with_csrf = true) {
    httplib::Headers h = {{"Cookie", "custos_session=" + s.cookie}};
    if (with_csrf) {
      h.emplace("X-CSRF-Token", s.csrf);
    }
    return h;
  }

  // The access audit's refused logins, read with an auditor token.
  json RefusedLogins() {
    const custos::testing::RunResult t =
        RunCustos({"tokens", "create", "--name", "audit-reader", "--role", "auditor", "--data",
                   data_, "--json"});
    EXPECT_EQ(t.exit_code, 0) << t.err;
    const std::string token = json::parse(t.out, nullptr, false).value("token", "");
    json out = json::array();
    // The refusals are queued, not waited for: give the group commit a moment.
    for (int attempt = 0; attempt < 50 && out.empty(); ++attempt) {
      auto res =
          client_->Get("/api/v1/audit/access?limit=500", {{"Authorization", "Bearer " + token}});
      if (!res || res->status != 200) {
        ADD_FAILURE() << (res ? res->body : "no response");
        return out;
      }
      const json listing = BodyJson(res);
      for (const json& item : listing.value("items", json::array())) {
        if (item.value("kind", "") == "access_refused" &&
            item["record"]["body"].value("route", "") == "POST /api/v1/auth/login") {
          out.push_back(item["record"]);
        }
      }
      if (out.empty()) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
    }
    return out;
  }

  custos::testing::TempDir dir_;
  std::string data_;
  std::unique_ptr<CustosProcess> server_;
  std::unique_ptr<httplib::Client> client_;
};

TEST_F(LoginE2eTest, APasswordLoginSetsAStrictHttpOnlyCookieThatTheApiAccepts) {
  AddUser("eve", "employee");
  auto res = PostLogin({{"login", "EVE"}, {"password", kPassword}});  // logins ignore case
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  const auto cookies = SetCookies(res);
  ASSERT_EQ(cookies.count("custos_session"), 1U);
  ASSERT_EQ(cookies.count("custos_csrf"), 1U);
  const std::string& session = cookies.at("custos_session");
  EXPECT_NE(session.find("; HttpOnly"), std::string::npos) << session;
  EXPECT_NE(session.find("; SameSite=Strict"), std::string::npos) << session;
  EXPECT_NE(session.find("; Path=/"), std::string::npos) << session;
  // The server listens on plain loopback: a Secure cookie would never come back.
  EXPECT_EQ(session.find("Secure"), std::string::npos) << session;
  EXPECT_EQ(cookies.at("custos_csrf").find("HttpOnly"), std::string::npos);
  EXPECT_EQ(CookieValue(session).rfind("css_", 0), 0U) << session;
  const json body = BodyJson(res);
  EXPECT_EQ(body["user"].value("login", ""), "eve");
  EXPECT_EQ(body["user"]["roles"], json::array({"employee"}));
  EXPECT_FALSE(body.value("must_enrol_2fa", true));
  EXPECT_EQ(body.value("csrf_token", ""), CookieValue(cookies.at("custos_csrf")));
  EXPECT_EQ(res->get_header_value("Cache-Control"), "no-store");

  Session s{CookieValue(session), body.value("csrf_token", ""), body};
  auto me = client_->Get("/api/v1/me", Cookie(s, false));
  ASSERT_TRUE(me);
  ASSERT_EQ(me->status, 200) << me->body;
  EXPECT_NE(me->body.find("user:" + std::to_string(body["user"].value("id", 0)) + " (eve)"),
            std::string::npos)
      << me->body;
  // The employee's session has the employee's permissions, no more.
  ExpectError(client_->Get("/api/v1/messages/1", Cookie(s, false)), 403, "permission_denied");
  // A GET needs no CSRF token; a POST does.
  ExpectError(
      client_->Post("/api/v1/me/acknowledgements", Cookie(s, false), "{}", "application/json"), 403,
      "permission_denied");
  auto wrong = client_->Post("/api/v1/me/acknowledgements",
                             {{"Cookie", "custos_session=" + s.cookie}, {"X-CSRF-Token", "00"}},
                             "{}", "application/json");
  ExpectError(wrong, 403, "permission_denied");
  EXPECT_NE(wrong->body.find("CSRF"), std::string::npos) << wrong->body;
  auto with_csrf =
      client_->Post("/api/v1/me/acknowledgements", Cookie(s), "{}", "application/json");
  ASSERT_TRUE(with_csrf);
  EXPECT_EQ(with_csrf->status, 400) << with_csrf->body;  // past the CSRF check: no version
  EXPECT_EQ(with_csrf->body.find("CSRF"), std::string::npos) << with_csrf->body;

  // Logout needs the CSRF token too; afterwards the cookie is worthless.
  ExpectError(client_->Post("/api/v1/auth/logout", Cookie(s, false), "", "application/json"), 403,
              "permission_denied");
  auto out = client_->Post("/api/v1/auth/logout", Cookie(s), "", "application/json");
  ASSERT_TRUE(out);
  ASSERT_EQ(out->status, 200) << out->body;
  EXPECT_NE(SetCookies(out).at("custos_session").find("Max-Age=0"), std::string::npos);
  ExpectError(client_->Get("/api/v1/me", Cookie(s, false)), 401, "unauthenticated");
}

TEST_F(LoginE2eTest, WrongPasswordsAndUnknownLoginsAreOneAnswerAndAuditRecords) {
  AddUser("eve", "employee");
  auto wrong = PostLogin({{"login", "eve"}, {"password", "not the password at all"}});
  ExpectError(wrong, 401, "unauthenticated");
  auto unknown = PostLogin({{"login", "nobody"}, {"password", "not the password at all"}});
  ExpectError(unknown, 401, "unauthenticated");
  EXPECT_EQ(BodyJson(wrong)["error"]["message"], BodyJson(unknown)["error"]["message"]);
  EXPECT_TRUE(SetCookies(wrong).empty());

  const json refused = RefusedLogins();
  ASSERT_GE(refused.size(), 2U) << refused.dump();
  bool user_seen = false;
  bool anonymous_seen = false;
  for (const json& r : refused) {
    const std::string actor = r["body"].value("actor", "");
    user_seen = user_seen || actor.find("(eve)") != std::string::npos;
    anonymous_seen = anonymous_seen || actor == "anonymous";
    EXPECT_EQ(r["body"].value("reason", ""), "wrong login or password") << r.dump();
    EXPECT_EQ(r["body"].value("client", ""), "127.0.0.1") << r.dump();
  }
  EXPECT_TRUE(user_seen) << refused.dump();
  EXPECT_TRUE(anonymous_seen) << refused.dump();
  // Secrets never reach the audit or the server's answer.
  EXPECT_EQ(refused.dump().find("not the password"), std::string::npos);
}

TEST_F(LoginE2eTest, AContentRoleMustEnrolTotpThenLogsInWithItOnceAndWithRecoveryCodes) {
  AddUser("rita", "reviewer");
  Session s = Login("rita");
  ASSERT_FALSE(s.cookie.empty());
  EXPECT_TRUE(s.body.value("must_enrol_2fa", false)) << s.body.dump();
  // Until a factor is enrolled, the session reads nothing.
  auto blocked = client_->Get("/api/v1/search?q=hello", Cookie(s, false));
  ExpectError(blocked, 403, "permission_denied");
  EXPECT_NE(blocked->body.find("enrol a second factor"), std::string::npos) << blocked->body;

  auto begin =
      client_->Post("/api/v1/auth/totp", Cookie(s), R"({"algorithm":"SHA1"})", "application/json");
  ASSERT_TRUE(begin);
  ASSERT_EQ(begin->status, 201) << begin->body;
  const json enrolment = BodyJson(begin);
  EXPECT_EQ(enrolment.value("qr_svg", "").rfind("<svg", 0), 0U);
  const auto key = auth::ParseOtpauthUri(enrolment.value("otpauth_uri", ""));
  ASSERT_TRUE(key) << key.error().ToString();
  EXPECT_EQ(key->issuer, "custos");
  EXPECT_EQ(key->account, "rita");

  ExpectError(client_->Post("/api/v1/auth/totp/confirm", Cookie(s), R"({"code":"000000"})",
                            "application/json"),
              401, "unauthenticated");
  const std::int64_t step = auth::TotpStep(core::SystemClock().Now());
  const std::string now_code = auth::TotpCode(key->secret, key->algorithm, step);
  auto confirm = client_->Post("/api/v1/auth/totp/confirm", Cookie(s),
                               json{{"code", now_code}}.dump(), "application/json");
  ASSERT_TRUE(confirm);
  ASSERT_EQ(confirm->status, 200) << confirm->body;
  const json codes = BodyJson(confirm).value("recovery_codes", json::array());
  ASSERT_EQ(codes.size(), 10U);
  // Enrolled: the same session now has the reviewer's permissions.
  auto search = client_->Get("/api/v1/search?q=hello", Cookie(s, false));
  ASSERT_TRUE(search);
  EXPECT_EQ(search->status, 200) << search->body;

  // The password alone is no longer enough, and it is not a failure either.
  auto half = PostLogin({{"login", "rita"}, {"password", kPassword}});
  ExpectError(half, 401, "unauthenticated");
  EXPECT_EQ(BodyJson(half)["error"].value("field", ""), "totp_code");
  EXPECT_TRUE(SetCookies(half).empty());
  // The code used to confirm is spent; the next step's is accepted once.
  ExpectError(PostLogin({{"login", "rita"}, {"password", kPassword}, {"totp_code", now_code}}), 401,
              "unauthenticated");
  const std::string next_code = auth::TotpCode(key->secret, key->algorithm, step + 1);
  Session with_totp = Login("rita", {{"totp_code", next_code}});
  EXPECT_FALSE(with_totp.cookie.empty());
  EXPECT_FALSE(with_totp.body.value("must_enrol_2fa", true));
  auto replay = PostLogin({{"login", "rita"}, {"password", kPassword}, {"totp_code", next_code}});
  ExpectError(replay, 401, "unauthenticated");
  EXPECT_NE(replay->body.find("already used"), std::string::npos) << replay->body;

  // A recovery code logs in once.
  const std::string recovery = codes[0].get<std::string>();
  Session with_recovery = Login("rita", {{"recovery_code", recovery}});
  EXPECT_FALSE(with_recovery.cookie.empty());
  EXPECT_EQ(with_recovery.body["user"].value("recovery_codes_left", 0), 9);
  ExpectError(PostLogin({{"login", "rita"}, {"password", kPassword}, {"recovery_code", recovery}}),
              401, "unauthenticated");

  // A second enrolment over the first is refused: an administrator resets it.
  ExpectError(client_->Post("/api/v1/auth/totp", Cookie(with_totp), "{}", "application/json"), 409,
              "failed_precondition");
}

TEST_F(LoginE2eTest, FiveWrongCodesLockTheAccountWithAClearError) {
  AddUser("rita", "reviewer");
  Session s = Login("rita");
  auto begin = client_->Post("/api/v1/auth/totp", Cookie(s), "{}", "application/json");
  ASSERT_TRUE(begin && begin->status == 201);
  const auto key = auth::ParseOtpauthUri(BodyJson(begin).value("otpauth_uri", ""));
  ASSERT_TRUE(key);
  const std::int64_t step = auth::TotpStep(core::SystemClock().Now());
  auto confirm = client_->Post(
      "/api/v1/auth/totp/confirm", Cookie(s),
      json{{"code", auth::TotpCode(key->secret, key->algorithm, step)}}.dump(), "application/json");
  ASSERT_TRUE(confirm && confirm->status == 200);

  for (int i = 0; i < 5; ++i) {
    auto res = PostLogin({{"login", "rita"}, {"password", kPassword}, {"totp_code", "123456"}});
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 401) << i << ": " << res->body;
  }
  // Locked: even the right code is refused now, with when it ends.
  const std::string right = auth::TotpCode(key->secret, key->algorithm, step + 1);
  auto locked = PostLogin({{"login", "rita"}, {"password", kPassword}, {"totp_code", right}});
  ExpectError(locked, 429, "resource_exhausted");
  EXPECT_NE(locked->body.find("locked"), std::string::npos) << locked->body;
  EXPECT_NE(locked->body.find("until"), std::string::npos) << locked->body;
  EXPECT_TRUE(SetCookies(locked).empty());
  bool reason_seen = false;
  for (const json& r : RefusedLogins()) {
    reason_seen = reason_seen || r["body"].value("reason", "").rfind("locked", 0) == 0;
  }
  EXPECT_TRUE(reason_seen);
}

TEST_F(LoginE2eTest, OwnSessionsAreListedAndRevokedAndNobodyElses) {
  AddUser("eve", "employee");
  AddUser("emil", "employee");
  Session first = Login("eve");
  Session second = Login("eve");
  Session other = Login("emil");
  auto list = client_->Get("/api/v1/auth/sessions", Cookie(first, false));
  ASSERT_TRUE(list);
  ASSERT_EQ(list->status, 200) << list->body;
  const json items = BodyJson(list)["items"];
  ASSERT_EQ(items.size(), 2U) << list->body;
  int current = 0;
  for (const json& item : items) {
    current += item.value("current", false) ? 1 : 0;
    EXPECT_EQ(item.value("state", ""), "live");
    EXPECT_EQ(item.value("remote_address", ""), "127.0.0.1");
  }
  EXPECT_EQ(current, 1);

  // Emil cannot end Eve's session (404: it is not one of his).
  const std::string second_id = std::to_string(second.body["session"].value("id", 0));
  ExpectError(client_->Delete("/api/v1/auth/sessions/" + second_id, Cookie(other)), 404,
              "not_found");
  auto revoked = client_->Delete("/api/v1/auth/sessions/" + second_id, Cookie(first));
  ASSERT_TRUE(revoked);
  EXPECT_EQ(revoked->status, 200) << revoked->body;
  auto gone = client_->Get("/api/v1/me", Cookie(second, false));
  ExpectError(gone, 401, "unauthenticated");
  EXPECT_NE(gone->body.find("revoked"), std::string::npos) << gone->body;
  auto still = client_->Get("/api/v1/me", Cookie(first, false));
  ASSERT_TRUE(still);
  EXPECT_EQ(still->status, 200);
  // A session id that is not a session cookie, and garbage, are 401.
  ExpectError(client_->Get("/api/v1/me", {{"Cookie", "custos_session=" + second_id}}), 401,
              "unauthenticated");
  ExpectError(
      client_->Get("/api/v1/me", {{"Cookie", "custos_session=css_" + std::string(64, 'f')}}), 401,
      "unauthenticated");
  // Tokens keep working beside sessions; the session routes are for users only.
  ExpectError(client_->Get("/api/v1/auth/sessions", server_->Auth()), 401, "unauthenticated");
}

TEST_F(LoginE2eTest, ADisabledUserIsLoggedOutAndCannotLogIn) {
  AddUser("eve", "employee");
  Session s = Login("eve");
  ASSERT_EQ(RunCustos({"users", "disable", "eve", "--data", data_}).exit_code, 0);
  ExpectError(client_->Get("/api/v1/me", Cookie(s, false)), 401, "unauthenticated");
  auto res = PostLogin({{"login", "eve"}, {"password", kPassword}});
  ExpectError(res, 403, "permission_denied");
  EXPECT_NE(res->body.find("disabled"), std::string::npos) << res->body;
}

TEST_F(LoginE2eTest, ARevokedTokenIsRefused) {
  const custos::testing::RunResult t = RunCustos(
      {"tokens", "create", "--name", "feeder", "--role", "auditor", "--data", data_, "--json"});
  ASSERT_EQ(t.exit_code, 0) << t.err;
  const json token = json::parse(t.out, nullptr, false);
  const httplib::Headers auth = {{"Authorization", "Bearer " + token.value("token", "")}};
  auto ok = client_->Get("/api/v1/log/checkpoint", auth);
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 200) << ok->body;
  const custos::testing::RunResult r =
      RunCustos({"tokens", "revoke", std::to_string(token.value("id", 0)), "--data", data_});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ExpectError(client_->Get("/api/v1/log/checkpoint", auth), 401, "unauthenticated");
}

TEST_F(LoginE2eTest, MalformedLoginBodiesAreClearErrorsAndSetNothing) {
  AddUser("eve", "employee");
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"not json", ""},
      {"[1,2]", ""},
      {R"({"login":"eve"})", "password"},
      {R"({"password":"x"})", "login"},
      {R"({"login":"eve","password":42})", "password"},
      {R"({"login":"","password":"x"})", "login"},
      {R"({"login":"eve","password":"x","remember":true})", ""},
      {R"({"login":"eve","password":"x","totp_code":"1","recovery_code":"2"})", "recovery_code"},
      {"{\"login\":\"" + std::string(100, 'a') + "\",\"password\":\"x\"}", "login"},
      {std::string(64, '[') + std::string(64, ']'), ""},
  };
  for (const auto& [body, field] : cases) {
    auto res = client_->Post("/api/v1/auth/login", body, "application/json");
    ExpectError(res, 400, "invalid_argument");
    EXPECT_TRUE(SetCookies(res).empty()) << body;
    if (!field.empty()) {
      EXPECT_EQ(BodyJson(res)["error"].value("field", ""), field) << body << " -> " << res->body;
    }
  }
  // Larger than the route's 8 KiB.
  auto huge = client_->Post("/api/v1/auth/login",
                            json{{"login", "eve"}, {"password", std::string(20000, 'x')}}.dump(),
                            "application/json");
  ASSERT_TRUE(huge);
  EXPECT_EQ(huge->status, 413) << huge->body;
  // None of these counted against the account: the right password still logs in.
  EXPECT_FALSE(Login("eve").cookie.empty());
}

TEST_F(LoginE2eTest, AnUnknownRoleInUsersAddIsAnErrorAndAddsNobody) {
  const custos::testing::RunResult r =
      RunCustos({"users", "add", "zed", "--role", "overlord", "--password-file",
                 dir_.File("password"), "--data", data_});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("overlord"), std::string::npos) << r.err;
  const custos::testing::RunResult list = RunCustos({"users", "list", "--data", data_, "--json"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_EQ(list.out.find("zed"), std::string::npos) << list.out;
  ExpectError(PostLogin({{"login", "zed"}, {"password", kPassword}}), 401, "unauthenticated");
}

class ShortSessionE2eTest : public LoginE2eTest {
 protected:
  void SetUp() override { Start("auth:\n  session_idle: 2s\n  session_absolute: 1h\n"); }
};

TEST_F(ShortSessionE2eTest, AnIdleSessionExpires) {
  AddUser("eve", "employee");
  Session s = Login("eve");
  auto fresh = client_->Get("/api/v1/me", Cookie(s, false));
  ASSERT_TRUE(fresh);
  EXPECT_EQ(fresh->status, 200);
  std::this_thread::sleep_for(std::chrono::milliseconds(3500));
  auto stale = client_->Get("/api/v1/me", Cookie(s, false));
  ExpectError(stale, 401, "unauthenticated");
  EXPECT_NE(stale->body.find("expired"), std::string::npos) << stale->body;
}

}  // namespace
}  // namespace custos::e2e
