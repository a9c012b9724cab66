// SPDX-License-Identifier: Apache-2.0
// The `auth.oidc` settings (app/oidc_settings.h): read from DIR/custos.yaml through the settings
// table, checked with positions.
#include "app/oidc_settings.h"

#include <map>
#include <optional>
#include <string>

#include <gtest/gtest.h>

namespace custos::app {
namespace {

config::EnvLookup NoEnv() {
  return [](std::string_view) { return std::optional<std::string>(); };
}

core::Result<std::optional<oidc::OidcConfig>> FromYaml(const std::string& yaml) {
  const config::LoadResult loaded = config::ParseConfig(yaml, "custos.yaml", NoEnv());
  EXPECT_TRUE(loaded.ok()) << loaded.ToStatus().message();
  return OidcConfigFrom(loaded.config);
}

constexpr const char* kFull =
    "auth:\n"
    "  oidc:\n"
    "    issuer: https://login.example.com/tenant/v2.0\n"
    "    client_id: custos\n"
    "    client_secret: s3cret\n"
    "    redirect_uri: https://custos.example.com/api/v1/auth/oidc/callback\n"
    "    role_claim: roles\n"
    "    role_map: custos-compliance=compliance_officer, custos-audit = auditor\n"
    "    login_claim: preferred_username\n";

TEST(OidcSettings, AFullSectionBecomesTheClientConfiguration) {
  auto config = FromYaml(kFull);
  ASSERT_TRUE(config.has_value()) << config.error().message();
  ASSERT_TRUE(config->has_value());
  const oidc::OidcConfig& c = **config;
  EXPECT_EQ(c.issuer, "https://login.example.com/tenant/v2.0");
  EXPECT_EQ(c.client_id, "custos");
  EXPECT_EQ(c.client_secret, "s3cret");
  EXPECT_EQ(c.redirect_uri, "https://custos.example.com/api/v1/auth/oidc/callback");
  EXPECT_EQ(c.role_claim, "roles");
  EXPECT_EQ(c.login_claim, "preferred_username");
  EXPECT_EQ(c.role_map,
            (std::map<std::string, std::string>{{"custos-compliance", "compliance_officer"},
                                                {"custos-audit", "auditor"}}));
  EXPECT_TRUE(oidc::OidcClient::Create(c).has_value());
}

TEST(OidcSettings, NoIssuerMeansOffAndTheDefaultsApply) {
  auto off = FromYaml("");
  ASSERT_TRUE(off.has_value()) << off.error().message();
  EXPECT_FALSE(off->has_value());
  auto minimal = FromYaml(
      "auth:\n  oidc:\n    issuer: http://127.0.0.1:8080\n    client_id: c\n"
      "    redirect_uri: http://127.0.0.1:9/cb\n    role_map: staff=reviewer\n");
  ASSERT_TRUE(minimal.has_value()) << minimal.error().message();
  ASSERT_TRUE(minimal->has_value());
  EXPECT_EQ((*minimal)->role_claim, "groups");
  EXPECT_EQ((*minimal)->login_claim, "email");
  EXPECT_EQ((*minimal)->client_secret, "");  // a public client
}

TEST(OidcSettings, ErrorsNameTheKeyAndItsPosition) {
  auto missing = FromYaml("auth:\n  oidc:\n    issuer: https://idp.example.com\n");
  ASSERT_FALSE(missing.has_value());
  const std::string m = missing.error().message();
  EXPECT_NE(m.find("custos.yaml:3:13: auth.oidc.client_id: required when auth.oidc.issuer is set"),
            std::string::npos)
      << m;
  EXPECT_NE(m.find("auth.oidc.redirect_uri: required"), std::string::npos) << m;
  EXPECT_NE(m.find("auth.oidc.role_map: required"), std::string::npos) << m;

  auto role = FromYaml(
      "auth:\n  oidc:\n    issuer: https://idp.example.com\n    client_id: c\n"
      "    redirect_uri: https://custos.example.com/cb\n    role_map: audit=auditors\n");
  ASSERT_FALSE(role.has_value());
  EXPECT_NE(role.error().message().find("custos.yaml:6:15: auth.oidc.role_map: \"audit=auditors\""),
            std::string::npos)
      << role.error().message();

  auto http = FromYaml(
      "auth:\n  oidc:\n    issuer: http://idp.example.com\n    client_id: c\n"
      "    redirect_uri: https://custos.example.com/cb\n    role_map: audit=auditor\n");
  ASSERT_FALSE(http.has_value());
  EXPECT_NE(http.error().message().find("custos.yaml:3:13: auth.oidc.issuer"), std::string::npos)
      << http.error().message();

  auto orphan = FromYaml("auth:\n  oidc:\n    client_secret: s3cret\n");
  ASSERT_FALSE(orphan.has_value());
  EXPECT_NE(orphan.error().message().find(
                "custos.yaml:3:20: auth.oidc.client_secret: set without auth.oidc.issuer"),
            std::string::npos)
      << orphan.error().message();
  EXPECT_EQ(orphan.error().message().find("s3cret"), std::string::npos)
      << "the secret is not shown";
}

TEST(OidcSettings, RoleMapsAreCheckedItemByItem) {
  EXPECT_EQ(*ParseRoleMap("a=reviewer,,b=auditor,"),
            (std::map<std::string, std::string>{{"a", "reviewer"}, {"b", "auditor"}}));
  EXPECT_EQ(
      *ParseRoleMap("/custos/Compliance Team = compliance_officer"),
      (std::map<std::string, std::string>{{"/custos/Compliance Team", "compliance_officer"}}));
  for (const char* bad : {"", ",", "reviewer", "=reviewer", "a=", "a=b=c", "a=reviewer,a=auditor",
                          "a=device", "a=nobody"}) {
    auto map = ParseRoleMap(bad);
    EXPECT_FALSE(map.has_value()) << bad;
    if (!map.has_value()) {
      EXPECT_EQ(map.error().code(), core::StatusCode::kInvalidArgument);
      EXPECT_EQ(map.error().message().rfind("auth.oidc.role_map: ", 0), 0u)
          << map.error().message();
    }
  }
  std::string many;
  for (std::size_t i = 0; i <= kMaxRoleMapEntries; ++i) {
    many += "g" + std::to_string(i) + "=reviewer,";
  }
  EXPECT_FALSE(ParseRoleMap(many).has_value());
}

}  // namespace
}  // namespace custos::app
