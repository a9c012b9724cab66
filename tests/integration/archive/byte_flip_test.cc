// SPDX-License-Identifier: Apache-2.0
// Flipping any single byte of any file in the data directory is either harmless or detected.
//
// A small archive is seeded once (messages with attachments, signed checkpoints, a retention
// configuration, a disposed-of record, a rotated key), and copied while it is open, so the
// copy also has a write-ahead log. Then for sampled (file, offset) pairs over EVERY file of
// the copy, one byte is flipped in a fresh copy and the real binary runs
// `custos verify --json`. The outcome must be either exit 0 reporting exactly the verified
// content of the untouched archive (the byte was harmless, e.g. in a free page), or a non-zero
// exit with a report. Never a crash (signal), a hang, or exit 0 with other content.
//
// CUSTOS_FLIP_SAMPLES=<n> sets the number of samples (default kDefaultSamples; the `slow`
// variant byte_flip_slow_test runs 2000); CUSTOS_FLIP_SEED=<n> replays a seed.
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sys/wait.h>

#include "app/custos.h"
#include "cli/custos_runner.h"
#include "testing/temp_dir.h"

#ifndef CUSTOS_FLIP_DEFAULT_SAMPLES
#define CUSTOS_FLIP_DEFAULT_SAMPLES 48
#endif

