// SPDX-License-Identifier: Apache-2.0
// Issue 13 item 3 through the real binary: retention classes that match the archived policy
// verdict (`rules`, `severities`, `actions`) keep flagged messages for their longer period;
// class settings that cannot be honoured are refused with file:line:column (docs/retention.md).
#include <cstdint>
#include <ctime>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include "custos_runner.h"
#include "demo_archive.h"
#include "testing/temp_dir.h"

namespace custos::testing {
namespace {

using nlohmann::json;

constexpr const char* kFlaggedAndChat = R"(retention:
  schedule: "off"
  classes:
    - name: flagged-10y
      period: 10y
      legal_basis: "test: flagged communications, ten years"
      rules: [promissory.guarantees]
    - name: chat-30d
      period: 30d
      legal_basis: "test: chat, thirty days"
      channels: [whatsapp, sms, telegram, slack]
)";

// Every value of the first column of `sql` on DIR/custos.db.
std::set<std::int64_t> QueryIds(const std::string& data_dir, const std::string& sql) {
  std::set<std::int64_t> out;
  sqlite3* db = nullptr;
  if (sqlite3_open_v2((data_dir + "/custos.db").c_str(), &db, SQLITE_OPEN_READONLY, nullptr) !=
      SQLITE_OK) {
    ADD_FAILURE() << "cannot open " << data_dir;
    sqlite3_close(db);
    return out;
  }
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
    ADD_FAILURE() << sql << ": " << sqlite3_errmsg(db);
  } else {
    while (sqlite3_step(stmt) == SQLITE_ROW) {
      out.insert(sqlite3_column_int64(stmt, 0));
    }
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return out;
}

// Messages whose verdict has a hit of `rule`.
std::string FlaggedBy(const std::string& rule) {
  return "SELECT message_id FROM verdicts WHERE ' ' || rules || ' ' LIKE '% " + rule + " %'";
}

class RetentionRules : public ::testing::Test {
 protected:
  void SetUp() override { data_ = CopyDemoData(dir_); }

  RunResult Run(std::vector<std::string> args) const {
    args.push_back("--data");
    args.push_back(data_);
    return RunCustos(args);
  }

