// SPDX-License-Identifier: Apache-2.0
// Single sign-on end to end (issue 15; docs/sso.md): the real `custos serve` with DIR/custos.yaml
// pointing at a local OpenID Connect provider started by the test (tests/testing/
// fake_oidc_provider.h: discovery, /authorize, /token, /jwks over real HTTP, RS256 and ES256).
// The browser's part is played here: GET /api/v1/auth/oidc/start (302 to the provider, the state
// cookie), the provider's 302 back, GET the callback on custos with the state cookie (302 to "/"
// with the session cookies), then the session cookie on GET /api/v1/me. Refused through the
// server, each a 401 or 403 with a JSON error and no cookie: a forged signature, a wrong
// audience, an expired token, a replayed nonce (an earlier login's ID token), a replayed state,
// alg "none", a claim that maps to no role, a provider error, a state from another browser, and
// a disabled user.
#include <chrono>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "cli/custos_runner.h"
#include "e2e/custos_process.h"
#include "testing/fake_oidc_provider.h"
#include "testing/temp_dir.h"

namespace custos::e2e {
namespace {

using custos::testing::FakeOidcProvider;
using custos::testing::FakeOidcUser;
using nlohmann::json;

constexpr const char* kRedirectUri = "http://127.0.0.1:1/api/v1/auth/oidc/callback";

FakeOidcProvider::Options ProviderOptions() {
  FakeOidcProvider::Options options;
  options.redirect_uri = kRedirectUri;
  return options;
}

// The values of the Set-Cookie headers of `res`, each up to its first ';'.
std::vector<std::string> SetCookies(const httplib::Result& res) {
  std::vector<std::string> out;
  auto range = res->headers.equal_range("Set-Cookie");
  for (auto it = range.first; it != range.second; ++it) {
    out.push_back(it->second.substr(0, it->second.find(';')));
  }
  return out;
}

// The value of cookie `name` among `cookies` ("" when absent).
std::string CookieValue(const std::vector<std::string>& cookies, const std::string& name) {
  for (const std::string& c : cookies) {
    if (c.rfind(name + "=", 0) == 0) {
      return c.substr(name.size() + 1);
    }
  }
  return "";
}

// The path and query of an absolute URL.
std::string Target(const std::string& url) {
  const std::size_t scheme = url.find("://");
  const std::size_t path = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  return path == std::string::npos ? "/" : url.substr(path);
}

class OidcLoginE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    data_ = dir_.File("data");
    std::filesystem::create_directories(data_);
    const auto& o = idp_.options();
    custos::testing::WriteFile(data_ + "/custos.yaml",
                               "auth:\n"
                               "  oidc:\n"
                               "    issuer: " +
                                   idp_.Issuer() +
                                   "\n"
                                   "    client_id: " +
                                   o.client_id +
                                   "\n"
                                   "    client_secret: " +
                                   o.client_secret +
                                   "\n"
                                   "    redirect_uri: " +
                                   o.redirect_uri +
                                   "\n"
                                   "    role_claim: groups\n"
                                   "    role_map: compliance=compliance_officer, audit=auditor\n");
    Ada({"compliance"});
    std::string error;
    server_ = CustosProcess::Start(data_, &error);
    ASSERT_NE(server_, nullptr) << error;
    client_ = server_->Client();
    client_->set_follow_location(false);
  }

  // The next user the provider signs in: Ada, subject "ada-sub", with these groups.
  void Ada(const std::vector<std::string>& groups) {
    FakeOidcUser user;
    user.subject = "ada-sub";
    user.email = "ada@example.com";
    user.name = "Ada Lovelace";
    user.extra_claims = {{"groups", groups}};
    idp_.SetNextUser(user);
  }

  struct Started {
    std::string state_cookie;
    std::string callback;  // the path and query the provider redirected back with
  };

  // GET start, then the provider's /authorize: where the browser is sent back to custos.
  Started Start() {
    auto start = client_->Get("/api/v1/auth/oidc/start");
    EXPECT_TRUE(start) << httplib::to_string(start.error());
    if (!start) {
      return {};
    }
    EXPECT_EQ(start->status, 302) << start->body;
    const std::string location = start->get_header_value("Location");
    EXPECT_EQ(location.rfind(idp_.Issuer() + "/authorize?", 0), 0u) << location;
    Started out;
    out.state_cookie = CookieValue(SetCookies(start), "custos_oidc_state");
    EXPECT_FALSE(out.state_cookie.empty());
    auto back = custos::testing::FollowAuthorizeRedirect(location);
    EXPECT_TRUE(back.has_value()) << back.error().ToString();
    if (back.has_value()) {
      EXPECT_EQ(back->rfind(std::string(kRedirectUri) + "?", 0), 0u) << *back;
      out.callback = Target(*back);
    }
    return out;
  }