namespace custos::app {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

constexpr int kMessages = 300;
// Symlinks stay symlinks (DIR/policy/active links to the pack in force under policy/packs).
constexpr auto kCopy = fs::copy_options::recursive | fs::copy_options::copy_symlinks;
constexpr auto kVerifyTimeout = std::chrono::seconds(60);
constexpr core::Micros kDay = 86'400 * core::kMicrosPerSecond;

int EnvInt(const char* name, int fallback) {
  const char* v = std::getenv(name);  // NOLINT(concurrency-mt-unsafe): tests only
  return v != nullptr && *v != '\0' ? std::atoi(v) : fallback;
}

// Seeds `dir` and leaves a copy taken while it was open (with its WAL) in `copy`.
void Seed(const std::string& dir, const std::string& copy) {
  fs::create_directories(dir);
  testing::WriteFile(dir + "/custos.yaml",
                     "retention:\n  default_period: 30d\n  schedule: \"off\"\n");
  OpenOptions options;
  options.data_dir = dir;
  auto c = Custos::Open(options);
  ASSERT_TRUE(c.has_value()) << c.error().ToString();
  Custos& custos = **c;
  const core::Micros now = core::SystemClock().Now();
  std::vector<model::Message> batch;
  for (int n = 0; n < kMessages; ++n) {
    model::Message m;
    m.source = "flip";
    m.source_id = "f" + std::to_string(n);
    m.channel = n % 3 == 0 ? "whatsapp" : "sms";
    m.conversation = "conv-" + std::to_string(n % 11);
    m.from = "+4477009001" + std::to_string(n % 7);
    m.to = {"+447700900999"};
    m.sent_at = now - (n == 0 ? 90 * kDay : kDay) + n;
    m.text = "flip test message " + std::to_string(n) + " about the bond desk";
    if (n % 15 == 0) {
      auto a = custos.attachments().Put("attachment body " + std::to_string(n) +
                                            std::string(static_cast<std::size_t>(500 + n), 'q'),
                                        "text/plain", "a" + std::to_string(n) + ".txt");
      ASSERT_TRUE(a.has_value()) << a.error().ToString();
      m.attachments.push_back(*a);
    }
    batch.push_back(std::move(m));
    if (batch.size() == 100) {
      custos.ingest().Ingest(std::move(batch));
      batch.clear();
      ASSERT_TRUE(custos.log().CreateCheckpoint().has_value());
    }
  }
  ASSERT_TRUE(custos.retention().Run().has_value());  // message 0 is disposed of
  ASSERT_TRUE(custos.log().CreateCheckpoint().has_value());
  fs::copy(dir, copy, kCopy);
  ASSERT_TRUE(Custos::RotateKeys(copy).has_value());
}

struct Outcome {
  int exit_code = 0;  // -1: killed by a signal; -2: hung and killed by the test
  std::string out;
  std::string err;
};

Outcome Verify(const std::string& dir, const std::string& scratch) {
  const pid_t pid =
      testing::StartCustos({"verify", "--json", "--data", dir}, scratch + "/out", scratch + "/err");
  const auto deadline = std::chrono::steady_clock::now() + kVerifyTimeout;
  int status = 0;
  Outcome o;
  while (::waitpid(pid, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      o.exit_code = -2;
      return o;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  o.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  o.out = testing::ReadFile(scratch + "/out");
  o.err = testing::ReadFile(scratch + "/err");
  return o;
}

// What a passing report says about the archive's content (elapsed time aside).
std::string Content(const std::string& out) {
  Json j = Json::parse(out, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) {
    return "unparseable: " + out;
  }
  j.erase("elapsed_seconds");
  return j.dump();
}

class ByteFlip : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    base_ = new testing::TempDir();
    Seed(base_->File("live"), base_->File("seeded"));
  }

  static void TearDownTestSuite() {
    delete base_;
    base_ = nullptr;
  }

  static testing::TempDir* base_;
};

testing::TempDir* ByteFlip::base_ = nullptr;

TEST_F(ByteFlip, EveryFlipIsHarmlessOrDetected) {
  ASSERT_FALSE(HasFatalFailure());
  const std::string seeded = base_->File("seeded");
  std::vector<fs::path> files;
  for (const auto& e : fs::recursive_directory_iterator(seeded)) {
    if (e.is_regular_file() && e.file_size() > 0 && e.path().extension() != ".lock") {
      files.push_back(fs::relative(e.path(), seeded));
    }
  }
  std::sort(files.begin(), files.end());
  std::string listing;
  for (const fs::path& f : files) {
    listing += f.string() + " ";
  }
  ASSERT_TRUE(std::find(files.begin(), files.end(), fs::path("custos.db-wal")) != files.end())
      << "the seeded copy has no write-ahead log: " << listing;
  const Outcome clean = Verify(seeded, base_->Path());
  ASSERT_EQ(clean.exit_code, 0) << clean.out << clean.err;
  const std::string expected = Content(clean.out);
  const Json report = Json::parse(clean.out);
  ASSERT_EQ(report.at("attachments"), kMessages / 15 - 1) << clean.out;  // one was shredded
  ASSERT_EQ(report.at("disposed"), 1) << clean.out;

  const int samples = EnvInt("CUSTOS_FLIP_SAMPLES", CUSTOS_FLIP_DEFAULT_SAMPLES);
  const auto seed = static_cast<unsigned>(EnvInt("CUSTOS_FLIP_SEED", 20261001));
  std::mt19937_64 rng(seed);
  std::map<std::string, std::pair<int, int>> tally;  // file -> (harmless, detected)
  for (int i = 0; i < samples; ++i) {
    const fs::path& file = files[static_cast<std::size_t>(i) % files.size()];
    const std::string work = base_->File("flip");
    fs::remove_all(work);
    fs::copy(seeded, work, kCopy);
    const std::string path = (fs::path(work) / file).string();
    std::string bytes = testing::ReadFile(path);
    const std::size_t offset = rng() % bytes.size();
    const auto mask = static_cast<char>(1 + rng() % 255);
    bytes[offset] = static_cast<char>(bytes[offset] ^ mask);
    testing::WriteFile(path, bytes);
    const Outcome o = Verify(work, base_->Path());
    SCOPED_TRACE("seed " + std::to_string(seed) + " sample " + std::to_string(i) + ": " +
                 file.string() + " byte " + std::to_string(offset) + " ^ " +
                 std::to_string(static_cast<unsigned char>(mask)));
    ASSERT_NE(o.exit_code, -1) << "custos verify was killed by a signal: " << o.err;
    ASSERT_NE(o.exit_code, -2) << "custos verify hung";
    if (o.exit_code == 0) {
      EXPECT_EQ(Content(o.out), expected) << "exit 0 with altered content";
      ++tally[file.string()].first;
    } else {
      EXPECT_FALSE(o.out.empty() && o.err.empty()) << "exit " << o.exit_code << " without a report";
      ++tally[file.string()].second;
    }
  }
  for (const auto& [file, counts] : tally) {
    std::printf("  %-24s harmless %3d  detected %3d\n", file.c_str(), counts.first, counts.second);
  }
}

}  // namespace
}  // namespace custos::app
