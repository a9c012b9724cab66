// SPDX-License-Identifier: Apache-2.0
// `custos policy lint|test|check|apply|backtest` through the real binary: every error with its
// position and a non-zero exit, inline tests, verdicts with explanations, packs applied to a
// data directory and recorded, and a backtest of a candidate pack against the pack in force.
#include <cstdlib>
#include <filesystem>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "custos_runner.h"
#include "testing/temp_dir.h"

namespace custos::testing {
namespace {

namespace fs = std::filesystem;

std::string Data(const std::string& name) {
  const char* dir = std::getenv("CUSTOS_SOURCE_DIR");
  return std::string(dir != nullptr ? dir : ".") + "/tests/data/policy/" + name;
}

TEST(PolicyCli, LintReportsEveryErrorWithItsPosition) {
  const RunResult r = RunCustos({"policy", "lint", Data("broken")});
  EXPECT_EQ(r.exit_code, 65) << r.out << r.err;
  EXPECT_NE(r.out.find("rules/rules.yaml:3:27: error"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("rules/rules.yaml:9:36: error"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("no_such_list"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("broken.syntax"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("2 errors"), std::string::npos) << r.out;

  const RunResult json = RunCustos({"policy", "lint", Data("broken"), "--json"});
  EXPECT_EQ(json.exit_code, 65);
  const nlohmann::json j = nlohmann::json::parse(json.out);
  EXPECT_EQ(j["errors"], 2);
  EXPECT_EQ(j["ok"], false);

  const RunResult ok = RunCustos({"policy", "lint", Data("small")});
  EXPECT_EQ(ok.exit_code, 0) << ok.out << ok.err;
  EXPECT_NE(ok.out.find("compiles"), std::string::npos);
}

TEST(PolicyCli, TestRunsInlineCasesAndFailsOnAnyFailure) {
  const RunResult ok = RunCustos({"policy", "test", Data("small")});
  EXPECT_EQ(ok.exit_code, 0) << ok.out << ok.err;
  EXPECT_NE(ok.out.find("4 passed, 0 failed"), std::string::npos) << ok.out;

  TempDir dir;
  fs::copy(Data("small"), dir.Path() + "/pack", fs::copy_options::recursive);
  WriteFile(dir.Path() + "/pack/rules/extra.yaml",
            "- rule: extra\n  clause: \"x\"\n  condition: text contains \"alpha\"\n"
            "  severity: low\n  action: flag\n  tests:\n    - text: \"beta\"\n"
            "      expect: [extra]\n");
  const RunResult bad = RunCustos({"policy", "test", dir.Path() + "/pack", "--json"});
  EXPECT_EQ(bad.exit_code, 1) << bad.out << bad.err;
  const nlohmann::json j = nlohmann::json::parse(bad.out);
  EXPECT_EQ(j["failed"], 1);
  EXPECT_EQ(j["failures"][0]["rule"], "extra");
}

TEST(PolicyCli, CheckExplainsTheVerdict) {
  const RunResult r =
      RunCustos({"policy", "check", Data("small"), "--text", "card 4111 1111 1111 1111", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const nlohmann::json v = nlohmann::json::parse(r.out);
  EXPECT_EQ(v["action"], "block");
  EXPECT_EQ(v["hits"][0]["rule"], "data.card");
  EXPECT_EQ(v["hits"][0]["clause"], "5.1 Payment card numbers must never be sent over messaging.");

  const RunResult inbound = RunCustos({"policy", "check", Data("small"), "--text",
                                       "card 4111 1111 1111 1111", "--direction", "inbound"});
  EXPECT_EQ(inbound.exit_code, 0);
  EXPECT_NE(inbound.out.find("allow"), std::string::npos) << inbound.out;

  const RunResult bad =
      RunCustos({"policy", "check", Data("small"), "--text", "x", "--direction", "sideways"});
  EXPECT_EQ(bad.exit_code, 64) << bad.err;
}

TEST(PolicyCli, ApplyRecordsThePackAndBacktestComparesACandidate) {
  TempDir dir;
  const std::string data = dir.Path() + "/data";
  // Seed the archive under the small pack, then try a candidate without the promissory rule.
  const RunResult apply = RunCustos({"policy", "apply", Data("small"), "--data", data, "--json"});
  ASSERT_EQ(apply.exit_code, 0) << apply.out << apply.err;
  const nlohmann::json a = nlohmann::json::parse(apply.out);
  EXPECT_EQ(a["tests_passed"], 4);
  EXPECT_TRUE(fs::is_symlink(data + "/policy/active"));

  WriteFile(
      dir.Path() + "/in.jsonl",
      R"({"source":"t","source_id":"1","channel":"sms","conversation":"c","from":"+447700900123","to":["+447700900456"],"sent_at":"2026-11-20T10:00:00Z","direction":"outbound","text":"a guaranteed return for you"})"
      "\n"
      R"({"source":"t","source_id":"2","channel":"sms","conversation":"c","from":"+447700900123","to":["+447700900456"],"sent_at":"2026-11-20T10:01:00Z","direction":"outbound","text":"card 4111 1111 1111 1111"})"
      "\n");
  const RunResult import = RunCustos({"import", "jsonl", dir.Path() + "/in.jsonl", "--data", data});
  ASSERT_EQ(import.exit_code, 0) << import.out << import.err;

  fs::copy(Data("small"), dir.Path() + "/candidate", fs::copy_options::recursive);
  const std::string rules = ReadFile(dir.Path() + "/candidate/rules/rules.yaml");
  WriteFile(dir.Path() + "/candidate/rules/rules.yaml",
            rules.substr(0, rules.find("- rule: promissory.guarantee")));
  const RunResult backtest = RunCustos({"policy", "backtest", dir.Path() + "/candidate", "--data",
                                        data, "--since", "10y", "--json"});
  ASSERT_EQ(backtest.exit_code, 0) << backtest.out << backtest.err;
  const nlohmann::json b = nlohmann::json::parse(backtest.out);
  EXPECT_EQ(b["messages"], 2);
  EXPECT_EQ(b["current"], a["version"]);
  bool saw_lost = false;
  bool saw_unchanged = false;
  for (const nlohmann::json& rule : b["rules"]) {
    if (rule["rule"] == "promissory.guarantee") {
      EXPECT_EQ(rule["lost"], 1);
      EXPECT_EQ(rule["lost_samples"].size(), 1u);
      saw_lost = true;
    }
    if (rule["rule"] == "data.card") {
      EXPECT_EQ(rule["unchanged"], 1);
      saw_unchanged = true;
    }
  }
  EXPECT_TRUE(saw_lost && saw_unchanged) << backtest.out;

  // The same pack again: nothing new recorded. A broken one: refused, exit 65-class error.
  const RunResult again = RunCustos({"policy", "apply", Data("small"), "--data", data});
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.out.find("recorded before"), std::string::npos) << again.out;
  const RunResult broken = RunCustos({"policy", "apply", Data("broken"), "--data", data});
  EXPECT_NE(broken.exit_code, 0);
  EXPECT_NE(broken.err.find("no_such_list"), std::string::npos) << broken.err;

  // Everything applied is in the archive and verifies.
  const RunResult verify = RunCustos({"verify", "--data", data});
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
}

}  // namespace
}  // namespace custos::testing
