// SPDX-License-Identifier: Apache-2.0
// The settings table against docs/config.md (both directions), and the table's own shape.
#include "config/settings.h"

#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

namespace custos::config {
namespace {

std::string ReadDoc() {
  std::ifstream in(std::string(CUSTOS_SOURCE_DIR) + "/docs/config.md");
  EXPECT_TRUE(in.is_open()) << "docs/config.md";
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The first column of every table row under the heading `heading` ("" : the first table),
// without backticks.
std::set<std::string> FirstColumn(const std::string& doc, const std::string& heading) {
  std::set<std::string> out;
  std::istringstream lines(doc);
  std::string line;
  bool in_section = heading.empty();
  bool seen_table = false;
  static const std::regex kRow(R"(^\| `([^`]+)` \|)");
  while (std::getline(lines, line)) {
    if (line.starts_with("## ")) {
      if (seen_table) {
        break;
      }
      in_section = line == "## " + heading;
      continue;
    }
    if (!in_section) {
      continue;
    }
    std::smatch m;
    if (std::regex_search(line, m, kRow)) {
      out.insert(m[1]);
      seen_table = true;
    } else if (seen_table && !line.starts_with("|")) {
      break;  // the end of the first table of the section
    }
  }
  return out;
}

TEST(SettingsTable, DocsConfigListsExactlyAllSettings) {
  const std::set<std::string> documented = FirstColumn(ReadDoc(), "Scalar settings");
  std::set<std::string> table;
  for (const SettingSpec& spec : AllSettings()) {
    table.insert(std::string(spec.name));
    EXPECT_EQ(documented.count(std::string(spec.name)), 1u)
        << spec.name << " is in AllSettings() but not in docs/config.md";
  }
  for (const std::string& name : documented) {
    EXPECT_EQ(table.count(name), 1u) << name << " is in docs/config.md but not in AllSettings()";
  }
}

TEST(SettingsTable, DocsConfigListsExactlyTheTopLevelSections) {
  const std::set<std::string> documented = FirstColumn(ReadDoc(), "");
  std::set<std::string> top;
  for (std::string_view key : KnownKeys("")) {
    top.insert(std::string(key));
  }
  EXPECT_EQ(documented, top);
}

TEST(SettingsTable, EverySettingLivesInADeclaredSectionWithAnEnvironmentVariable) {
  for (const SettingSpec& spec : AllSettings()) {
    const std::string_view section = spec.name.substr(0, spec.name.rfind('.'));
    EXPECT_NE(FindSection(section), nullptr) << spec.name;
    EXPECT_TRUE(spec.env_var.starts_with("CUSTOS_")) << spec.name;
    EXPECT_FALSE(spec.description.empty()) << spec.name;
  }
  for (const SectionSpec& section : AllSections()) {
    const std::size_t dot = section.name.rfind('.');
    if (dot != std::string_view::npos) {
      EXPECT_NE(FindSection(section.name.substr(0, dot)), nullptr) << section.name;
    }
  }
  EXPECT_EQ(KnownKeys("retention"),
            (std::vector<std::string_view>{"default_period", "default_legal_basis", "schedule",
                                           "batch_size", "classes"}));
  EXPECT_EQ(KnownKeys(""),
            (std::vector<std::string_view>{"retention", "desks", "devices", "directory", "auth"}));
  EXPECT_EQ(KnownKeys("devices"), (std::vector<std::string_view>{"nanomdm"}));
  EXPECT_EQ(KnownKeys("auth"), (std::vector<std::string_view>{"require_2fa_roles", "session_idle",
                                                              "session_absolute", "oidc"}));
  EXPECT_EQ(KnownKeys("auth.oidc"),
            (std::vector<std::string_view>{"issuer", "client_id", "client_secret", "redirect_uri",
                                           "role_claim", "role_map", "login_claim"}));
}

}  // namespace
}  // namespace custos::config
