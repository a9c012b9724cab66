// SPDX-License-Identifier: Apache-2.0
// End-to-end tests of `custos demo seed` and `custos search` on the demo data.
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sys/stat.h>

#include "custos_runner.h"
#include "testing/temp_dir.h"

namespace custos::testing {
namespace {

TEST(DemoSeed, SeedingTwiceStoresEverythingOnce) {
  TempDir dir;
  const std::string data = dir.File("data");
  const RunResult first = RunCustos({"demo", "seed", "--data", data, "--json"});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  const std::string key = "{\"imported\":";
  ASSERT_EQ(first.out.rfind(key, 0), 0U) << first.out;
  const int imported = std::stoi(first.out.substr(key.size()));
  EXPECT_GE(imported, 1500);
  EXPECT_EQ(first.out, key + std::to_string(imported) + ",\"duplicates\":0,\"rejected\":0}\n");

  const RunResult second = RunCustos({"demo", "seed", "--data", data, "--json"});
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_EQ(second.out,
            "{\"imported\":0,\"duplicates\":" + std::to_string(imported) + ",\"rejected\":0}\n");
}

// The demo's users, one of each role a person may hold, printed with their generated passwords
// and kept in DIR/demo-users (0600); seeding again adds nobody and changes no password.
TEST(DemoSeed, AddsAUserOfEachRoleWithItsPassword) {
  TempDir dir;
  const std::string data = dir.File("data");
  const RunResult seeded = RunCustos({"demo", "seed", "--data", data});
  ASSERT_EQ(seeded.exit_code, 0) << seeded.err;
  for (const char* login : {"demo-admin", "demo-compliance", "demo-reviewer", "demo-auditor",
                            "demo-privacy", "demo-employee"}) {
    EXPECT_NE(seeded.out.find(std::string("  ") + login + " "), std::string::npos)
        << login << " in\n"
        << seeded.out;
  }
  EXPECT_NE(seeded.out.find("scoped to the"), std::string::npos) << seeded.out;

  struct stat st {};

  ASSERT_EQ(::stat((data + "/demo-users").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600U);

  const RunResult list = RunCustos({"users", "list", "--data", data, "--json"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  const nlohmann::json users = nlohmann::json::parse(list.out, nullptr, false);
  ASSERT_TRUE(users.is_object()) << list.out;
  ASSERT_EQ(users["users"].size(), 6U) << list.out;
  for (const nlohmann::json& u : users["users"]) {
    if (u.value("login", "") == "demo-reviewer") {
      EXPECT_EQ(u["scope"].size(), 1U) << u.dump();
    }
    if (u.value("login", "") == "demo-employee") {
      EXPECT_TRUE(u["person_id"].is_number()) << u.dump();
    }
  }

  const RunResult again = RunCustos({"demo", "seed", "--data", data});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.out.find("demo users: added before"), std::string::npos) << again.out;
  const RunResult relist = RunCustos({"users", "list", "--data", data, "--json"});
  EXPECT_EQ(relist.out, list.out);
}

TEST(DemoSeed, SearchFindsDemoMessages) {
  TempDir dir;
  const std::string data = dir.File("data");
  ASSERT_EQ(RunCustos({"demo", "seed", "--data", data}).exit_code, 0);

  const RunResult text = RunCustos({"search", "guaranteed", "--data", data, "--limit", "3"});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("guaranteed"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("more: --cursor "), std::string::npos) << text.out;

  const RunResult json =
      RunCustos({"search", "\"zero risk\"", "channel:whatsapp", "--data", data, "--json"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  EXPECT_EQ(json.out.rfind("{\"results\":[{", 0), 0U) << json.out;
  EXPECT_NE(json.out.find("zero risk"), std::string::npos) << json.out;
  EXPECT_EQ(json.out.find("\"channel\":\"slack\""), std::string::npos) << json.out;

  const RunResult none = RunCustos({"search", "zebracornflakes", "--data", data, "--json"});
  ASSERT_EQ(none.exit_code, 0) << none.err;
  EXPECT_EQ(none.out, "{\"results\":[],\"next_cursor\":null}\n");
}

}  // namespace
}  // namespace custos::testing
