// SPDX-License-Identifier: Apache-2.0
#include "oidc/jwt.h"

#include <string>

#include <gtest/gtest.h>

#include "crypto/crypto.h"
#include "testing/test_signing_key.h"

namespace custos::oidc {
namespace {

using core::StatusCode;
using nlohmann::json;
using testing::SignedHeader;
using testing::SignJwt;
using testing::TestSigningKey;

constexpr std::int64_t kNow = 1'700'000'000;
const char* const kIssuer = "https://idp.example.com";
const char* const kClient = "custos";
const char* const kNonce = "n-0S6_WzA2Mj";

const TestSigningKey& Rsa() { return testing::SharedTestKey(TestSigningKey::Type::kRsa2048); }

const TestSigningKey& Ec() { return testing::SharedTestKey(TestSigningKey::Type::kEcP256); }

Jwk ToJwk(const TestSigningKey& key) { return Jwk{key.Kid(), key.Alg(), key.PublicKey()}; }

Jwks BothKeys() { return Jwks{{ToJwk(Rsa()), ToJwk(Ec())}, 0}; }

json Claims() {
  return {{"iss", kIssuer},
          {"sub", "248289761001"},
          {"aud", kClient},
          {"nonce", kNonce},
          {"iat", kNow - 10},
          {"exp", kNow + 600},
          {"email", "ada@example.com"},
          {"email_verified", true},
          {"name", "Ada"}};
}

IdTokenExpectations Expected() {
  return {kIssuer, kClient, kNonce, kNow * core::kMicrosPerSecond, kDefaultMaxClockSkew};
}

core::Result<IdTokenClaims> Verify(const std::string& token) {
  return VerifyIdToken(token, BothKeys(), Expected());
}

// The refusal message of `token`, which must be kUnauthenticated.
std::string Refusal(const std::string& token) {
  auto r = Verify(token);
  EXPECT_FALSE(r.has_value());
  if (r.has_value()) {
    return "";
  }
  EXPECT_EQ(r.error().code(), StatusCode::kUnauthenticated) << r.error().ToString();
  return r.error().message();
}

TEST(VerifyIdToken, AcceptsRs256AndEs256TokensAndReturnsTheClaims) {
  for (const TestSigningKey* key : {&Rsa(), &Ec()}) {
    auto r = Verify(SignJwt(*key, SignedHeader(*key), Claims()));
    ASSERT_TRUE(r.has_value()) << r.error().ToString();
    EXPECT_EQ(r->subject, "248289761001");
    EXPECT_EQ(r->issuer, kIssuer);
    EXPECT_EQ(r->email, "ada@example.com");
    EXPECT_TRUE(r->email_verified);
    EXPECT_EQ(r->name, "Ada");
    EXPECT_EQ(r->kid, key->Kid());
    EXPECT_EQ(r->expires_at, (kNow + 600) * core::kMicrosPerSecond);
  }
}

TEST(VerifyIdToken, WithoutKidUsesTheOnlyKeyOfTheAlgsType) {
  auto r = Verify(SignJwt(Ec(), {{"alg", "ES256"}}, Claims()));
  ASSERT_TRUE(r.has_value()) << r.error().ToString();
  TestSigningKey second(TestSigningKey::Type::kEcP256, "ec-2");
  Jwks two = BothKeys();
  two.keys.push_back(ToJwk(second));
  auto ambiguous = VerifyIdToken(SignJwt(Ec(), {{"alg", "ES256"}}, Claims()), two, Expected());
  ASSERT_FALSE(ambiguous.has_value());
  EXPECT_NE(ambiguous.error().message().find("2 EC keys"), std::string::npos);
}

TEST(VerifyIdToken, AnUnknownKidIsNotFoundSoTheCallerCanRefetchTheJwks) {
  TestSigningKey rotated(TestSigningKey::Type::kRsa2048, "rsa-2");
  auto r = Verify(SignJwt(rotated, SignedHeader(rotated), Claims()));
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), StatusCode::kNotFound);
  EXPECT_NE(r.error().message().find("unknown kid \"rsa-2\""), std::string::npos);
}

TEST(VerifyIdToken, RefusesAlgNoneHmacAndOtherAlgorithms) {
  const std::string none = testing::JwtSigningInput({{"alg", "none"}}, Claims()) + ".";
  EXPECT_NE(Refusal(none).find("alg \"none\" not allowed"), std::string::npos);
  // The classic confusion: HS256 keyed with the RSA public key a verifier holds.
  const std::string hs =
      testing::HmacJwt(Rsa().PublicKeyPem(), {{"alg", "HS256"}, {"kid", "rsa-1"}}, Claims());
  EXPECT_NE(Refusal(hs).find("alg \"HS256\" not allowed"), std::string::npos);
  const std::string rs512 = SignJwt(Rsa(), {{"alg", "RS512"}, {"kid", "rsa-1"}}, Claims());
  EXPECT_NE(Refusal(rs512).find("alg \"RS512\" not allowed"), std::string::npos);
  EXPECT_NE(Refusal(SignJwt(Rsa(), {{"kid", "rsa-1"}}, Claims())).find("\"alg\" is missing"),
            std::string::npos);
}

TEST(VerifyIdToken, RefusesAnAlgThatDoesNotMatchTheKeysType) {
  const std::string token = SignJwt(Ec(), {{"alg", "ES256"}, {"kid", "rsa-1"}}, Claims());
  EXPECT_NE(Refusal(token).find("key \"rsa-1\" is for RS256"), std::string::npos);
}

