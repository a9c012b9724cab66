// SPDX-License-Identifier: Apache-2.0
// `custos policy lint|test|check|apply|backtest` through the real binary: every error with its
// position and a non-zero exit, inline tests, verdicts with explanations, packs applied to a
// data directory and recorded, and a backtest of a candidate pack against the pack in force.
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sys/resource.h>

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

// A "billion laughs" pack file: nine anchors, each a list of nine aliases of the one before.
// Expanded it is 9^9 (387 million) scalars; yaml-cpp shares aliased nodes, but the loader walked
// them all (1.9 GB for `policy lint` on 254 bytes, 17 GB for the server). Anchors and aliases are
// refused before any tree is built.
std::string BillionLaughs() {
  std::string yaml = "- list: l0\n  items: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n";
  for (int i = 1; i < 9; ++i) {
    const std::string prev = "*a" + std::to_string(i - 1);
    yaml += "- list: l" + std::to_string(i) + "\n  items: &a" + std::to_string(i) + " [";
    for (int j = 0; j < 9; ++j) {
      yaml += (j > 0 ? ", " : "") + prev;
    }
    yaml += "]\n";
  }
  return yaml;
}

long ChildrenPeakRssKiB() {
  rusage usage{};
  getrusage(RUSAGE_CHILDREN, &usage);
  return usage.ru_maxrss;
}

TEST(PolicyCli, LintRefusesYamlAliasesQuicklyWithBoundedMemory) {
  TempDir dir;
  fs::create_directories(dir.Path() + "/pack");
  WriteFile(dir.Path() + "/pack/pack.yaml", "- pack: laughs\n");
  WriteFile(dir.Path() + "/pack/lists.yaml", BillionLaughs());
  const auto start = std::chrono::steady_clock::now();
  const RunResult r = RunCustos({"policy", "lint", dir.Path() + "/pack"});
  const auto seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(r.exit_code, 65) << r.out << r.err;
  // The first anchor, at line 2 column 10, is named with the file and the reason.
  EXPECT_NE(r.out.find("lists.yaml:2:10: error[yaml_limit]"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("anchors"), std::string::npos) << r.out;
  EXPECT_LT(seconds, 10.0);
  // Every child of this test binary so far stayed small (the old code peaked at 1.9 GB here).
  EXPECT_LT(ChildrenPeakRssKiB(), 300 * 1024);

  // An alias without an anchor of its own in the same file, deep nesting and a flood of nodes.
  WriteFile(dir.Path() + "/pack/lists.yaml",
            "- list: a\n  items: [x]\n- list: b\n  items: *nowhere\n");
  const RunResult alias = RunCustos({"policy", "lint", dir.Path() + "/pack"});
  EXPECT_EQ(alias.exit_code, 65) << alias.out;
  EXPECT_NE(alias.out.find("lists.yaml:4:10: error[yaml_limit]"), std::string::npos) << alias.out;
  EXPECT_NE(alias.out.find("aliases"), std::string::npos) << alias.out;

  WriteFile(dir.Path() + "/pack/lists.yaml",
            "- list: a\n  items: " + std::string(200, '[') + "x" + std::string(200, ']') + "\n");
  const RunResult deep = RunCustos({"policy", "lint", dir.Path() + "/pack"});
  EXPECT_EQ(deep.exit_code, 65) << deep.out;
  EXPECT_NE(deep.out.find("nested more than 64 levels"), std::string::npos) << deep.out;

  std::string many = "- list: a\n  items: [";
  for (int i = 0; i < 120'000; ++i) {
    many += (i > 0 ? ",x" : "x");
  }
  WriteFile(dir.Path() + "/pack/lists.yaml", many + "]\n");
  const RunResult flood = RunCustos({"policy", "lint", dir.Path() + "/pack"});
  EXPECT_EQ(flood.exit_code, 65) << flood.out;
  EXPECT_NE(flood.out.find("more than 100000 YAML nodes"), std::string::npos) << flood.out;
}

TEST(PolicyCli, DataDirectoryYamlWithAliasesIsRefused) {
  TempDir dir;
  const std::string data = dir.Path() + "/data";
  // A data directory that exists (verify does not create one), then a custos.yaml with aliases.
  const RunResult apply = RunCustos({"policy", "apply", Data("small"), "--data", data});
  ASSERT_EQ(apply.exit_code, 0) << apply.out << apply.err;
  WriteFile(data + "/custos.yaml",
            "retention:\n  classes:\n    - &c {name: chat, period: 30d, legal_basis: x}\n"
            "    - *c\n");
  const RunResult r = RunCustos({"verify", "--data", data});
  EXPECT_NE(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE((r.out + r.err).find("custos.yaml:3:"), std::string::npos) << r.out << r.err;
  EXPECT_NE((r.out + r.err).find("anchors"), std::string::npos) << r.out << r.err;
}

// `policy test --cases`: the recall corpus (tests/policy_cases/corpus, docs/policy-operations.md)
// measured per category. The held-out half was never used to tune the default pack; on the pack
// before issue 13 it caught 18% of off-channel requests and had no complaint, secrecy or MNPI
// rules at all.
TEST(PolicyCli, TestMeasuresRecallAndFalsePositivesPerCategory) {
  const std::string cases = std::string(CUSTOS_PROJECT_DIR) + "/tests/policy_cases/corpus/heldout";
  const RunResult r =
      RunCustos({"policy", "test", CUSTOS_DEFAULT_PACK_DIR, "--cases", cases, "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  const nlohmann::json j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["categories_from"], "cases");
  EXPECT_GE(j["cases"]["messages"].get<int>(), 150);
  std::map<std::string, nlohmann::json> by_name;
  for (const nlohmann::json& c : j["categories"]) {
    by_name[c["category"].get<std::string>()] = c;
    for (const char* key : {"positives", "caught", "recall", "negatives", "false_positives",
                            "fp_rate", "near_misses", "near_miss_false_positives"}) {
      EXPECT_TRUE(c.contains(key)) << c;
    }
  }
  for (const char* category :
       {"off-channel", "promissory", "content", "complaints", "secrecy", "mnpi"}) {
    ASSERT_TRUE(by_name.count(category)) << category << " missing: " << r.out;
    const nlohmann::json& c = by_name[category];
    EXPECT_GE(c["positives"].get<int>(), 10) << c;
    EXPECT_GE(c["recall"].get<double>(), 0.75) << c;
    EXPECT_LE(c["fp_rate"].get<double>(), 0.03) << c;
  }

  const RunResult text = RunCustos({"policy", "test", CUSTOS_DEFAULT_PACK_DIR, "--cases", cases});
  EXPECT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("off-channel"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("recall"), std::string::npos) << text.out;

  const RunResult missing =
      RunCustos({"policy", "test", CUSTOS_DEFAULT_PACK_DIR, "--cases", cases + "/nope"});
  EXPECT_EQ(missing.exit_code, 65) << missing.out;
  EXPECT_NE(missing.err.find("nope"), std::string::npos) << missing.err;
}

}  // namespace
}  // namespace custos::testing