  httplib::Result Callback(const Started& s) {
    return client_->Get(s.callback, {{"Cookie", "custos_oidc_state=" + s.state_cookie}});
  }

  // A whole sign-in; the callback's answer.
  httplib::Result SignIn() { return Callback(Start()); }

  // The session cookie of a successful sign-in ("" and a failure otherwise).
  std::string SignedIn() {
    auto res = SignIn();
    EXPECT_TRUE(res);
    if (!res) {
      return "";
    }
    EXPECT_EQ(res->status, 302) << res->body;
    EXPECT_EQ(res->get_header_value("Location"), "/");
    const std::vector<std::string> cookies = SetCookies(res);
    EXPECT_FALSE(CookieValue(cookies, "custos_csrf").empty());
    const std::string session = CookieValue(cookies, "custos_session");
    EXPECT_EQ(session.rfind("css_", 0), 0u) << session;
    return session;
  }

  // The callback's answer is a refusal: `status`, a JSON error, and no cookie at all.
  static void ExpectRefused(const httplib::Result& res, int status, const std::string& what) {
    ASSERT_TRUE(res) << what;
    EXPECT_EQ(res->status, status) << what << ": " << res->body;
    EXPECT_TRUE(SetCookies(res).empty()) << what;
    const json body = BodyJson(res);
    EXPECT_TRUE(body.contains("error")) << what << ": " << res->body;
    // Generic: the reason is in the log and the audit, not told to the browser.
    EXPECT_EQ(res->body.find("id_token"), std::string::npos) << what << ": " << res->body;
  }

  custos::testing::TempDir dir_;
  FakeOidcProvider idp_{ProviderOptions()};
  std::string data_;
  std::unique_ptr<CustosProcess> server_;
  std::unique_ptr<httplib::Client> client_;
};

TEST_F(OidcLoginE2eTest, Rs256AndEs256SignInsOpenASessionForOneProvisionedUser) {
  EXPECT_FALSE(SignedIn().empty());
  idp_.SetSigning(FakeOidcProvider::Signing::kEs256);
  EXPECT_FALSE(SignedIn().empty());
  const custos::testing::RunResult listed =
      custos::testing::RunCustos({"users", "list", "--json", "--data", data_});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  const json users = json::parse(listed.out, nullptr, false);
  ASSERT_TRUE(users.contains("users")) << listed.out;
  ASSERT_EQ(users["users"].size(), 1u) << listed.out;
  EXPECT_EQ(users["users"][0].value("login", ""), "ada@example.com");
  EXPECT_EQ(users["users"][0]["roles"], json::array({"compliance_officer"}));
  EXPECT_EQ(users["users"][0].value("created_by", ""), "oidc:" + idp_.Issuer());
}

TEST_F(OidcLoginE2eTest, TheSessionCookieAuthenticatesTheApi) {
  const std::string session = SignedIn();
  ASSERT_FALSE(session.empty());
  auto me = client_->Get("/api/v1/me", {{"Cookie", "custos_session=" + session}});
  ASSERT_TRUE(me);
  EXPECT_EQ(me->status, 200) << me->body;
  EXPECT_NE(me->body.find("ada@example.com"), std::string::npos) << me->body;
  auto anonymous = client_->Get("/api/v1/me");
  ASSERT_TRUE(anonymous);
  EXPECT_EQ(anonymous->status, 401);
  // A compliance officer reads content, which needs a second factor: the provider is it, so the
  // session is not held back to enrolling a custos TOTP (docs/sso.md).
  auto search = client_->Get("/api/v1/search?q=hello", {{"Cookie", "custos_session=" + session}});
  ASSERT_TRUE(search);
  EXPECT_EQ(search->status, 200) << search->body;
  // A local password given to that user later does not skip the second factor: its password
  // login is refused, pointing to single sign-on.
  const std::string password_file = dir_.File("password");
  { std::ofstream(password_file) << "a long local passphrase 4711"; }
  const custos::testing::RunResult reset =
      custos::testing::RunCustos({"users", "reset-password", "ada@example.com", "--password-file",
                                  password_file, "--data", data_});
  ASSERT_EQ(reset.exit_code, 0) << reset.err;
  auto local = client_->Post(
      "/api/v1/auth/login",
      json{{"login", "ada@example.com"}, {"password", "a long local passphrase 4711"}}.dump(),
      "application/json");
  ASSERT_TRUE(local);
  EXPECT_EQ(local->status, 403) << local->body;
  EXPECT_NE(local->body.find("single sign-on"), std::string::npos) << local->body;
  EXPECT_TRUE(SetCookies(local).empty());
}

