// SPDX-License-Identifier: Apache-2.0
#include "oidc/jwks.h"

#include <string>

#include <gtest/gtest.h>

#include "testing/test_signing_key.h"

namespace custos::oidc {
namespace {

using core::StatusCode;
using nlohmann::json;
using testing::TestSigningKey;

const TestSigningKey& Rsa() { return testing::SharedTestKey(TestSigningKey::Type::kRsa2048); }

const TestSigningKey& Ec() { return testing::SharedTestKey(TestSigningKey::Type::kEcP256); }

TEST(ParseJwks, ReadsRsaAndP256KeysAndSkipsKeysCustosDoesNotUse) {
  json enc = Rsa().Jwk();
  enc["kid"] = "enc";
  enc["use"] = "enc";
  json ps = Rsa().Jwk();
  ps["kid"] = "ps";
  ps["alg"] = "PS256";
  const json okp = {
      {"kty", "OKP"}, {"crv", "Ed25519"}, {"x", "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}};
  const json p384 = {{"kty", "EC"}, {"crv", "P-384"}, {"x", "AA"}, {"y", "AA"}};
  auto jwks = ParseJwks(json{{"keys", {Rsa().Jwk(), Ec().Jwk(), enc, ps, okp, p384}}}.dump());
  ASSERT_TRUE(jwks.has_value()) << jwks.error().ToString();
  ASSERT_EQ(jwks->keys.size(), 2u);
  EXPECT_EQ(jwks->skipped, 4u);
  EXPECT_EQ(jwks->keys[0].kid, "rsa-1");
  EXPECT_EQ(jwks->keys[0].key.kty, "RSA");
  EXPECT_EQ(jwks->keys[0].key.n, Rsa().PublicKey().n);
  EXPECT_EQ(jwks->keys[1].key.crv, "P-256");
  EXPECT_EQ(jwks->keys[1].key.x, Ec().PublicKey().x);
}

TEST(ParseJwks, RefusesMoreThanTwentyKeys) {
  json keys = json::array();
  for (int i = 0; i < 21; ++i) {
    json k = Ec().Jwk();
    k["kid"] = "k" + std::to_string(i);
    keys.push_back(k);
  }
  auto jwks = ParseJwks(json{{"keys", keys}}.dump());
  ASSERT_FALSE(jwks.has_value());
  EXPECT_NE(jwks.error().message().find("21 keys, over the limit of 20"), std::string::npos);
  keys.erase(keys.begin());
  EXPECT_TRUE(ParseJwks(json{{"keys", keys}}.dump()).has_value());
}

TEST(ParseJwks, NamesTheKeyAndMemberAtFault) {
  json bad = Rsa().Jwk();
  bad["n"] = std::string(bad["n"]) + "=";
  auto jwks = ParseJwks(json{{"keys", {Ec().Jwk(), bad}}}.dump());
  ASSERT_FALSE(jwks.has_value());
  EXPECT_EQ(jwks.error().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(jwks.error().message().find("JWKS key 1 (kid \"rsa-1\"): \"n\""), std::string::npos)
      << jwks.error().message();

  json missing = Ec().Jwk();
  missing.erase("y");
  EXPECT_NE(ParseJwks(json{{"keys", {missing}}}.dump()).error().message().find("\"y\" is missing"),
            std::string::npos);
  EXPECT_NE(ParseJwks(json{{"keys", {Ec().Jwk(), Ec().Jwk()}}}.dump())
                .error()
                .message()
                .find("kid appears twice"),
            std::string::npos);
  TestSigningKey weak(TestSigningKey::Type::kRsa1024, "weak");
  EXPECT_NE(ParseJwks(json{{"keys", {weak.Jwk()}}}.dump()).error().message().find("1024 bits"),
            std::string::npos);
  EXPECT_EQ(ParseJwks(R"({"keys":{}})").error().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseJwks(R"([1])").error().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseJwks(R"({"keys":[1]})").error().code(), StatusCode::kInvalidArgument);
}

TEST(ParseJwks, RefusesADocumentOverTheSizeLimit) {
  const std::string padding(kMaxJwksBytes, ' ');
  auto jwks = ParseJwks(R"({"keys":[]})" + padding);
  ASSERT_FALSE(jwks.has_value());
  EXPECT_NE(jwks.error().message().find("over the limit of 262144 bytes"), std::string::npos)
      << jwks.error().message();
}

}  // namespace
}  // namespace custos::oidc
