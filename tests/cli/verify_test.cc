// SPDX-License-Identifier: Apache-2.0
// End-to-end tests of `custos verify` and `custos keys rotate` on the demo data: a clean
// archive passes, a flipped byte in a sealed record is an integrity failure (exit 3) naming
// the record, operational errors have their own exit codes, and rotation keeps every record
// readable.
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "custos_runner.h"
#include "demo_archive.h"
#include "testing/temp_dir.h"

namespace custos::testing {
namespace {

using nlohmann::json;

constexpr int kExitIntegrity = 3;
constexpr int kExitNoInput = 66;

int Lines(const std::string& text) {
  int n = 0;
  for (const char c : text) {
    n += c == '\n' ? 1 : 0;
  }
  return n;
}

TEST(Verify, PassesOnTheDemoArchive) {
  TempDir dir;
  const std::string data = CopyDemoData(dir);
  RunResult r = RunCustos({"verify", "--data", data});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("OK: the archive is intact"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("records/s"), std::string::npos) << r.out;

  r = RunCustos({"verify", "--data", data, "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json report = json::parse(r.out);
  EXPECT_EQ(report["ok"], true);
  EXPECT_EQ(report["records"], QueryInt(data, "SELECT COUNT(*) FROM records"));
  EXPECT_EQ(report["messages"], QueryInt(data, "SELECT COUNT(*) FROM messages"));
  EXPECT_EQ(report["problem_count"], 0);
  EXPECT_GE(report["checkpoints"].get<int>(), 1);
}

TEST(Verify, AFlippedPayloadByteIsAnIntegrityFailureNamingTheRecord) {
  TempDir dir;
  const std::string data = CopyDemoData(dir);
  ASSERT_TRUE(FlipPayloadByte(data, 42));

  RunResult r = RunCustos({"verify", "--data", data});
  EXPECT_EQ(r.exit_code, kExitIntegrity) << r.out << r.err;
  EXPECT_NE(r.err.find("FAILED"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("record 42"), std::string::npos) << r.err;
  EXPECT_NE(r.out.find("record 42:"), std::string::npos) << r.out;

  r = RunCustos({"verify", "--data", data, "--json"});
  EXPECT_EQ(r.exit_code, kExitIntegrity) << r.err;
  const json report = json::parse(r.out);
  EXPECT_EQ(report["ok"], false);
  ASSERT_FALSE(report["problems"].empty()) << r.out;
  EXPECT_EQ(report["problems"][0]["record_id"], 42) << r.out;
  EXPECT_FALSE(report["problems"][0]["problem"].get<std::string>().empty());
}

// Derived rows are recomputed from the sealed records: changing a keyed-hash column, a search
// index entry, a verdict, hold or conversation row (what a flipped byte or an attacker with
// the database file can do) is an integrity failure naming the row, the column and the record.
TEST(Verify, EveryDerivedRowIsRecomputedFromTheSealedRecords) {
  struct Case {
    std::string what;     // for messages
    std::string sql;      // the tampering; {M} is a message id, {E} an edit's id
    std::string subject;  // expected in a problem's subject
    std::string problem;  // expected in that problem's text
  };

  const std::vector<Case> cases = {
      {"sender hash", "UPDATE messages SET sender_hash = idem_hash WHERE id = {M}", "message {M}",
       "sender_hash column differs from record {R}"},
      {"idempotency hash", "UPDATE messages SET idem_hash = randomblob(32) WHERE id = {M}",
       "message {M}", "idem_hash column differs from record {R}"},
      {"conversation",
       "UPDATE messages SET conversation_id = (SELECT MIN(id) FROM conversations WHERE id !="
       " (SELECT conversation_id FROM messages WHERE id = {M})) WHERE id = {M}",
       "message {M}", "conversation_id column differs from record {R}"},
      {"direction", "UPDATE messages SET direction = 'internal' WHERE id = {M}", "message {M}",
       "direction column differs"},
      {"event target", "UPDATE messages SET target_hash = NULL WHERE id = {E}", "message {E}",
       "target_hash column differs"},
      {"search index: extra token",
       "INSERT INTO message_index (rowid, tokens) VALUES ({M}, '0123456789abcdef')", "message {M}",
       "search index entries (message_index) differ from the tokens of its text"},
      {"search index: a message that does not exist",
       "INSERT INTO message_index (rowid, tokens) VALUES (99999999, '0123456789abcdef')",
       "message_index row 99999999", "indexes a message that has no readable text"},
      {"search index: emptied", "INSERT INTO message_index (message_index) VALUES ('delete-all')",
       "message ", "search index entries"},
      {"verdict action", "UPDATE verdicts SET action = 'allow' WHERE message_id = {V}",
       "verdicts row message_id={V}", "action column differs"},
      {"verdict rules", "UPDATE verdicts SET rules = '' WHERE message_id = {V}",
       "verdicts row message_id={V}", "rules column differs"},
      {"hold conversation", "UPDATE holds SET conversation_id = conversation_id + 1",
       "holds row id=1", "conversation_id column differs"},
      {"conversation counter",
       "UPDATE conversations SET message_count = message_count + 1"
       " WHERE id = 1",
       "conversation 1", "message_count column differs from its messages"},
      {"conversation key hash", "UPDATE conversations SET key_hash = randomblob(32) WHERE id = 1",
       "conversation 1", "key_hash"},
      {"participant",
       "DELETE FROM conversation_participants WHERE conversation_id = 1 AND"
       " identity_hash = (SELECT MIN(identity_hash) FROM"
       " conversation_participants WHERE conversation_id = 1)",
       "conversation 1", "lacks a participant row"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.what);
    TempDir dir;
    const std::string data = CopyDemoData(dir);
    ASSERT_EQ(RunCustos({"hold", "create", "--name", "m", "--conversation", "2", "--data", data})
                  .exit_code,
              0);
    const std::int64_t m = QueryInt(data,
                                    "SELECT MAX(id) FROM messages WHERE kind = 'message'"
                                    " AND record_id != id");
    auto subst = [&](std::string text) {
      const std::pair<std::string, std::string> vars[] = {
          {"{M}", std::to_string(m)},
          {"{R}", std::to_string(QueryInt(
                      data, "SELECT record_id FROM messages WHERE id = " + std::to_string(m)))},
          {"{E}",
           std::to_string(QueryInt(data, "SELECT MIN(id) FROM messages WHERE kind = 'edit'"))},
          {"{V}", std::to_string(QueryInt(data, "SELECT MAX(message_id) FROM verdicts"))},
      };
      for (const auto& [name, value] : vars) {
        for (std::size_t at = text.find(name); at != std::string::npos; at = text.find(name)) {
          text.replace(at, name.size(), value);
        }
      }
      return text;
    };
    ASSERT_TRUE(ExecSql(data, subst(c.sql)));
    const RunResult r = RunCustos({"verify", "--json", "--data", data});
    EXPECT_EQ(r.exit_code, kExitIntegrity) << r.out << r.err;
    const json report = json::parse(r.out, nullptr, false);
    ASSERT_TRUE(report.is_object()) << r.out << r.err;
    bool found = false;
    for (const json& p : report["problems"]) {
      found =
          found || (p["subject"].get<std::string>().find(subst(c.subject)) != std::string::npos &&
                    p["problem"].get<std::string>().find(subst(c.problem)) != std::string::npos);
    }
    EXPECT_TRUE(found) << "expected \"" << subst(c.subject) << ": " << subst(c.problem) << "\" in "
                       << r.out;
  }
}

TEST(Verify, CheckpointsSignedByAnotherKeyFail) {
  TempDir dir;
  const std::string data = CopyDemoData(dir);
  const std::string other = dir.File("other");
  WriteFile(dir.File("one.jsonl"), MessageLine(1) + "\n");
  ASSERT_EQ(RunCustos({"import", "jsonl", dir.File("one.jsonl"), "--data", other}).exit_code, 0);
  std::string key = RunCustos({"log", "public-key", "--data", other}).out;
  WriteFile(dir.File("other.key"), key);

  const RunResult r = RunCustos({"verify", "--data", data, "--public-key", dir.File("other.key")});
  EXPECT_EQ(r.exit_code, kExitIntegrity) << r.out << r.err;
  EXPECT_NE(r.err.find("checkpoint"), std::string::npos) << r.err;
}

TEST(Verify, OperationalErrorsAreNotIntegrityFailures) {
  TempDir dir;
  const RunResult r = RunCustos({"verify", "--data", dir.File("missing")});
  EXPECT_EQ(r.exit_code, kExitNoInput) << r.err;
  EXPECT_NE(r.exit_code, kExitIntegrity);
}

TEST(Verify, HelpDocumentsTheExitCodes) {
  const RunResult r = RunCustos({"verify", "--help"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("3 when the archive fails a check"), std::string::npos) << r.out;
}

TEST(KeysRotate, OldRecordsStayReadableNewOnesUseTheNewKeyAndVerifyPasses) {
  TempDir dir;
  const std::string data = CopyDemoData(dir);
  const int before = Lines(RunCustos({"export", "jsonl", "--data", data}).out);
  ASSERT_GT(before, 1500);

  RunResult r = RunCustos({"keys", "rotate", "--data", data, "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "{\"key_version\":2}\n");
  WriteFile(dir.File("new.jsonl"), MessageLine(7) + "\n");
  ASSERT_EQ(RunCustos({"import", "jsonl", dir.File("new.jsonl"), "--data", data}).exit_code, 0);

  EXPECT_GT(QueryInt(data, "SELECT COUNT(*) FROM records WHERE key_version = 1"), 1500);
  EXPECT_GE(QueryInt(data, "SELECT COUNT(*) FROM records WHERE key_version = 2"), 1);
  EXPECT_EQ(Lines(RunCustos({"export", "jsonl", "--data", data}).out), before + 1);
  r = RunCustos({"search", "guaranteed", "--data", data, "--json"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("guaranteed"), std::string::npos);
  r = RunCustos({"record", "show", "1", "--canonical", "--data", data});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  r = RunCustos({"verify", "--data", data});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;

  r = RunCustos({"keys", "rotate", "--data", data});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("key version 3"), std::string::npos) << r.out;
}

TEST(KeysRotate, MissingKeyRingIsNotFound) {
  TempDir dir;
  const RunResult r = RunCustos({"keys", "rotate", "--data", dir.File("missing")});
  EXPECT_EQ(r.exit_code, kExitNoInput) << r.err;
}

}  // namespace
}  // namespace custos::testing