TEST(VerifyIdToken, RefusesAForgedSignatureAndAnAlteredPayload) {
  TestSigningKey forger(TestSigningKey::Type::kRsa2048, "x");
  const std::string forged = SignJwt(forger, SignedHeader(Rsa()), Claims());
  EXPECT_NE(Refusal(forged).find("bad signature"), std::string::npos);
  const std::string good = SignJwt(Rsa(), SignedHeader(Rsa()), Claims());
  json changed = Claims();
  changed["sub"] = "admin";
  const std::string altered =
      testing::JwtSigningInput(SignedHeader(Rsa()), changed) + good.substr(good.rfind('.'));
  EXPECT_NE(Refusal(altered).find("bad signature"), std::string::npos);
}

TEST(VerifyIdToken, RefusesWrongIssuerAndAudience) {
  json claims = Claims();
  claims["iss"] = "https://evil.example.com";
  EXPECT_NE(Refusal(SignJwt(Rsa(), SignedHeader(Rsa()), claims)).find("wrong issuer"),
            std::string::npos);
  claims = Claims();
  claims["aud"] = "another-client";
  EXPECT_NE(Refusal(SignJwt(Rsa(), SignedHeader(Rsa()), claims)).find("wrong audience"),
            std::string::npos);
}

TEST(VerifyIdToken, AnAudienceArrayWithSeveralEntriesNeedsAzpEqualToTheClient) {
  json claims = Claims();
  claims["aud"] = {kClient, "other"};
  EXPECT_NE(Refusal(SignJwt(Rsa(), SignedHeader(Rsa()), claims)).find("\"azp\" is missing"),
            std::string::npos);
  claims["azp"] = "other";
  EXPECT_NE(Refusal(SignJwt(Rsa(), SignedHeader(Rsa()), claims)).find("wrong authorized party"),
            std::string::npos);
  claims["azp"] = kClient;
  EXPECT_TRUE(Verify(SignJwt(Rsa(), SignedHeader(Rsa()), claims)).has_value());
  claims = Claims();
  claims["aud"] = {kClient};
  EXPECT_TRUE(Verify(SignJwt(Rsa(), SignedHeader(Rsa()), claims)).has_value());
}

TEST(VerifyIdToken, ChecksExpIatAndNbfWithSixtySecondsOfSkew) {
  json claims = Claims();
  claims["exp"] = kNow - 59;  // within the skew
  EXPECT_TRUE(Verify(SignJwt(Rsa(), SignedHeader(Rsa()), claims)).has_value());
  claims["exp"] = kNow - 61;
  EXPECT_NE(Refusal(SignJwt(Rsa(), SignedHeader(Rsa()), claims)).find("expired"),
            std::string::npos);
  claims = Claims();
  claims["iat"] = kNow + 120;
  EXPECT_NE(Refusal(SignJwt(Rsa(), SignedHeader(Rsa()), claims)).find("issued in the future"),
            std::string::npos);
  claims = Claims();
  claims["nbf"] = kNow + 120;
  EXPECT_NE(Refusal(SignJwt(Rsa(), SignedHeader(Rsa()), claims)).find("not valid before"),
            std::string::npos);
  claims = Claims();
  claims.erase("exp");
  EXPECT_NE(Refusal(SignJwt(Rsa(), SignedHeader(Rsa()), claims)).find("\"exp\" is missing"),
            std::string::npos);
  claims = Claims();
  claims["exp"] = "tomorrow";
  EXPECT_NE(Refusal(SignJwt(Rsa(), SignedHeader(Rsa()), claims)).find("must be a number"),
            std::string::npos);
}

TEST(VerifyIdToken, RefusesAnotherLoginsNonceAndAMissingNonceOrSubject) {
  json claims = Claims();
  claims["nonce"] = "someone-elses";
  EXPECT_NE(Refusal(SignJwt(Rsa(), SignedHeader(Rsa()), claims)).find("nonce mismatch"),
            std::string::npos);
  claims.erase("nonce");
  EXPECT_NE(Refusal(SignJwt(Rsa(), SignedHeader(Rsa()), claims)).find("nonce mismatch"),
            std::string::npos);
  claims = Claims();
  claims.erase("sub");
  EXPECT_NE(Refusal(SignJwt(Rsa(), SignedHeader(Rsa()), claims)).find("\"sub\" is missing"),
            std::string::npos);
}

TEST(VerifyIdToken, RefusesCriticalHeaderExtensions) {
  json header = SignedHeader(Rsa());
  header["crit"] = {"exp"};
  EXPECT_NE(Refusal(SignJwt(Rsa(), header, Claims())).find("crit"), std::string::npos);
}

TEST(ParseCompactJws, EnforcesTheShapeAndTheLimits) {
  const std::string good = SignJwt(Rsa(), SignedHeader(Rsa()), Claims());
  ASSERT_TRUE(ParseCompactJws(good).has_value());
  EXPECT_EQ(ParseCompactJws(good + ".x").error().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseCompactJws("abc.def").error().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseCompactJws("..").error().code(), StatusCode::kInvalidArgument);
  // Padding and the standard alphabet are not base64url.
  EXPECT_EQ(ParseCompactJws(good + "=").error().code(), StatusCode::kInvalidArgument);
  const std::string array =
      crypto::Base64UrlEncode("[1]") + "." + crypto::Base64UrlEncode("{}") + ".";
  EXPECT_NE(ParseCompactJws(array).error().message().find("header must be a JSON object"),
            std::string::npos);
  const std::string big(kMaxJwtBytes + 1, 'a');
  EXPECT_NE(ParseCompactJws(big).error().message().find("over the limit of 16384"),
            std::string::npos);
  const std::string deep = crypto::Base64UrlEncode(std::string(20, '[') + std::string(20, ']'));
  EXPECT_NE(ParseCompactJws(deep + "." + deep + ".").error().message().find("nested deeper"),
            std::string::npos);
  EXPECT_NE(Refusal(big).find("malformed"), std::string::npos);
}

}  // namespace
}  // namespace custos::oidc
