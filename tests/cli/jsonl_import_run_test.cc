// SPDX-License-Identifier: Apache-2.0
// `custos import jsonl` is an import run like every other importer (docs/directory.md): one
// `import_run` record with the importer, version, file name and SHA-256, custodian, counts,
// start and end; every message it stores carries the run's id. Through the real binary.
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <openssl/sha.h>

#include "custos_runner.h"
#include "testing/temp_dir.h"

namespace custos::testing {
namespace {

std::string Sha256Hex(const std::string& bytes) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), digest);
  static const char* const kHex = "0123456789abcdef";
  std::string out;
  for (unsigned char b : digest) {
    out += kHex[b >> 4];
    out += kHex[b & 15];
  }
  return out;
}

nlohmann::json Runs(const std::string& data) {
  const RunResult r = RunCustos({"import", "runs", "--data", data, "--json"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return nlohmann::json::parse(r.out)["runs"];
}

std::string Canonical(const std::string& data, int record) {
  return RunCustos({"record", "show", std::to_string(record), "--data", data, "--canonical"}).out;
}

// How many `message` records before record `before` there are; each must carry `run`.
int MessagesOfRun(const std::string& data, int before, int run) {
  int messages = 0;
  for (int record = 1; record < before; ++record) {
    const std::string canonical = Canonical(data, record);
    if (canonical.find("\"kind\":\"message\"") != std::string::npos) {
      ++messages;
      EXPECT_NE(canonical.find("\"import_run\":" + std::to_string(run) + ","), std::string::npos)
          << canonical;
    }
  }
  return messages;
}

TEST(JsonlImportRun, AFileIsARunWithItsHashAndEveryMessageLinked) {
  TempDir dir;
  const std::string data = dir.File("data");
  const std::string file = dir.File("messages.jsonl");
  const std::string text = MessageLine(1) + "\n" + MessageLine(2) + "\n\n" + MessageLine(3) + "\n";
  WriteFile(file, text);
  const RunResult r =
      RunCustos({"import", "jsonl", file, "--data", data, "--custodian", "Anna@Firm.com"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("imported 3, duplicates 0, rejected 0"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("import run 1 (record "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("), source sha256 " + Sha256Hex(text)), std::string::npos) << r.out;

  const nlohmann::json runs = Runs(data);
  ASSERT_EQ(runs.size(), 1u) << runs;
  const nlohmann::json& run = runs[0];
  EXPECT_EQ(run["importer"], "jsonl");
  EXPECT_TRUE(run["version"].get<std::string>().ends_with(" importer jsonl/1")) << run;
  EXPECT_EQ(run["source_name"], "messages.jsonl");
  EXPECT_EQ(run["source_sha256"], Sha256Hex(text));
  EXPECT_EQ(run["custodian"], "anna@firm.com");
  EXPECT_EQ(run["status"], "completed");
  EXPECT_EQ(run["imported"], 3);
  EXPECT_FALSE(run["started_at"].is_null());
  EXPECT_FALSE(run["ended_at"].is_null());
  const int run_record = run["record_id"].get<int>();
  EXPECT_EQ(MessagesOfRun(data, run_record, 1), 3);
  EXPECT_NE(Canonical(data, run_record).find("\"kind\":\"import_run\""), std::string::npos);

  // Again: a second run, nothing new, every line a duplicate.
  ASSERT_EQ(RunCustos({"import", "jsonl", file, "--data", data, "--json"}).exit_code, 0);
  const nlohmann::json again = Runs(data);
  ASSERT_EQ(again.size(), 2u);
  EXPECT_EQ(again[1]["imported"], 0);
  EXPECT_EQ(again[1]["duplicates"], 3);
  EXPECT_EQ(again[1]["source_sha256"], Sha256Hex(text));
}

TEST(JsonlImportRun, StandardInputIsHashedAsReadAndABadLineStopsTheRun) {
  TempDir dir;
  const std::string data = dir.File("data");
  const std::string file = dir.File("in.jsonl");
  const std::string text = MessageLine(1) + "\n{\"source\":\"e2e\"}\n" + MessageLine(3) + "\n";
  WriteFile(file, text);
  const RunResult r = RunCustos({"import", "jsonl", "-", "--data", data, "--json"}, file);
  EXPECT_EQ(r.exit_code, 65) << r.err;
  const nlohmann::json runs = Runs(data);
  ASSERT_EQ(runs.size(), 1u) << runs;
  EXPECT_EQ(runs[0]["source_name"], "<stdin>");
  EXPECT_EQ(runs[0]["source_sha256"], Sha256Hex(text));  // all of it, though it stopped early
  EXPECT_EQ(runs[0]["status"], "stopped");
  EXPECT_EQ(runs[0]["imported"], 1);
  EXPECT_EQ(runs[0]["rejected"], 1);
  EXPECT_EQ(runs[0]["custodian"], "");
  EXPECT_EQ(runs[0]["stopped_at"].get<std::string>().rfind("<stdin>:2: ", 0), 0u) << runs[0];
  EXPECT_EQ(MessagesOfRun(data, runs[0]["record_id"].get<int>(), 1), 1);
}

}  // namespace
}  // namespace custos::testing
