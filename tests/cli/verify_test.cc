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
