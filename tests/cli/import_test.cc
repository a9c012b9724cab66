// SPDX-License-Identifier: Apache-2.0
// End-to-end tests of `custos import jsonl`, running the built binary in a temp data dir.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "custos_runner.h"
#include "testing/temp_dir.h"

namespace custos::testing {
namespace {

constexpr int kExitDataError = 65;
constexpr int kExitNoInput = 66;

std::string Lines(int from, int to) {
  std::string text;
  for (int i = from; i <= to; ++i) {
    text += MessageLine(i) + "\n";
  }
  return text;
}

std::string Summary(int imported, int duplicates, int rejected) {
  return "{\"imported\":" + std::to_string(imported) +
         ",\"duplicates\":" + std::to_string(duplicates) +
         ",\"rejected\":" + std::to_string(rejected) + "}\n";
}

// Number of lines `custos export jsonl` prints for the data dir.
int ExportedLines(const std::string& data) {
  const RunResult r = RunCustos({"export", "jsonl", "--data", data});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  int n = 0;
  for (char c : r.out) {
    n += c == '\n' ? 1 : 0;
  }
  return n;
}

class ImportJsonl : public ::testing::Test {
 protected:
  // Writes `text` to messages.jsonl and imports it with --json.
  RunResult Import(const std::string& text) {
    WriteFile(file_, text);
    return RunCustos({"import", "jsonl", file_, "--data", data_, "--json"});
  }

  TempDir dir_;
  const std::string data_ = dir_.File("data");
  const std::string file_ = dir_.File("messages.jsonl");
};

TEST_F(ImportJsonl, ImportsASmallFileAndPrintsAJsonSummary) {
  const RunResult r = Import(Lines(1, 5));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, Summary(5, 0, 0));
  EXPECT_EQ(ExportedLines(data_), 5);
}

TEST_F(ImportJsonl, ReportsOnlyDuplicatesWhenRunAgain) {
  ASSERT_EQ(Import(Lines(1, 5)).exit_code, 0);
  const RunResult again = Import(Lines(1, 5));
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(again.out, Summary(0, 5, 0));
  EXPECT_EQ(ExportedLines(data_), 5);
}

TEST_F(ImportJsonl, StopsAtAMalformedLineAndAFixedReRunImportsOnlyTheRest) {
  std::string bad = MessageLine(3);
  bad.replace(bad.find("inbound"), 7, "sideways");
  const RunResult r = Import(Lines(1, 2) + bad + "\n" + Lines(4, 6));
  EXPECT_EQ(r.exit_code, kExitDataError);
  EXPECT_NE(r.err.find(file_ + ":3: field \"direction\": "), std::string::npos) << r.err;
  EXPECT_EQ(r.out, Summary(2, 0, 1));
  EXPECT_EQ(ExportedLines(data_), 2);

  const RunResult fixed = Import(Lines(1, 6));
  EXPECT_EQ(fixed.exit_code, 0) << fixed.err;
  EXPECT_EQ(fixed.out, Summary(4, 2, 0));
  EXPECT_EQ(ExportedLines(data_), 6);
}

TEST_F(ImportJsonl, StopsAtBrokenJsonWithItsLineNumber) {
  const RunResult r = Import(Lines(1, 2) + "{\"source\":\"e2e\",\n" + Lines(4, 4));
  EXPECT_EQ(r.exit_code, kExitDataError);
  EXPECT_NE(r.err.find(file_ + ":3: malformed JSON"), std::string::npos) << r.err;
  EXPECT_EQ(r.out, Summary(2, 0, 1));
}

TEST_F(ImportJsonl, NamesAMissingRequiredField) {
  std::string line = MessageLine(1);
  line.erase(line.find("\"from\":"), std::string("\"from\":\"+447700900001\",").size());
  const RunResult r = Import(line + "\n");
  EXPECT_EQ(r.exit_code, kExitDataError);
  EXPECT_NE(r.err.find(":1: field \"from\": is required"), std::string::npos) << r.err;
  EXPECT_EQ(r.out, Summary(0, 0, 1));
}

TEST_F(ImportJsonl, NamesAnInvalidTimestamp) {
  std::string line = MessageLine(2);
  line.replace(line.find("2026-10-01T"), 11, "2026-10-01 at ");
  const RunResult r = Import(Lines(1, 1) + line + "\n");
  EXPECT_EQ(r.exit_code, kExitDataError);
  EXPECT_NE(r.err.find(":2: field \"sent_at\": invalid RFC 3339 timestamp"), std::string::npos)
      << r.err;
  EXPECT_EQ(r.out, Summary(1, 0, 1));
}

TEST_F(ImportJsonl, RejectsATenMegabyteTextCleanly) {
  std::string huge = MessageLine(2);
  huge.replace(huge.find("message 2 about"), 7, std::string(10 << 20, 'x'));
  const RunResult r = Import(Lines(1, 1) + huge + "\n" + Lines(3, 3));
  EXPECT_EQ(r.exit_code, kExitDataError);
  EXPECT_NE(r.err.find(":2: field \"text\": is "), std::string::npos) << r.err.substr(0, 300);
  EXPECT_NE(r.err.find("over the limit of 1048576"), std::string::npos);
  EXPECT_LT(r.err.size(), 1000U) << "the error must not echo the input";
  EXPECT_EQ(r.out, Summary(1, 0, 1));
}

TEST_F(ImportJsonl, RejectsAnOverlongLineWithoutReadingItWhole) {
  const RunResult r = Import(Lines(1, 1) + std::string(20 << 20, ' ') + "x\n");
  EXPECT_EQ(r.exit_code, kExitDataError);
  EXPECT_NE(r.err.find(":2: line is"), std::string::npos) << r.err.substr(0, 300);
  EXPECT_EQ(r.out, Summary(1, 0, 1));
}

TEST_F(ImportJsonl, ReadsStandardInput) {
  WriteFile(file_, Lines(1, 4));
  const RunResult r = RunCustos({"import", "jsonl", "-", "--data", data_, "--json"}, file_);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, Summary(4, 0, 0));
}

TEST_F(ImportJsonl, SkipsBlankLinesButCountsThemInLineNumbers) {
  const RunResult r = Import(MessageLine(1) + "\n\n  \r\n" + MessageLine(2) + "\r\nnot json\n");
  EXPECT_EQ(r.exit_code, kExitDataError);
  EXPECT_NE(r.err.find(":5: malformed JSON"), std::string::npos) << r.err;
  EXPECT_EQ(r.out, Summary(2, 0, 1));
}

TEST_F(ImportJsonl, WritesACommitLog) {
  WriteFile(file_, Lines(1, 25) + "\n");
  const std::string log = dir_.File("commit.log");
  const RunResult r =
      RunCustos({"import", "jsonl", file_, "--data", data_, "--batch", "10", "--commit-log", log});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  const std::string text = ReadFile(log);
  EXPECT_NE(text.find("committed 10\n"), std::string::npos) << text;
  EXPECT_EQ(text.substr(text.rfind("committed")), "committed 26\n");
  EXPECT_NE(r.out.find("imported 25, duplicates 0, rejected 0"), std::string::npos) << r.out;
}

TEST_F(ImportJsonl, FailsClearlyForAMissingFile) {
  const RunResult r = RunCustos({"import", "jsonl", dir_.File("nope.jsonl"), "--data", data_});
  EXPECT_EQ(r.exit_code, kExitNoInput);
  EXPECT_NE(r.err.find("cannot open"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace custos::testing
