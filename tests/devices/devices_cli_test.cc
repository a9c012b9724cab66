// SPDX-License-Identifier: Apache-2.0
// `custos devices ...` through the real binary: enroll, posture, report-lost -> contained,
// commands, report --json, and the policy importers on the corpus.
#include <cstdlib>
#include <filesystem>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cli/custos_runner.h"
#include "testing/temp_dir.h"

namespace custos::testing {
namespace {

namespace fs = std::filesystem;

fs::path MdmDir() {
  if (const char* corpus = std::getenv("CUSTOS_CORPUS"); corpus != nullptr && *corpus != '\0') {
    return fs::path(corpus) / "mdm";
  }
  const char* source = std::getenv("CUSTOS_SOURCE_DIR");
  return fs::path(source != nullptr ? source : ".") / ".." / "shared" / "corpus" / "mdm";
}

// The JSON document on the last line of stdout (log lines may come first).
nlohmann::json LastJson(const std::string& out) {
  std::string text = out;
  while (!text.empty() && text.back() == '\n') {
    text.pop_back();
  }
  return nlohmann::json::parse(
      text.substr(text.rfind('\n') == std::string::npos ? 0 : text.rfind('\n') + 1));
}

TEST(DevicesCli, EnrollPostureLostAndReport) {
  TempDir dir;
  const std::string data = dir.File("data");
  RunResult enroll =
      RunCustos({"devices", "enroll", "--data", data, "--person", "alice@example.com", "--platform",
                 "ios", "--ownership", "corporate", "--unlisted", "--json"});
  ASSERT_EQ(enroll.exit_code, 0) << enroll.err;
  const auto e = LastJson(enroll.out);
  const std::string device = e["device_id"];
  EXPECT_EQ(e["enrollment_token"].get<std::string>().rfind("cen_", 0), 0u);

  WriteFile(
      dir.File("posture.json"),
      R"({"device_id":"x","collected_at":"2099-01-01T00:00:00Z","encryption":{"enabled":false}})");
  RunResult posture =
      RunCustos({"devices", "posture", device, dir.File("posture.json"), "--data", data});
  ASSERT_EQ(posture.exit_code, 0) << posture.err;

  WriteFile(dir.File("bad.json"), R"({"device_id":"x","collected_at":"soon"})");
  RunResult bad = RunCustos({"devices", "posture", device, dir.File("bad.json"), "--data", data});
  EXPECT_EQ(bad.exit_code, 65) << bad.err;
  EXPECT_NE(bad.err.find("collected_at"), std::string::npos) << bad.err;

  RunResult lost =
      RunCustos({"devices", "report-lost", device, "--data", data, "--actor", "alice"});
  ASSERT_EQ(lost.exit_code, 0) << lost.err;
  EXPECT_NE(lost.out.find("contained"), std::string::npos) << lost.out;
  EXPECT_NE(lost.out.find("blocked"), std::string::npos) << lost.out;

  RunResult commands = RunCustos({"devices", "commands", device, "--data", data, "--json"});
  ASSERT_EQ(commands.exit_code, 0) << commands.err;
  EXPECT_EQ(LastJson(commands.out)["items"][0]["type"], "lost_mode");

  RunResult report = RunCustos({"devices", "report", "--json", "--data", data});
  ASSERT_EQ(report.exit_code, 0) << report.err;
  const auto r = LastJson(report.out);
  EXPECT_EQ(r["devices"], 1);
  EXPECT_EQ(r["by_lost_state"]["contained"], 1);

  RunResult wipe = RunCustos({"devices", "approve-wipe", device, "--data", data});
  EXPECT_NE(wipe.exit_code, 0);  // not wipe_pending yet
}

TEST(DevicesCli, ImportersOnTheCorpus) {
  const fs::path intune = MdmDir() / "intune" / "level-2-wp-enhanced-security-compliance.json";
  if (!fs::exists(intune)) {
    GTEST_SKIP() << "MDM corpus not found at " << MdmDir() << "; set CUSTOS_CORPUS";
  }
  RunResult r = RunCustos({"devices", "policy", "import-intune", intune.string(), "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = LastJson(r.out);
  EXPECT_GT(j["rules"].get<int>(), 3);
  EXPECT_FALSE(j["unmapped"].empty());
  RunResult missing = RunCustos({"devices", "policy", "import-apple", "/nonexistent.mobileconfig"});
  EXPECT_EQ(missing.exit_code, 66);
}

}  // namespace
}  // namespace custos::testing
