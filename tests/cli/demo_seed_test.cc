// SPDX-License-Identifier: Apache-2.0
// End-to-end tests of `custos demo seed` and `custos search` on the demo data.
#include <string>

#include <gtest/gtest.h>

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