  json Json(const std::vector<std::string>& args) const {
    const RunResult r = Run(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return json::parse(r.out, nullptr, false);
  }

  TempDir dir_;
  std::string data_;
};

// The reproduction: a ten-year class for flagged messages and a thirty-day chat class. The
// flagged messages older than 30 days are kept; everything else older than 30 days goes.
TEST_F(RetentionRules, FlaggedMessagesOutliveTheChatClassInADryRunAndARealRun) {
  WriteFile(data_ + "/custos.yaml", kFlaggedAndChat);
  const std::set<std::int64_t> flagged = QueryIds(data_, FlaggedBy("promissory.guarantees"));
  ASSERT_GE(flagged.size(), 3U) << "the demo data has too few promised returns";
  // Some flagged messages are older than 30 days (the demo spans six weeks before this week).
  const std::int64_t now_s = std::time(nullptr);
  const std::string cutoff = std::to_string((now_s - 30 * 86'400) * 1'000'000);
  const std::set<std::int64_t> old_flagged = QueryIds(
      data_, FlaggedBy("promissory.guarantees") +
                 " AND message_id IN (SELECT id FROM messages WHERE sent_at < " + cutoff + ")");
  ASSERT_FALSE(old_flagged.empty());

  const json dry = Json({"retention", "run", "--dry-run", "--json"});
  ASSERT_GT(dry["count"].get<int>(), 0) << dry;
  for (const json& item : dry["items"]) {
    EXPECT_EQ(flagged.count(item["message_id"].get<std::int64_t>()), 0U) << item;
    EXPECT_EQ(item["class"], "chat-30d") << item;
  }

  const json run = Json({"retention", "run", "--json"});
  EXPECT_EQ(run["count"], dry["count"]);
  for (const json& item : run["items"]) {
    EXPECT_EQ(flagged.count(item["message_id"].get<std::int64_t>()), 0U) << item;
  }
  // The old flagged messages still have their content; the chat ones of that age do not.
  EXPECT_EQ(QueryInt(data_,
                     "SELECT COUNT(*) FROM messages m JOIN records r ON r.id = m.record_id"
                     " WHERE r.payload IS NULL AND m.id IN (" +
                         FlaggedBy("promissory.guarantees") + ")"),
            0);
  for (std::int64_t id : old_flagged) {
    const RunResult shown =
        Run({"record", "show",
             std::to_string(QueryInt(
                 data_, "SELECT record_id FROM messages WHERE id = " + std::to_string(id)))});
    EXPECT_EQ(shown.exit_code, 0) << shown.err;
  }
  EXPECT_EQ(Json({"retention", "run", "--dry-run", "--json"})["count"], 0);
  const RunResult verify = Run({"verify"});
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
}

// Without the rules class, the same flagged messages would have gone: the test above is about
// the class, not the data.
TEST_F(RetentionRules, WithoutTheRuleClassTheOldFlaggedMessagesExpire) {
  WriteFile(data_ + "/custos.yaml", R"(retention:
  schedule: "off"
  classes:
    - name: chat-30d
      period: 30d
      legal_basis: "test: chat, thirty days"
      channels: [whatsapp, sms, telegram, slack]
)");
  const std::set<std::int64_t> flagged = QueryIds(data_, FlaggedBy("promissory.guarantees"));
  const json dry = Json({"retention", "run", "--dry-run", "--json"});
  int expired_flagged = 0;
  for (const json& item : dry["items"]) {
    expired_flagged += flagged.count(item["message_id"].get<std::int64_t>()) > 0 ? 1 : 0;
  }
  EXPECT_GT(expired_flagged, 0);
}

// Severities and actions match any hit of the verdict.
TEST_F(RetentionRules, SeverityAndActionClassesKeepWhatTheyName) {
  WriteFile(data_ + "/custos.yaml", R"(retention:
  schedule: "off"
  classes:
    - name: severe-7y
      period: 7y
      legal_basis: "test: high and critical findings"
      severities: [high, critical]
    - name: escalated-6y
      period: 6y
      legal_basis: "test: escalations"
      actions: [escalate, block]
    - name: chat-30d
      period: 30d
      legal_basis: "test: chat, thirty days"
      channels: [whatsapp, sms, telegram, slack]
)");
  const std::set<std::int64_t> any_verdict = QueryIds(data_, "SELECT message_id FROM verdicts");
  ASSERT_FALSE(any_verdict.empty());
  const json dry = Json({"retention", "run", "--dry-run", "--json"});
  ASSERT_GT(dry["count"].get<int>(), 0);
  // A message disposed of may have a verdict only if no hit is high/critical or escalate/block.
  for (const json& item : dry["items"]) {
    const std::int64_t id = item["message_id"];
    if (any_verdict.count(id) == 0) {
      continue;
    }
    const std::string sev = std::to_string(QueryInt(
        data_, "SELECT COUNT(*) FROM verdicts WHERE message_id = " + std::to_string(id) +
                   " AND (severity IN ('high', 'critical') OR action IN ('escalate', 'block'))"));
    EXPECT_EQ(sev, "0") << item;
  }
  const std::set<std::int64_t> severe =
      QueryIds(data_, "SELECT message_id FROM verdicts WHERE severity IN ('high', 'critical')");
  ASSERT_FALSE(severe.empty()) << "the demo has no high-severity finding";
  for (const json& item : dry["items"]) {
    EXPECT_EQ(severe.count(item["message_id"].get<std::int64_t>()), 0U) << item;
  }
}

struct BadConfig {
  const char* name;
  const char* yaml;
  const char* position;  // "custos.yaml:L:C"
  const char* words;     // in the message
};

class RetentionBadConfig : public ::testing::TestWithParam<BadConfig> {};

TEST_P(RetentionBadConfig, IsRefusedWithItsPosition) {
  TempDir dir;
  const std::string data = CopyDemoData(dir);
  WriteFile(data + "/custos.yaml", GetParam().yaml);
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"retention", "run", "--dry-run", "--data", data},
        std::vector<std::string>{"retention", "run", "--data", data}}) {
    const RunResult r = RunCustos(args);
    EXPECT_NE(r.exit_code, 0) << r.out;
    EXPECT_NE(r.err.find(GetParam().position), std::string::npos) << r.err;
    EXPECT_NE(r.err.find(GetParam().words), std::string::npos) << r.err;
  }
  EXPECT_EQ(QueryInt(data, "SELECT COUNT(*) FROM records WHERE payload IS NULL"), 0);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, RetentionBadConfig,
    ::testing::Values(
        BadConfig{"UnknownRule",
                  "retention:\n  classes:\n    - name: c\n      period: 10y\n      legal_basis: b\n"
                  "      rules: [promissory.guarantee]\n",
                  "custos.yaml:6:15", "unknown rule \"promissory.guarantee\""},
        BadConfig{"UnknownKey",
                  "retention:\n  classes:\n    - name: c\n      period: 10y\n      legal_basis: b\n"
                  "      rule: [promissory.guarantees]\n",
                  "custos.yaml:6:7", "unknown key \"rule\""},
        BadConfig{"ZeroPeriod",
                  "retention:\n  classes:\n    - name: c\n      period: 0d\n      legal_basis: b\n"
                  "      channels: [sms]\n",
                  "custos.yaml:4:15", "count must be"},
        BadConfig{
            "NegativePeriod",
            "retention:\n  classes:\n    - name: c\n      period: -30d\n      legal_basis: b\n"
            "      channels: [sms]\n",
            "custos.yaml:4:15", "digits"},
        BadConfig{"UnknownSeverity",
                  "retention:\n  classes:\n    - name: c\n      period: 1y\n      legal_basis: b\n"
                  "      severities: [high, severe]\n",
                  "custos.yaml:6:26", "unknown severity \"severe\""},
        BadConfig{"UnknownAction",
                  "retention:\n  classes:\n    - name: c\n      period: 1y\n      legal_basis: b\n"
                  "      actions: [flagged]\n",
                  "custos.yaml:6:17", "unknown action \"flagged\""},
        BadConfig{"EmptyRules",
                  "retention:\n  classes:\n    - name: c\n      period: 1y\n      legal_basis: b\n"
                  "      rules: []\n",
                  "custos.yaml:6:14", "non-empty list"}),
    [](const ::testing::TestParamInfo<BadConfig>& param_info) { return param_info.param.name; });

}  // namespace
}  // namespace custos::testing
