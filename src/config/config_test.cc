// SPDX-License-Identifier: Apache-2.0
#include "config/config.h"

#include <fstream>
#include <map>

#include <gtest/gtest.h>

#include "config/settings.h"

namespace custos::config {
namespace {

EnvLookup NoEnv() {
  return [](std::string_view) { return std::optional<std::string>(); };
}

EnvLookup Env(std::map<std::string, std::string> vars) {
  return [vars](std::string_view name) -> std::optional<std::string> {
    auto it = vars.find(std::string(name));
    return it == vars.end() ? std::nullopt : std::optional<std::string>(it->second);
  };
}

std::string Errors(const LoadResult& r) {
  std::string out;
  for (const Diagnostic& d : r.errors) {
    out += d.ToString() + "\n";
  }
  return out;
}

TEST(Config, DefaultsComeFromTheSettingsTable) {
  LoadResult r = DefaultConfig(NoEnv());
  ASSERT_TRUE(r.ok()) << Errors(r);
  EXPECT_EQ(r.config.retention_default_period.Text(), "7y");
  EXPECT_NE(r.config.retention_default_legal_basis.find("17a-4"), std::string::npos);
  ASSERT_TRUE(r.config.retention_schedule.has_value());
  EXPECT_EQ(r.config.retention_schedule->Text(), "1h");
  EXPECT_EQ(r.config.retention_batch_size, 500);
  EXPECT_TRUE(r.config.retention_classes.empty());
}

TEST(Config, EverySettingHasADescriptionAndAnEnvironmentVariable) {
  for (const SettingSpec& spec : AllSettings()) {
    EXPECT_FALSE(spec.description.empty()) << spec.name;
    EXPECT_TRUE(spec.env_var.starts_with("CUSTOS_")) << spec.name;
    EXPECT_EQ(FindSetting(spec.name), &spec);
  }
  EXPECT_EQ(FindSetting("retention.nope"), nullptr);
}

TEST(Config, ReadsClassesAndDesks) {
  LoadResult r = ParseConfig(R"y(
retention:
  default_period: 10y
  default_legal_basis: firm policy 3.1
  schedule: "off"
  batch_size: 50
  classes:
    - name: sms-short
      period: 90d
      legal_basis: "GDPR Art. 5(1)(e)"
      channels: [sms, telegram]
    - name: sales
      period: 6m
      legal_basis: FINRA 4511
      desks: [sales]
      rules: [IMP-4.2]
desks:
  sales: ["+44 7700 900123", anna@example.com]
)y",
                             "custos.yaml", NoEnv());
  ASSERT_TRUE(r.ok()) << Errors(r);
  const Config& c = r.config;
  EXPECT_EQ(c.retention_default_period.Text(), "10y");
  EXPECT_EQ(c.retention_default_legal_basis, "firm policy 3.1");
  EXPECT_FALSE(c.retention_schedule.has_value());
  EXPECT_EQ(c.retention_batch_size, 50);
  ASSERT_EQ(c.retention_classes.size(), 2u);
  EXPECT_EQ(c.retention_classes[0].name, "sms-short");
  EXPECT_EQ(c.retention_classes[0].period.Text(), "90d");
  EXPECT_EQ(c.retention_classes[0].channels, (std::vector<std::string>{"sms", "telegram"}));
  EXPECT_EQ(c.retention_classes[0].where.ToString(), "custos.yaml:8:7");
  EXPECT_EQ(c.retention_classes[1].desks, std::vector<std::string>{"sales"});
  EXPECT_EQ(c.retention_classes[1].rules, std::vector<std::string>{"IMP-4.2"});
  EXPECT_EQ(c.desks.at("sales").size(), 2u);
  EXPECT_EQ(c.source, "custos.yaml");
}

TEST(Config, ReportsEveryErrorWithItsPosition) {
  LoadResult r = ParseConfig(R"y(retention:
  schedul: 1h
  batch_size: 0
  classes:
    - name: Bad Name
      period: 7x
      legal_basis: x
      channels: [sms]
    - name: ok
      period: 1y
      desks: [nowhere]
      colour: blue
color: red
)y",
                             "custos.yaml", NoEnv());
  ASSERT_FALSE(r.ok());
  const std::string all = Errors(r);
  EXPECT_NE(all.find("custos.yaml:2:3: unknown key \"schedul\" in retention"), std::string::npos)
      << all;
  EXPECT_NE(all.find("custos.yaml:5:13: class name \"Bad Name\""), std::string::npos) << all;
  EXPECT_NE(all.find("custos.yaml:6:15: invalid duration \"7x\""), std::string::npos) << all;
  EXPECT_NE(all.find("custos.yaml:12:7: unknown key \"colour\" in a retention class"),
            std::string::npos)
      << all;
  EXPECT_NE(all.find("custos.yaml:9:7: retention class is missing legal_basis"), std::string::npos)
      << all;
  EXPECT_NE(all.find("custos.yaml:11:14: unknown desk \"nowhere\""), std::string::npos) << all;
  EXPECT_NE(all.find("custos.yaml:13:1: unknown key \"color\" in the top level"), std::string::npos)
      << all;
  EXPECT_NE(all.find("custos.yaml:3:15: retention.batch_size must be an integer from 1 to"),
            std::string::npos)
      << all;
  const core::Status s = r.ToStatus();
  EXPECT_EQ(s.code(), core::StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("custos.yaml:2:3"), std::string::npos);
}

