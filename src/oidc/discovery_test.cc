// SPDX-License-Identifier: Apache-2.0
#include "oidc/discovery.h"

#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace custos::oidc {
namespace {

using core::StatusCode;
using nlohmann::json;

const char* const kIssuer = "https://idp.example.com/tenant";

json Document() {
  return {{"issuer", kIssuer},
          {"authorization_endpoint", "https://idp.example.com/tenant/authorize"},
          {"token_endpoint", "https://idp.example.com/tenant/token"},
          {"jwks_uri", "https://idp.example.com/tenant/keys"},
          {"response_types_supported", {"code", "id_token"}},
          {"id_token_signing_alg_values_supported", {"RS256"}},
          {"code_challenge_methods_supported", {"plain", "S256"}}};
}

std::string Error(const json& doc) {
  auto meta = ParseDiscovery(doc.dump(), kIssuer);
  EXPECT_FALSE(meta.has_value());
  return meta.has_value() ? "" : meta.error().message();
}

TEST(ParseDiscovery, KeepsTheEndpointsOfTheConfiguredIssuer) {
  auto meta = ParseDiscovery(Document().dump(), kIssuer);
  ASSERT_TRUE(meta.has_value()) << meta.error().ToString();
  EXPECT_EQ(meta->token_endpoint, "https://idp.example.com/tenant/token");
  EXPECT_EQ(meta->jwks_uri, "https://idp.example.com/tenant/keys");
  EXPECT_EQ(meta->id_token_signing_alg_values_supported, std::vector<std::string>{"RS256"});
  EXPECT_EQ(DiscoveryUrl("https://idp.example.com/tenant/"),
            "https://idp.example.com/tenant/.well-known/openid-configuration");
}

TEST(ParseDiscovery, RequiresTheIssuerToMatchExactly) {
  json doc = Document();
  doc["issuer"] = std::string(kIssuer) + "/";
  EXPECT_NE(Error(doc).find("wrong issuer"), std::string::npos);
  doc["issuer"] = "https://evil.example.com/tenant";
  EXPECT_NE(Error(doc).find("wrong issuer"), std::string::npos);
}

TEST(ParseDiscovery, RefusesPlainHttpEndpointsExceptOnLoopback) {
  json doc = Document();
  doc["token_endpoint"] = "http://idp.example.com/token";
  EXPECT_NE(Error(doc).find("token_endpoint: must be https"), std::string::npos);
  doc["token_endpoint"] = "http://127.0.0.1:8080/token";
  EXPECT_TRUE(ParseDiscovery(doc.dump(), kIssuer).has_value());
  doc["jwks_uri"] = "ftp://idp.example.com/keys";
  EXPECT_NE(Error(doc).find("jwks_uri"), std::string::npos);
}

TEST(ParseDiscovery, NamesAMissingMemberAndUnsupportedCapabilities) {
  json doc = Document();
  doc.erase("token_endpoint");
  EXPECT_NE(Error(doc).find("\"token_endpoint\" is missing"), std::string::npos);
  doc = Document();
  doc["id_token_signing_alg_values_supported"] = {"HS256", "none"};
  EXPECT_NE(Error(doc).find("id_token_signing_alg_values_supported"), std::string::npos);
  doc = Document();
  doc["code_challenge_methods_supported"] = {"plain"};
  EXPECT_NE(Error(doc).find("code_challenge_methods_supported"), std::string::npos);
  doc = Document();
  doc["response_types_supported"] = "code";
  EXPECT_NE(Error(doc).find("must be an array"), std::string::npos);
}

TEST(ParseDiscovery, RefusesOversizedAndMalformedDocuments) {
  json doc = Document();
  doc["padding"] = std::string(kDiscoveryJsonLimits.max_bytes, 'x');
  auto meta = ParseDiscovery(doc.dump(), kIssuer);
  ASSERT_FALSE(meta.has_value());
  EXPECT_NE(meta.error().message().find("over the limit of 65536 bytes"), std::string::npos);
  EXPECT_EQ(ParseDiscovery("{", kIssuer).error().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseDiscovery("[]", kIssuer).error().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace custos::oidc
