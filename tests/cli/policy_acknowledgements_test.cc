// SPDX-License-Identifier: Apache-2.0
// `custos policy acknowledgements --version V` through the real binary, without a server: every
// employee of the directory listed as not yet acknowledged for a pack that asks for it (text and
// --json), a pack not in force any more, and usage errors (no --version, an unknown version, a
// missing data directory) with their exit codes and nothing created. Acknowledgements themselves
// are made over HTTP: tests/e2e/me_test.cc.
#include <filesystem>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "custos_runner.h"
#include "testing/temp_dir.h"

namespace custos::testing {
namespace {

namespace fs = std::filesystem;

constexpr const char* kPeople =
    "name,emails,phones,handles,group,manager\n"
    "Anna Example,anna@example.com,07700 900123,,sales,\n"
    "Ben Other,ben@example.com,07700 900456,,ops,\n";

// A pack with no rules; `requires_ack` sets requires_acknowledgement.
std::string WritePack(const std::string& dir, bool requires_ack) {
  fs::create_directories(dir);
  WriteFile(dir + "/pack.yaml", std::string("- pack: handbook\n") +
                                    (requires_ack ? "  requires_acknowledgement: true\n" : ""));
  return dir;
}

class PolicyAcknowledgementsCli : public ::testing::Test {
 protected:
  void SetUp() override {
    WriteFile(dir_.Path() + "/people.csv", kPeople);
    const RunResult people = RunCustos(
        {"directory", "import", dir_.Path() + "/people.csv", "--data", data_, "--region", "GB"});
    ASSERT_EQ(people.exit_code, 0) << people.err;
  }

  std::string Apply(const std::string& pack) {
    const RunResult r = RunCustos({"policy", "apply", pack, "--data", data_, "--json"});
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    return nlohmann::json::parse(r.out, nullptr, false).value("version", "");
  }

  TempDir dir_;
  std::string data_ = dir_.Path() + "/data";
};

TEST_F(PolicyAcknowledgementsCli, ListsEveryEmployeeAsNotYetForAPackThatAsks) {
  const std::string v1 = Apply(WritePack(dir_.Path() + "/v1", true));
  ASSERT_FALSE(v1.empty());
  const RunResult json =
      RunCustos({"policy", "acknowledgements", "--version", v1, "--data", data_, "--json"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  const nlohmann::json j = nlohmann::json::parse(json.out);
  EXPECT_EQ(j["version"], v1);
  EXPECT_EQ(j["in_force"], true);
  EXPECT_EQ(j["requires_acknowledgement"], true);
  EXPECT_EQ(j["acknowledged"], 0);
  EXPECT_EQ(j["pending"], 2);
  ASSERT_EQ(j["items"].size(), 2u);
  EXPECT_EQ(j["items"][0]["name"], "Anna Example");
  EXPECT_EQ(j["items"][0]["group"], "sales");
  EXPECT_EQ(j["items"][0]["acknowledged"], false);
  EXPECT_TRUE(j["items"][0]["acknowledged_at"].is_null());
  EXPECT_EQ(j["items"][1]["name"], "Ben Other");
  EXPECT_TRUE(j["others"].empty());

  const RunResult text =
      RunCustos({"policy", "acknowledgements", "--version", v1, "--data", data_});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("(in force)"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("0 acknowledged, 2 not yet"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("Anna Example"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("Ben Other"), std::string::npos) << text.out;

  // Superseded by a pack that does not ask: the old version is still listed, not in force.
  const std::string v2 = Apply(WritePack(dir_.Path() + "/v2", false));
  ASSERT_NE(v2, v1);
  const RunResult old =
      RunCustos({"policy", "acknowledgements", "--version", v1, "--data", data_, "--json"});
  ASSERT_EQ(old.exit_code, 0) << old.err;
  EXPECT_EQ(nlohmann::json::parse(old.out)["in_force"], false);
  const RunResult current =
      RunCustos({"policy", "acknowledgements", "--version", v2, "--data", data_});
  ASSERT_EQ(current.exit_code, 0) << current.err;
  EXPECT_NE(current.out.find("does not require acknowledgement"), std::string::npos) << current.out;
}

TEST_F(PolicyAcknowledgementsCli, RefusesAMissingOrUnknownVersionClearly) {
  Apply(WritePack(dir_.Path() + "/v1", true));
  const RunResult none = RunCustos({"policy", "acknowledgements", "--data", data_});
  EXPECT_EQ(none.exit_code, 64) << none.err;
  EXPECT_NE(none.err.find("--version"), std::string::npos) << none.err;

  const RunResult unknown =
      RunCustos({"policy", "acknowledgements", "--version", "f00d", "--data", data_});
  EXPECT_EQ(unknown.exit_code, 66) << unknown.err;
  EXPECT_NE(unknown.err.find("no policy pack \"f00d\" was ever in force"), std::string::npos)
      << unknown.err;
  EXPECT_TRUE(unknown.out.empty()) << unknown.out;

  const std::string missing = dir_.Path() + "/nowhere";
  const RunResult absent =
      RunCustos({"policy", "acknowledgements", "--version", "f00d", "--data", missing});
  EXPECT_EQ(absent.exit_code, 66) << absent.err;
  EXPECT_FALSE(fs::exists(missing));
}

}  // namespace
}  // namespace custos::testing