TEST(Config, RejectsDuplicatesAndClassesThatMatchNothing) {
  LoadResult r = ParseConfig(R"y(retention:
  schedule: 1h
  schedule: 2h
  classes:
    - {name: a, period: 1y, legal_basis: x}
    - {name: a, period: 1y, legal_basis: x, channels: [sms]}
)y",
                             "f.yaml", NoEnv());
  const std::string all = Errors(r);
  EXPECT_NE(all.find("f.yaml:3:3: duplicate key \"schedule\""), std::string::npos) << all;
  EXPECT_NE(all.find("must match something"), std::string::npos) << all;
  EXPECT_NE(all.find("f.yaml:6:14: duplicate retention class \"a\""), std::string::npos) << all;
}

TEST(Config, ReportsSyntaxErrorsWithTheirPosition) {
  LoadResult r = ParseConfig("retention:\n  classes: [\n", "bad.yaml", NoEnv());
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].where.file, "bad.yaml");
  EXPECT_GT(r.errors[0].where.line, 0);
}

TEST(Config, EnvironmentOverridesTheFile) {
  LoadResult r = ParseConfig(
      "retention:\n  schedule: 1h\n", "custos.yaml",
      Env({{"CUSTOS_RETENTION_SCHEDULE", "off"}, {"CUSTOS_RETENTION_DEFAULT_PERIOD", "5y"}}));
  ASSERT_TRUE(r.ok()) << Errors(r);
  EXPECT_FALSE(r.config.retention_schedule.has_value());
  EXPECT_EQ(r.config.retention_default_period.Text(), "5y");
  LoadResult bad = DefaultConfig(Env({{"CUSTOS_RETENTION_BATCH_SIZE", "lots"}}));
  ASSERT_EQ(bad.errors.size(), 1u);
  EXPECT_EQ(bad.errors[0].where.ToString(), "environment variable CUSTOS_RETENTION_BATCH_SIZE");
}

TEST(Config, AMissingFileMeansDefaults) {
  LoadResult r = LoadConfigFile("/nonexistent/custos.yaml", NoEnv());
  ASSERT_TRUE(r.ok()) << Errors(r);
  EXPECT_EQ(r.config.source, "");
  EXPECT_EQ(r.config.retention_default_period.Text(), "7y");
}

TEST(Config, AnEmptyFileMeansDefaults) {
  LoadResult r = ParseConfig("", "custos.yaml", NoEnv());
  ASSERT_TRUE(r.ok()) << Errors(r);
  EXPECT_EQ(r.config.retention_batch_size, 500);
}

TEST(Config, DirectoryDefaultRegionFromFileOrEnvironment) {
  EXPECT_EQ(DefaultConfig(NoEnv()).config.directory_default_region, "GB");
  LoadResult r = ParseConfig("directory:\n  default_region: us\n", "custos.yaml", NoEnv());
  ASSERT_TRUE(r.ok()) << Errors(r);
  EXPECT_EQ(r.config.directory_default_region, "US");
  EXPECT_EQ(r.config.directory_default_region_where.ToString(), "custos.yaml:2:19");
  LoadResult env = ParseConfig("directory:\n  default_region: US\n", "custos.yaml",
                               Env({{"CUSTOS_DIRECTORY_DEFAULT_REGION", "DE"}}));
  EXPECT_EQ(env.config.directory_default_region, "DE");
}

