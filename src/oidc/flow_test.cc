// SPDX-License-Identifier: Apache-2.0
// The relying party end to end against a local identity provider over real HTTP
// (tests/testing/fake_oidc_provider.h): discovery, the authorize redirect, the token endpoint,
// the JWKS, RS256 and ES256 tokens, and every refused case of issue 15.
#include "oidc/flow.h"

#include <string>

#include <gtest/gtest.h>

#include "testing/fake_oidc_provider.h"

namespace custos::oidc {
namespace {

using core::StatusCode;
using testing::FakeOidcProvider;
using testing::FakeOidcUser;

constexpr core::Micros kSecond = core::kMicrosPerSecond;

class OidcFlowTest : public ::testing::Test {
 protected:
  void SetUp() override {
    FakeOidcUser user;
    user.extra_claims = {{"groups", {"staff", "compliance"}}};
    idp_.SetNextUser(user);
    auto client = OidcClient::Create(Config());
    ASSERT_TRUE(client.has_value()) << client.error().ToString();
    client_ = std::move(client).value();
  }

  OidcConfig Config() const {
    OidcConfig config;
    config.issuer = idp_.Issuer();
    config.client_id = idp_.options().client_id;
    config.client_secret = idp_.options().client_secret;
    config.redirect_uri = idp_.options().redirect_uri;
    config.role_claim = "groups";
    config.role_map = {{"compliance", "compliance_officer"}, {"audit", "auditor"}};
    return config;
  }

  static core::Micros Now() { return core::SystemClock().Now(); }

  // The browser's part: follow /authorize to the redirect back to custos.
  struct Callback {
    std::string state;
    std::string code;
  };

  Callback Authorize(const LoginStart& start) {
    auto location = testing::FollowAuthorizeRedirect(start.authorize_url);
    EXPECT_TRUE(location.has_value()) << location.error().ToString();
    if (!location.has_value()) {
      return {};
    }
    EXPECT_EQ(location->rfind(idp_.options().redirect_uri + "?", 0), 0u) << *location;
    return {testing::QueryParam(*location, "state"), testing::QueryParam(*location, "code")};
  }

  core::Result<OidcIdentity> Login(core::Micros now) {
    auto start = client_->BeginLogin(now);
    if (!start.has_value()) {
      return start.error();
    }
    const Callback back = Authorize(*start);
    EXPECT_EQ(back.state, start->state);
    return client_->CompleteLogin(back.state, back.code, now);
  }

  // A login that must be refused with `code`; returns the message.
  std::string Refused(StatusCode code = StatusCode::kUnauthenticated) {
    auto identity = Login(Now());
    EXPECT_FALSE(identity.has_value());
    if (identity.has_value()) {
      return "";
    }
    EXPECT_EQ(identity.error().code(), code) << identity.error().ToString();
    return identity.error().message();
  }