TEST_F(OidcLoginE2eTest, BadTokensAreRefusedWithoutASession) {
  idp_.SetSigning(FakeOidcProvider::Signing::kForgedRs256);
  ExpectRefused(SignIn(), 401, "forged signature");
  idp_.SetSigning(FakeOidcProvider::Signing::kNone);
  ExpectRefused(SignIn(), 401, "alg none");
  idp_.SetSigning(FakeOidcProvider::Signing::kHs256WithPublicKey);
  ExpectRefused(SignIn(), 401, "HS256 keyed with the public key");
  idp_.SetSigning(FakeOidcProvider::Signing::kRs256);
  idp_.SetAudience("someone-else");
  ExpectRefused(SignIn(), 401, "wrong audience");
  idp_.SetAudience("");
  idp_.SetExpired(true);
  ExpectRefused(SignIn(), 401, "expired");
  idp_.SetExpired(false);
  // A replayed nonce: the provider answers with the ID token of the previous (good) login.
  EXPECT_FALSE(SignedIn().empty());
  idp_.SetReplayPreviousIdToken(true);
  ExpectRefused(SignIn(), 401, "replayed nonce");
  idp_.SetReplayPreviousIdToken(false);
  // Nothing refused made a user.
  const custos::testing::RunResult listed =
      custos::testing::RunCustos({"users", "list", "--json", "--data", data_});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_EQ(json::parse(listed.out, nullptr, false)["users"].size(), 1u) << listed.out;
  // Each refusal is a failed login in the access audit, with its reason.
  const custos::testing::RunResult token = custos::testing::RunCustos(
      {"tokens", "create", "--name", "auditor", "--role", "auditor", "--json", "--data", data_});
  ASSERT_EQ(token.exit_code, 0) << token.err;
  const httplib::Headers auth = {
      {"Authorization", "Bearer " + json::parse(token.out, nullptr, false).value("token", "")}};
  std::size_t refused = 0;
  for (int attempt = 0; attempt < 50 && refused < 6; ++attempt) {
    auto res = client_->Get("/api/v1/audit/access?limit=500", auth);
    ASSERT_TRUE(res && res->status == 200) << (res ? res->body : "no response");
    refused = 0;
    const json listing = BodyJson(res);  // alive for the loop (a temporary's member is not)
    for (const json& item : listing["items"]) {
      const json body = item["record"]["body"];
      if (body.value("route", "") == "GET /api/v1/auth/oidc/callback") {
        EXPECT_FALSE(body.value("reason", "").empty()) << body.dump();
        ++refused;
      }
    }
    if (refused < 6) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }
  EXPECT_EQ(refused, 6u);
}

TEST_F(OidcLoginE2eTest, ReplayedStatesForeignStatesAndProviderErrorsAreRefused) {
  const Started s = Start();
  auto first = Callback(s);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->status, 302) << first->body;
  ExpectRefused(Callback(s), 401, "replayed state");

  // Another browser's callback link (login CSRF): its state is not this browser's cookie.
  const Started theirs = Start();
  const Started mine = Start();
  ExpectRefused(Callback({mine.state_cookie, theirs.callback}), 401, "foreign state");
  ExpectRefused(client_->Get(theirs.callback), 401, "no state cookie");

  ExpectRefused(
      client_->Get("/api/v1/auth/oidc/callback?error=access_denied&state=" + mine.state_cookie,
                   {{"Cookie", "custos_oidc_state=" + mine.state_cookie}}),
      401, "provider error");
  ExpectRefused(client_->Get("/api/v1/auth/oidc/callback"), 401, "no parameters");
}

TEST_F(OidcLoginE2eTest, AClaimThatMapsToNoRoleAndADisabledUserAreForbidden) {
  Ada({"staff"});
  ExpectRefused(SignIn(), 403, "no role");
  Ada({"audit"});
  ASSERT_FALSE(SignedIn().empty());
  const custos::testing::RunResult disabled =
      custos::testing::RunCustos({"users", "disable", "ada@example.com", "--data", data_});
  ASSERT_EQ(disabled.exit_code, 0) << disabled.err;
  ExpectRefused(SignIn(), 403, "disabled user");
}

TEST(OidcLoginOffE2eTest, WithoutAnIssuerStartIsNotFound) {
  custos::testing::TempDir dir;
  std::string error;
  auto server = CustosProcess::Start(dir.File("data"), &error);
  ASSERT_NE(server, nullptr) << error;
  auto client = server->Client();
  for (const char* path :
       {"/api/v1/auth/oidc/start", "/api/v1/auth/oidc/callback?state=a&code=b"}) {
    auto res = client->Get(path);
    ASSERT_TRUE(res) << path;
    EXPECT_EQ(res->status, 404) << path;
    EXPECT_NE(res->body.find("single sign-on is not configured"), std::string::npos) << res->body;
  }
}

}  // namespace
}  // namespace custos::e2e