TEST(Config, DirectorySectionErrorsNameTheKey) {
  LoadResult bad = ParseConfig("directory:\n  default_region: Britain\n", "custos.yaml", NoEnv());
  ASSERT_EQ(bad.errors.size(), 1u) << Errors(bad);
  EXPECT_EQ(bad.errors[0].where.ToString(), "custos.yaml:2:19");
  EXPECT_NE(bad.errors[0].message.find("directory.default_region \"Britain\""), std::string::npos)
      << bad.errors[0].message;
  LoadResult unknown = ParseConfig("directory:\n  region: GB\n", "custos.yaml", NoEnv());
  ASSERT_EQ(unknown.errors.size(), 1u) << Errors(unknown);
  EXPECT_NE(unknown.errors[0].message.find("unknown key \"region\" in directory (known: "
                                           "default_region)"),
            std::string::npos)
      << unknown.errors[0].message;
}

TEST(Config, ModuleSectionsAreReadFromTheTable) {
  const std::string both =
      "devices:\n  nanomdm:\n    url: http://127.0.0.1:9000/\n    api_key: k\n";
  LoadResult ok = ParseConfig(both, "custos.yaml", NoEnv());
  ASSERT_TRUE(ok.ok()) << Errors(ok);
  ASSERT_NE(ok.config.Setting("devices.nanomdm.url"), nullptr);
  EXPECT_EQ(ok.config.Setting("devices.nanomdm.url")->text, "http://127.0.0.1:9000/");
  EXPECT_EQ(ok.config.Setting("devices.nanomdm.url")->where.ToString(), "custos.yaml:3:10");
  EXPECT_EQ(ok.config.Setting("devices.nanomdm.api_key")->text, "k");
  // Not configured: optional settings are absent; the table's others have their defaults.
  LoadResult none = DefaultConfig(NoEnv());
  EXPECT_EQ(none.config.Setting("devices.nanomdm.url"), nullptr);
  ASSERT_NE(none.config.Setting("retention.batch_size"), nullptr);
  EXPECT_EQ(none.config.Setting("retention.batch_size")->text, "500");
  // From the environment alone.
  LoadResult env = DefaultConfig(Env({{"CUSTOS_DEVICES_NANOMDM_URL", "https://mdm.example"},
                                      {"CUSTOS_DEVICES_NANOMDM_API_KEY", "secret"}}));
  ASSERT_TRUE(env.ok()) << Errors(env);
  EXPECT_EQ(env.config.Setting("devices.nanomdm.api_key")->text, "secret");
}

TEST(Config, ModuleSectionErrorsHavePositions) {
  LoadResult url = ParseConfig("devices:\n  nanomdm:\n    url: ftp://x\n    api_key: k\n",
                               "custos.yaml", NoEnv());
  ASSERT_EQ(url.errors.size(), 1u) << Errors(url);
  EXPECT_EQ(url.errors[0].where.ToString(), "custos.yaml:3:10");
  EXPECT_NE(url.errors[0].message.find("devices.nanomdm.url"), std::string::npos);
  LoadResult half =
      ParseConfig("devices:\n  nanomdm:\n    url: http://x\n", "custos.yaml", NoEnv());
  ASSERT_EQ(half.errors.size(), 1u) << Errors(half);
  EXPECT_EQ(half.errors[0].where.ToString(), "custos.yaml:3:5");
  EXPECT_NE(half.errors[0].message.find("devices.nanomdm.api_key: required"), std::string::npos)
      << half.errors[0].message;
  LoadResult unknown =
      ParseConfig("devices:\n  nanomdm:\n    url: http://x\n    api_key: k\n    port: 1\n",
                  "custos.yaml", NoEnv());
  ASSERT_EQ(unknown.errors.size(), 1u) << Errors(unknown);
  EXPECT_EQ(unknown.errors[0].ToString(),
            "custos.yaml:5:5: unknown key \"port\" in devices.nanomdm (known: url, api_key)");
  LoadResult top = ParseConfig("devices:\n  intune: {}\n", "custos.yaml", NoEnv());
  ASSERT_EQ(top.errors.size(), 1u) << Errors(top);
  EXPECT_EQ(top.errors[0].ToString(),
            "custos.yaml:2:3: unknown key \"intune\" in devices (known: nanomdm)");
}

}  // namespace
}  // namespace custos::config
