// SPDX-License-Identifier: Apache-2.0
// End-to-end tests of `custos export jsonl`: the round trip through the canonical format.
#include <filesystem>
#include <string>

#include <gtest/gtest.h>

#include "custos_runner.h"
#include "testing/temp_dir.h"

namespace custos::testing {
namespace {

constexpr int kExitNoInput = 66;

int CountLines(const std::string& text) {
  int n = 0;
  for (char c : text) {
    n += c == '\n' ? 1 : 0;
  }
  return n;
}

class ExportJsonl : public ::testing::Test {
 protected:
  void SetUp() override {
    const RunResult seeded = RunCustos({"demo", "seed", "--data", data_, "--json"});
    ASSERT_EQ(seeded.exit_code, 0) << seeded.err;
    const RunResult exported = RunCustos({"export", "jsonl", "--data", data_, export_});
    ASSERT_EQ(exported.exit_code, 0) << exported.err;
    records_ = CountLines(ReadFile(export_));
    ASSERT_GT(records_, 1000);
  }

  TempDir dir_;
  const std::string data_ = dir_.File("data");
  const std::string export_ = dir_.File("export.jsonl");
  int records_ = 0;
};

TEST_F(ExportJsonl, ImportIntoAFreshDirectoryReproducesTheExportByteForByte) {
  const std::string fresh = dir_.File("fresh");
  const RunResult imported = RunCustos({"import", "jsonl", export_, "--data", fresh, "--json"});
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  EXPECT_EQ(imported.out,
            "{\"imported\":" + std::to_string(records_) + ",\"duplicates\":0,\"rejected\":0}\n");
  const std::string again = dir_.File("again.jsonl");
  ASSERT_EQ(RunCustos({"export", "jsonl", "--data", fresh, again}).exit_code, 0);
  EXPECT_TRUE(ReadFile(again) == ReadFile(export_)) << "the second export differs";
}

TEST_F(ExportJsonl, ImportIntoTheSameDirectoryYieldsOnlyDuplicates) {
  const RunResult imported = RunCustos({"import", "jsonl", export_, "--data", data_, "--json"});
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  EXPECT_EQ(imported.out,
            "{\"imported\":0,\"duplicates\":" + std::to_string(records_) + ",\"rejected\":0}\n");
}

TEST_F(ExportJsonl, WritesStandardOutputAndLeavesNoTemporaryFile) {
  const RunResult r = RunCustos({"export", "jsonl", "--data", data_});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, ReadFile(export_));
  EXPECT_FALSE(std::filesystem::exists(export_ + ".tmp"));
}

TEST_F(ExportJsonl, FiltersByQuery) {
  const RunResult sms =
      RunCustos({"export", "jsonl", "--data", data_, "--query", "channel:sms after:2026-10-01"});
  ASSERT_EQ(sms.exit_code, 0) << sms.err;
  EXPECT_GT(CountLines(sms.out), 0);
  EXPECT_LT(CountLines(sms.out), records_);
  EXPECT_EQ(sms.out.find("\"channel\":\"whatsapp\""), std::string::npos);
  EXPECT_EQ(sms.out.find("\"sent_at\":\"2026-09"), std::string::npos);

  const RunResult text = RunCustos({"export", "jsonl", "--data", data_, "--query", "guaranteed"});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_GT(CountLines(text.out), 0);
  EXPECT_NE(text.out.find("guaranteed"), std::string::npos);
}

TEST(ExportJsonlWithoutData, FailsForAMissingDataDirectory) {
  TempDir dir;
  const RunResult r = RunCustos({"export", "jsonl", "--data", dir.File("missing")});
  EXPECT_EQ(r.exit_code, kExitNoInput);
  EXPECT_NE(r.err.find("missing"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace custos::testing
