// SPDX-License-Identifier: Apache-2.0
// `custos devices ...` through the real binary: enroll, posture, report-lost -> contained,
// commands, report --json, and the policy importers on the corpus.
#include <cstdlib>
#include <ctime>
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
      R"({"device_id":"x","collected_at":"2020-01-01T00:00:00Z","encryption":{"enabled":false}})");
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

std::string UtcNow(int seconds_from_now) {
  const std::time_t t = std::time(nullptr) + seconds_from_now;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string Enroll(const std::string& data, const std::string& platform,
                   const std::string& ownership) {
  RunResult enroll =
      RunCustos({"devices", "enroll", "--data", data, "--person", "alice@example.com", "--platform",
                 platform, "--ownership", ownership, "--unlisted", "--json"});
  EXPECT_EQ(enroll.exit_code, 0) << enroll.err;
  return enroll.exit_code == 0 ? LastJson(enroll.out)["device_id"].get<std::string>() : "";
}

nlohmann::json Rule(const nlohmann::json& device, const std::string& id) {
  for (const auto& r : device["rules"]) {
    if (r["rule"] == id) {
      return r;
    }
  }
  return nlohmann::json();
}

// Issue 13 item 13: a report file's `source` does not buy trust; a file import counts as a
// self-report, whatever it claims (here apple_mdm with a hardware attestation).
TEST(DevicesCli, PostureFileTrustComesFromTheChannel) {
  TempDir dir;
  const std::string data = dir.File("data");
  const std::string device = Enroll(data, "ios", "corporate");
  nlohmann::json report = {{"device_id", device},
                           {"source", "apple_mdm"},
                           {"collected_at", UtcNow(-60)},
                           {"integrity", {{"posture", "secure"}, {"attestation", "hardware"}}},
                           {"encryption", {{"enabled", true}}},
                           {"vpn", {{"always_on", true}}}};
  WriteFile(dir.File("mdm.json"), report.dump());
  RunResult posture =
      RunCustos({"devices", "posture", device, dir.File("mdm.json"), "--data", data});
  ASSERT_EQ(posture.exit_code, 0) << posture.err;
  RunResult show = RunCustos({"devices", "show", device, "--data", data, "--json"});
  ASSERT_EQ(show.exit_code, 0) << show.err;
  const auto shown = LastJson(show.out);
  const auto vpn = Rule(shown, "vpn");  // needs the attested agent or MDM
  EXPECT_EQ(vpn["result"], "unknown") << show.out;
  EXPECT_NE(vpn["observed"].get<std::string>().find("file_import"), std::string::npos) << show.out;
  EXPECT_EQ(Rule(shown, "encryption")["result"], "pass") << show.out;  // self_report is enough
}

// Issue 13 item 11 through the CLI: a report from the future is refused naming the file and
// the field; an older report does not replace the newer posture.
TEST(DevicesCli, PostureFromTheFutureIsRefusedAndOlderIsIgnored) {
  TempDir dir;
  const std::string data = dir.File("data");
  const std::string device = Enroll(data, "android", "personal");
  WriteFile(dir.File("future.json"), nlohmann::json{{"device_id", device},
                                                    {"collected_at", UtcNow(300 * 86400)},
                                                    {"encryption", {{"enabled", true}}}}
                                         .dump());
  RunResult future =
      RunCustos({"devices", "posture", device, dir.File("future.json"), "--data", data});
  EXPECT_EQ(future.exit_code, 65) << future.err;
  EXPECT_NE(future.err.find("collected_at"), std::string::npos) << future.err;
  EXPECT_NE(future.err.find("future.json"), std::string::npos) << future.err;

  WriteFile(dir.File("new.json"), nlohmann::json{{"device_id", device},
                                                 {"collected_at", UtcNow(-60)},
                                                 {"encryption", {{"enabled", true}}}}
                                      .dump());
  WriteFile(dir.File("old.json"), nlohmann::json{{"device_id", device},
                                                 {"collected_at", UtcNow(-7200)},
                                                 {"encryption", {{"enabled", false}}}}
                                      .dump());
  ASSERT_EQ(
      RunCustos({"devices", "posture", device, dir.File("new.json"), "--data", data}).exit_code, 0);
  RunResult old = RunCustos({"devices", "posture", device, dir.File("old.json"), "--data", data});
  EXPECT_EQ(old.exit_code, 0) << old.err;
  EXPECT_NE(old.out.find("not applied"), std::string::npos) << old.out;
  RunResult show = RunCustos({"devices", "show", device, "--data", data, "--json"});
  ASSERT_EQ(show.exit_code, 0) << show.err;
  EXPECT_EQ(Rule(LastJson(show.out), "encryption")["result"], "pass") << show.out;
}

// Issue 13 items 9 and 10 through the CLI: report-lost re-evaluates at once; found cancels
// the queued lost-mode command and the cancellation is a device event in the archive.
TEST(DevicesCli, FoundCancelsContainmentAndRecordsIt) {
  TempDir dir;
  const std::string data = dir.File("data");
  const std::string device = Enroll(data, "android", "corporate");
  ASSERT_EQ(RunCustos({"devices", "report-lost", device, "--data", data}).exit_code, 0);
  RunResult show = RunCustos({"devices", "show", device, "--data", data, "--json"});
  ASSERT_EQ(show.exit_code, 0) << show.err;
  EXPECT_EQ(Rule(LastJson(show.out), "not-lost")["result"], "fail") << show.out;
  RunResult found = RunCustos({"devices", "found", device, "--data", data, "--actor", "it-admin"});
  ASSERT_EQ(found.exit_code, 0) << found.err;
  RunResult commands = RunCustos({"devices", "commands", device, "--data", data, "--json"});
  ASSERT_EQ(commands.exit_code, 0) << commands.err;
  EXPECT_EQ(LastJson(commands.out)["items"][0]["state"], "cancelled") << commands.out;
  bool recorded = false;
  for (int id = 1; id < 40 && !recorded; ++id) {
    RunResult record = RunCustos({"record", "show", std::to_string(id), "--data", data});
    if (record.exit_code != 0) {
      break;
    }
    recorded = record.out.find("command_cancelled") != std::string::npos &&
               record.out.find("it-admin") != std::string::npos;
  }
  EXPECT_TRUE(recorded);
}

// Issue 13 item 22: `enroll` refuses the platform "unknown", listing the valid platforms.
TEST(DevicesCli, EnrollRefusesTheUnknownPlatform) {
  TempDir dir;
  RunResult enroll =
      RunCustos({"devices", "enroll", "--data", dir.File("data"), "--person", "alice@example.com",
                 "--platform", "unknown", "--ownership", "corporate"});
  EXPECT_EQ(enroll.exit_code, 65) << enroll.err;
  EXPECT_NE(enroll.err.find("ios, ipados, android"), std::string::npos) << enroll.err;
}

// Issue 13 item 9: a new device policy re-evaluates every device when it is applied, not at
// the next tick (here: the Android minimum raised from 13 to 15 fails an Android 14 device).
TEST(DevicesCli, ApplyingANewDevicePolicyReevaluatesAtOnce) {
  TempDir dir;
  const std::string data = dir.File("data");
  const std::string device = Enroll(data, "android", "personal");
  WriteFile(dir.File("p.json"),
            nlohmann::json{
                {"device_id", device}, {"collected_at", UtcNow(-60)}, {"os", {{"version", "14"}}}}
                .dump());
  ASSERT_EQ(RunCustos({"devices", "posture", device, dir.File("p.json"), "--data", data}).exit_code,
            0);
  RunResult before = RunCustos({"devices", "show", device, "--data", data, "--json"});
  ASSERT_EQ(before.exit_code, 0) << before.err;
  ASSERT_EQ(Rule(LastJson(before.out), "os-current-android")["result"], "pass") << before.out;

  const fs::path candidate = dir.File("candidate");
  fs::copy(fs::canonical(data + "/policy/active"), candidate, fs::copy_options::recursive);
  const std::string yaml = (candidate / "devices" / "mobile-device-policy.yaml").string();
  std::string text = ReadFile(yaml);
  const std::size_t at = text.find("value: \"13\"");
  ASSERT_NE(at, std::string::npos);
  text.replace(at, 11, "value: \"15\"");
  WriteFile(yaml, text);
  RunResult apply = RunCustos({"policy", "apply", candidate.string(), "--data", data});
  ASSERT_EQ(apply.exit_code, 0) << apply.out << apply.err;

  RunResult after = RunCustos({"devices", "show", device, "--data", data, "--json"});
  ASSERT_EQ(after.exit_code, 0) << after.err;
  const auto rule = Rule(LastJson(after.out), "os-current-android");
  EXPECT_EQ(rule["result"], "fail") << after.out;
  EXPECT_EQ(rule["expected"], "OS >= 15") << after.out;
}

}  // namespace
}  // namespace custos::testing
