// SPDX-License-Identifier: Apache-2.0
// Power loss under the real archive code: app::Custos runs on a data directory through
// FaultVfs (fault_vfs.h), ingesting batches, writing checkpoints and closing/reopening, until
// the file layer "loses power" at a random write, truncate, sync or delete. The files are then
// put in a state a power cut could leave (unsynced writes dropped, files truncated to their
// synced size, a random subset of unsynced writes kept, or one unsynced byte flipped), and the
// directory is reopened with SQLite's normal VFS: it must open, LogService::Verify (what
// `custos verify` runs) must pass, every message whose Ingest() had returned "accepted" or
// "duplicate" before the cut must be stored, and no message may be stored twice. A flipped
// byte may instead be detected (kDataLoss); the copy taken before it then gets the
// drop-unsynced state and must pass. Then the next round restarts on the same directory.
//
// Seeded: CUSTOS_CRASH_SEED (default fixed) chooses every plan; CUSTOS_CRASH_ROUNDS raises the
// number of rounds. Thread timing (group commit, the background checkpointer) can still move a
// cut by a few operations, so a failing seed reproduces the plan, not always the exact byte.
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "app/custos.h"
#include "crash/fault_vfs.h"
#include "testing/temp_dir.h"

namespace custos::crash {
namespace {

constexpr int kDefaultRounds = 48;
constexpr std::uint64_t kDefaultSeed = 20261122;
constexpr int kMaxSteps = 40;             // actions per round before the power is cut anyway
constexpr std::uint64_t kMaxCutOp = 500;  // the cut lands at operation 1..kMaxCutOp of a round
constexpr int kMaxBatch = 25;

std::uint64_t EnvNumber(const char* name, std::uint64_t fallback) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' ? std::strtoull(value, nullptr, 10) : fallback;
}

app::OpenOptions Options(const std::string& dir) {
  app::OpenOptions options;
  options.data_dir = dir;
  options.default_policy_pack = app::kNoPolicyPack;  // the archive alone: no pack to compile
  return options;
}

model::Message Msg(int n) {
  model::Message m;
  m.source = "power";
  m.source_id = "p" + std::to_string(n);
  m.channel = "sms";
  m.conversation = "desk-" + std::to_string(n % 7);
  m.from = "+4477009" + std::to_string(10000 + n % 500);
  m.to = {"+447700900789"};
  m.sent_at = 1'790'000'000'000'000 + n;
  m.direction = model::Direction::kInbound;
  m.text = "power loss message " + std::to_string(n) + " about the quarterly numbers";
  return m;
}

// What the test knows: which messages were acknowledged and which are still owed.
struct Ledger {
  std::set<std::string> acked;
  std::vector<int> pending;  // submitted, not acknowledged: resubmitted in the next round
  int next = 0;
};

// One round of work through the fault VFS until the power is cut.
void RunUntilPowerLoss(const std::string& dir, FaultVfs& vfs, std::mt19937_64& rng,
                       Ledger& ledger) {
  std::unique_ptr<app::Custos> custos;
  auto open = [&] {
    auto c = app::Custos::Open(Options(dir));
    if (c.has_value()) {
      custos = std::move(c).value();
    } else {
      ASSERT_TRUE(vfs.crashed()) << "open failed with power on: " << c.error().ToString();
    }
  };
  open();
  std::uniform_int_distribution<int> action(0, 9);
  std::uniform_int_distribution<int> size(1, kMaxBatch);
  for (int step = 0; step < kMaxSteps && custos != nullptr && !vfs.crashed(); ++step) {
    const int a = action(rng);
    if (a == 0) {  // a clean restart: closing checkpoints the WAL into the database file
      custos.reset();
      open();
    } else if (a == 1) {
      (void)custos->log().CreateCheckpoint();
    } else {
      std::vector<int> numbers;
      numbers.swap(ledger.pending);
      for (int i = size(rng); i > 0; --i) {
        numbers.push_back(ledger.next++);
      }
      std::vector<model::Message> batch;
      for (int n : numbers) {
        batch.push_back(Msg(n));
      }
      const std::vector<app::IngestOutcome> outcomes = custos->ingest().Ingest(std::move(batch));
      ASSERT_EQ(outcomes.size(), numbers.size());
      for (std::size_t i = 0; i < numbers.size(); ++i) {
        const app::IngestStatus s = outcomes[i].status;
        ASSERT_NE(s, app::IngestStatus::kRejected) << outcomes[i].error;
        if (s == app::IngestStatus::kAccepted || s == app::IngestStatus::kDuplicate) {
          ledger.acked.insert(Msg(numbers[i]).source_id);
        } else {
          ledger.pending.push_back(numbers[i]);
        }
      }
    }
  }
  vfs.PowerCut();
  custos.reset();  // every handle closes; nothing more reaches the files
}

// Reopens `dir` with the normal VFS and checks it. Returns "" when all holds, else what was
// detected (only acceptable after a flipped byte). Adds hard failures for everything else.
std::string CheckAfterRestart(const std::string& dir, const Ledger& ledger, bool flipped) {
  auto c = app::Custos::Open(Options(dir));
  if (!c.has_value()) {
    EXPECT_TRUE(flipped) << "the archive does not open: " << c.error().ToString();
    EXPECT_EQ(c.error().code(), core::StatusCode::kDataLoss) << c.error().ToString();
    return "open: " + c.error().ToString();
  }
  auto report = (*c)->log().Verify({});
  EXPECT_TRUE(report.has_value()) << report.error().ToString();
  if (report.has_value() && !report->ok()) {
    EXPECT_TRUE(flipped) << "verify fails: " << report->status().ToString();
    return "verify: " + report->status().ToString();
  }
  std::map<std::string, int> stored;
  const core::Status exported = (*c)->store().ExportEach({}, [&](const model::Message& m) {
    ++stored[m.source_id];
    return true;
  });
  EXPECT_TRUE(exported.ok()) << exported.ToString();
  for (const auto& [id, count] : stored) {
    EXPECT_EQ(count, 1) << id << " is stored " << count << " times";
  }
  int missing = 0;
  for (const std::string& id : ledger.acked) {
    if (stored.count(id) == 0 && ++missing <= 5) {
      ADD_FAILURE() << id << " was acknowledged before the power loss but is missing";
    }
  }
  EXPECT_EQ(missing, 0) << "acknowledged messages missing (of " << ledger.acked.size() << ")";
  return "";
}

void CopyDir(const std::string& from, const std::string& to) {
  std::filesystem::remove_all(to);
  std::filesystem::copy(from, to, std::filesystem::copy_options::recursive);
}

TEST(PowerLoss, AcknowledgedMessagesSurviveEveryKindOfPowerLoss) {
  const std::uint64_t seed = EnvNumber("CUSTOS_CRASH_SEED", kDefaultSeed);
  const int rounds = static_cast<int>(EnvNumber("CUSTOS_CRASH_ROUNDS", kDefaultRounds));
  std::cout << "power loss: seed " << seed << " (CUSTOS_CRASH_SEED), " << rounds
            << " rounds (CUSTOS_CRASH_ROUNDS)\n";
  SCOPED_TRACE("CUSTOS_CRASH_SEED=" + std::to_string(seed));
  std::mt19937_64 rng(seed);
  testing::TempDir tmp;
  const std::string dir = tmp.File("data");
  const std::string backup = tmp.File("before-flip");
  ASSERT_TRUE(app::Custos::Open(Options(dir)).has_value());  // keys and schema, power on

  FaultVfs vfs;
  Ledger ledger;
  std::map<std::string, int> modes;
  int detected = 0;
  std::uint64_t cut_ops = 0;
  const PowerLoss kModes[] = {PowerLoss::kDropUnsynced, PowerLoss::kTruncate,
                              PowerLoss::kRandomSubset, PowerLoss::kFlipByte};
  for (int round = 0; round < rounds && !::testing::Test::HasFailure(); ++round) {
    const std::uint64_t cut = std::uniform_int_distribution<std::uint64_t>(1, kMaxCutOp)(rng);
    const PowerLoss mode = kModes[std::uniform_int_distribution<int>(0, 3)(rng)];
    vfs.Install();
    vfs.Arm(cut);
    RunUntilPowerLoss(dir, vfs, rng, ledger);
    vfs.Uninstall();
    cut_ops += vfs.operations();
    const bool flip = mode == PowerLoss::kFlipByte;
    if (flip) {
      CopyDir(dir, backup);
    }
    const std::string what = vfs.Apply(mode, rng);
    SCOPED_TRACE("round " + std::to_string(round) + ", cut at operation " + std::to_string(cut) +
                 ": " + what);
    ++modes[PowerLossName(mode)];
    const std::string problem = CheckAfterRestart(dir, ledger, flip);
    if (!problem.empty()) {
      ++detected;
      std::cout << "round " << round << ": flipped byte detected (" << problem << ")\n";
      std::filesystem::remove_all(dir);
      CopyDir(backup, dir);
      vfs.Apply(PowerLoss::kDropUnsynced, rng);
      EXPECT_EQ(CheckAfterRestart(dir, ledger, false), "");
    }
  }
  std::cout << "power loss: " << rounds << " rounds, " << ledger.acked.size()
            << " acknowledged messages, " << cut_ops << " file operations before the cuts,";
  for (const auto& [mode, n] : modes) {
    std::cout << " " << mode << " x" << n;
  }
  std::cout << ", " << detected << " flipped bytes detected\n";
  EXPECT_GT(ledger.acked.size(), 0U);
}

}  // namespace
}  // namespace custos::crash