  FakeOidcProvider idp_;
  std::unique_ptr<OidcClient> client_;
};

TEST_F(OidcFlowTest, Rs256LoginReturnsTheUserAndTheMappedRoles) {
  auto start = client_->BeginLogin(Now());
  ASSERT_TRUE(start.has_value()) << start.error().ToString();
  EXPECT_NE(start->authorize_url.find("code_challenge_method=S256"), std::string::npos);
  EXPECT_EQ(start->state.size(), 43u);  // 32 random bytes, base64url
  EXPECT_EQ(start->code_verifier.size(), 43u);
  EXPECT_NE(start->state, start->nonce);
  const Callback back = Authorize(*start);
  auto identity = client_->CompleteLogin(back.state, back.code, Now());
  ASSERT_TRUE(identity.has_value()) << identity.error().ToString();
  EXPECT_EQ(identity->subject, "user-1");
  EXPECT_EQ(identity->email, "ada@example.com");
  EXPECT_TRUE(identity->email_verified);
  EXPECT_EQ(identity->name, "Ada Lovelace");
  EXPECT_EQ(identity->login, "ada@example.com");  // login_claim: "email" by default
  EXPECT_EQ(identity->issuer, idp_.Issuer());
  EXPECT_EQ(identity->roles, std::vector<std::string>{"compliance_officer"});
  EXPECT_EQ(idp_.DiscoveryRequests(), 1);
  EXPECT_EQ(idp_.JwksRequests(), 1);
  EXPECT_EQ(client_->PendingLoginCount(), 0u);
}

TEST_F(OidcFlowTest, Es256LoginSucceedsAndMapsEveryMatchingRole) {
  FakeOidcUser user;
  user.subject = "user-2";
  user.extra_claims = {{"groups", {"audit", "compliance", "audit"}}};
  idp_.SetNextUser(user);
  idp_.SetSigning(FakeOidcProvider::Signing::kEs256);
  auto identity = Login(Now());
  ASSERT_TRUE(identity.has_value()) << identity.error().ToString();
  EXPECT_EQ(identity->subject, "user-2");
  EXPECT_EQ(identity->roles, (std::vector<std::string>{"auditor", "compliance_officer"}));
}

TEST_F(OidcFlowTest, TheLoginComesFromTheConfiguredClaimWhenItIsAString) {
  OidcConfig config = Config();
  config.login_claim = "preferred_username";
  auto client = OidcClient::Create(config);
  ASSERT_TRUE(client.has_value()) << client.error().ToString();
  client_ = std::move(*client);
  FakeOidcUser user;
  user.extra_claims = {{"groups", {"compliance"}}, {"preferred_username", "ada.l"}};
  idp_.SetNextUser(user);
  auto identity = Login(Now());
  ASSERT_TRUE(identity.has_value()) << identity.error().ToString();
  EXPECT_EQ(identity->login, "ada.l");
  user.extra_claims = {{"groups", {"compliance"}}, {"preferred_username", 42}};
  idp_.SetNextUser(user);
  identity = Login(Now());
  ASSERT_TRUE(identity.has_value()) << identity.error().ToString();
  EXPECT_EQ(identity->login, "");  // not a string: no login (the server refuses to provision)
  config.login_claim.clear();
  EXPECT_EQ(OidcClient::Create(config).error().code(), StatusCode::kInvalidArgument);
}

TEST_F(OidcFlowTest, APublicClientAuthenticatesWithPkceAlone) {
  FakeOidcProvider::Options options;
  options.client_secret.clear();
  FakeOidcProvider idp(options);
  FakeOidcUser user;
  user.extra_claims = {{"groups", "compliance"}};  // a single string claim
  idp.SetNextUser(user);
  OidcConfig config = Config();
  config.issuer = idp.Issuer();
  config.client_secret.clear();
  auto client = OidcClient::Create(config);
  ASSERT_TRUE(client.has_value());
  auto start = (*client)->BeginLogin(Now());
  ASSERT_TRUE(start.has_value()) << start.error().ToString();
  const Callback back = Authorize(*start);
  auto identity = (*client)->CompleteLogin(back.state, back.code, Now());
  ASSERT_TRUE(identity.has_value()) << identity.error().ToString();
  EXPECT_EQ(identity->roles, std::vector<std::string>{"compliance_officer"});
}

TEST_F(OidcFlowTest, RefusesAForgedSignature) {
  idp_.SetSigning(FakeOidcProvider::Signing::kForgedRs256);
  EXPECT_NE(Refused().find("bad signature"), std::string::npos);
}

TEST_F(OidcFlowTest, RefusesAlgNone) {
  idp_.SetSigning(FakeOidcProvider::Signing::kNone);
  EXPECT_NE(Refused().find("alg \"none\" not allowed"), std::string::npos);
}

TEST_F(OidcFlowTest, RefusesHs256SignedWithThePublicKey) {
  idp_.SetSigning(FakeOidcProvider::Signing::kHs256WithPublicKey);
  EXPECT_NE(Refused().find("alg \"HS256\" not allowed"), std::string::npos);
}

TEST_F(OidcFlowTest, RefusesAWrongAudience) {
  idp_.SetAudience("another-client");
  EXPECT_NE(Refused().find("wrong audience"), std::string::npos);
}

TEST_F(OidcFlowTest, RefusesAnExpiredToken) {
  idp_.SetExpired(true);
  EXPECT_NE(Refused().find("expired"), std::string::npos);
}

TEST_F(OidcFlowTest, RefusesATokenFromAnotherIssuer) {
  idp_.SetIssuerClaim("http://127.0.0.1:1");
  EXPECT_NE(Refused().find("wrong issuer"), std::string::npos);
}

TEST_F(OidcFlowTest, RefusesADiscoveryDocumentOfAnotherIssuer) {
  idp_.SetDiscoveryIssuer("https://evil.example.com");
  auto start = client_->BeginLogin(Now());
  ASSERT_FALSE(start.has_value());
  EXPECT_NE(start.error().message().find("wrong issuer"), std::string::npos);
  EXPECT_EQ(client_->PendingLoginCount(), 0u);
}

TEST_F(OidcFlowTest, RefusesTheIdTokenOfAnEarlierLogin) {
  ASSERT_TRUE(Login(Now()).has_value());
  idp_.SetReplayPreviousIdToken(true);  // validly signed, but carries the first login's nonce
  EXPECT_NE(Refused().find("nonce mismatch"), std::string::npos);
}

TEST_F(OidcFlowTest, AStateAndACodeCompleteOneLoginOnly) {
  auto start = client_->BeginLogin(Now());
  ASSERT_TRUE(start.has_value());
  const Callback back = Authorize(*start);
  ASSERT_TRUE(client_->CompleteLogin(back.state, back.code, Now()).has_value());
  auto again = client_->CompleteLogin(back.state, back.code, Now());
  ASSERT_FALSE(again.has_value());
  EXPECT_NE(again.error().message().find("already used"), std::string::npos);
  EXPECT_EQ(idp_.TokenRequests(), 1);  // refused before the provider is asked
  // The same code under a fresh state: the provider refuses the second redemption.
  auto fresh = client_->BeginLogin(Now());
  ASSERT_TRUE(fresh.has_value());
  auto reused = client_->CompleteLogin(fresh->state, back.code, Now());
  ASSERT_FALSE(reused.has_value());
  EXPECT_NE(reused.error().message().find("code already used"), std::string::npos);
}

TEST_F(OidcFlowTest, RefusesACodeRedeemedWithAnotherLoginsPkceVerifier) {
  // An attacker's code (bound to the attacker's challenge) injected into the victim's callback.
  auto attacker = client_->BeginLogin(Now());
  auto victim = client_->BeginLogin(Now());
  ASSERT_TRUE(attacker.has_value() && victim.has_value());
  const Callback stolen = Authorize(*attacker);
  auto identity = client_->CompleteLogin(victim->state, stolen.code, Now());
  ASSERT_FALSE(identity.has_value());
  EXPECT_EQ(identity.error().code(), StatusCode::kUnauthenticated);
  EXPECT_NE(identity.error().message().find("PKCE verification failed"), std::string::npos)
      << identity.error().message();
}

TEST_F(OidcFlowTest, RefetchesTheJwksOnceAfterKeyRotationAndNotMoreThanOnceAMinute) {
  const core::Micros t0 = Now();
  ASSERT_TRUE(Login(t0).has_value());
  idp_.RotateKeys();
  auto after = Login(t0 + 120 * kSecond);
  ASSERT_TRUE(after.has_value()) << after.error().ToString();
  EXPECT_EQ(idp_.JwksRequests(), 2);
  idp_.RotateKeys();
  auto throttled = Login(t0 + 150 * kSecond);
  ASSERT_FALSE(throttled.has_value());
  EXPECT_NE(throttled.error().message().find("unknown kid"), std::string::npos);
  EXPECT_NE(throttled.error().message().find("rate limit"), std::string::npos);
  EXPECT_EQ(idp_.JwksRequests(), 2);
}

TEST_F(OidcFlowTest, RefusesALoginWhoseClaimMapsToNoRole) {
  FakeOidcUser user;
  user.extra_claims = {{"groups", {"staff"}}};
  idp_.SetNextUser(user);
  EXPECT_NE(Refused(StatusCode::kPermissionDenied).find("maps to no custos role"),
            std::string::npos);
  user.extra_claims = nlohmann::json::object();
  idp_.SetNextUser(user);
  EXPECT_NE(Refused(StatusCode::kPermissionDenied).find("\"groups\""), std::string::npos);
}

TEST_F(OidcFlowTest, AnUnreachableProviderIsUnavailable) {
  OidcConfig config = Config();
  config.issuer = "http://127.0.0.1:1";
  config.http_timeout_seconds = 2;
  auto client = OidcClient::Create(config);
  ASSERT_TRUE(client.has_value());
  auto start = (*client)->BeginLogin(Now());
  ASSERT_FALSE(start.has_value());
  EXPECT_EQ(start.error().code(), StatusCode::kUnavailable);
}

TEST(OidcClient, CreateNamesTheBadSetting) {
  OidcConfig config;
  config.issuer = "http://idp.example.com";
  config.client_id = "c";
  config.redirect_uri = "https://custos.example.com/cb";
  config.role_map = {{"g", "admin"}};
  EXPECT_NE(OidcClient::Create(config).error().message().find("oidc.issuer: must be https"),
            std::string::npos);
  config.issuer = "https://idp.example.com";
  EXPECT_TRUE(OidcClient::Create(config).has_value());
  config.scopes = {"email"};
  EXPECT_NE(OidcClient::Create(config).error().message().find("openid"), std::string::npos);
  config.scopes = {"openid"};
  config.role_map.clear();
  EXPECT_NE(OidcClient::Create(config).error().message().find("oidc.role_map"), std::string::npos);
  config.role_map = {{"g", "admin"}};
  config.client_id.clear();
  EXPECT_NE(OidcClient::Create(config).error().message().find("oidc.client_id"), std::string::npos);
}

}  // namespace
}  // namespace custos::oidc
