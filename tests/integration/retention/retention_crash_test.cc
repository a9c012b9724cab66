// SPDX-License-Identifier: Apache-2.0
// Crash safety of retention runs: a child process runs retention (one message per
// transaction) and is killed with SIGKILL at a random moment. After each kill the archive must
// be consistent: every disposed record has exactly one disposition record and one
// dispositions row, the Merkle log covers every record with unchanged leaves, disposed
// messages are gone from search while the others are found, and a new run finishes the job.
#include <csignal>
#include <fstream>
#include <random>
#include <thread>

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include "app/custos.h"
#include "archive/merkle_log.h"
#include "storage/sqlite/sqlite_database.h"
#include "testing/fake_clock.h"
#include "testing/temp_dir.h"

namespace custos::app {
namespace {

constexpr core::Micros kDay = 86'400 * core::kMicrosPerSecond;
constexpr int kMessages = 120;

constexpr std::string_view kConfig = R"y(retention:
  default_period: 30d
  schedule: "off"
  batch_size: 1
)y";

std::unique_ptr<Custos> OpenAt(const std::string& dir, const core::Clock* clock) {
  auto c = Custos::Open({dir, false, clock});
  EXPECT_TRUE(c.has_value()) << c.error().ToString();
  return c.has_value() ? std::move(c).value() : nullptr;
}

struct Snapshot {
  std::int64_t records = 0;
  std::int64_t disposed = 0;
  std::int64_t disposition_records = 0;
  std::int64_t disposition_rows = 0;
  std::uint64_t log_size = 0;
  std::int64_t leaf_mismatches = 0;
};

Snapshot Inspect(const std::string& dir) {
  storage::SqliteOptions options;
  options.read_only = true;
  auto db = *storage::OpenSqlite(dir + "/custos.db", options);
  auto tx = *db->Begin(storage::TxMode::kRead);
  auto count = [&](std::string_view sql) { return tx->Query(sql)->at(0).Int(0); };
  Snapshot s;
  s.records = count("SELECT COUNT(*) FROM records");
  s.disposed = count("SELECT COUNT(*) FROM records WHERE payload IS NULL");
  s.disposition_records = count("SELECT COUNT(*) FROM records WHERE kind = 'disposition'");
  s.disposition_rows = count(
      "SELECT COUNT(*) FROM dispositions d JOIN records r ON r.id = d.record_id"
      " WHERE r.payload IS NULL AND r.wrapped_key IS NULL AND r.disposed_at IS NOT NULL");
  s.log_size = *archive::LogSize(*tx);
  const std::vector<storage::Row> rows = *tx->Query("SELECT id, leaf_hash FROM records");
  for (const storage::Row& r : rows) {
    auto leaf = archive::LogLeaf(*tx, static_cast<std::uint64_t>(r.Int(0) - 1));
    s.leaf_mismatches += (!leaf.has_value() || *leaf != r.Text(1)) ? 1 : 0;
  }
  return s;
}

TEST(RetentionCrash, AKilledRunLeavesAConsistentArchive) {
  testing::TempDir dir;
  std::ofstream(dir.File("custos.yaml")) << kConfig;
  testing::FakeClock clock;
  {
    auto custos = OpenAt(dir.Path(), &clock);
    ASSERT_NE(custos, nullptr);
    std::vector<model::Message> batch;
    for (int i = 0; i < kMessages; ++i) {
      model::Message m;
      m.source = "crash";
      m.source_id = std::to_string(i);
      m.channel = "sms";
      m.conversation = "c" + std::to_string(i % 7);
      m.from = "+15550001";
      m.to = {"+15550002"};
      m.sent_at = clock.Now() - (i % 2 == 0 ? 60 : 5) * kDay;  // even ones have expired
      m.text = "word" + std::to_string(i);
      batch.push_back(std::move(m));
    }
    for (const IngestOutcome& o : custos->ingest().Ingest(batch)) {
      ASSERT_EQ(o.status, IngestStatus::kAccepted);
    }
  }  // no threads are left when forking below
  std::mt19937 rng(7);
  std::int64_t last_disposed = 0;
  for (int round = 0; round < 8 && last_disposed < kMessages / 2; ++round) {
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      auto custos = Custos::Open({dir.Path(), false, &clock});
      const bool ok = custos.has_value() && (*custos)->retention().Run().has_value();
      ::_exit(ok ? 0 : 1);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5 + rng() % 100));
    ::kill(child, SIGKILL);
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    const Snapshot s = Inspect(dir.Path());
    SCOPED_TRACE("round " + std::to_string(round) + ": " + std::to_string(s.disposed) +
                 " disposed");
    EXPECT_GE(s.disposed, last_disposed);
    EXPECT_EQ(s.disposed, s.disposition_records);
    EXPECT_EQ(s.disposed, s.disposition_rows);
    EXPECT_EQ(s.log_size, static_cast<std::uint64_t>(s.records));
    EXPECT_EQ(s.leaf_mismatches, 0);
    last_disposed = s.disposed;
  }
  auto custos = OpenAt(dir.Path(), &clock);
  ASSERT_NE(custos, nullptr);
  ASSERT_TRUE(custos->retention().Run().has_value());
  for (int i = 0; i < kMessages; ++i) {
    auto hits = custos->Search("word" + std::to_string(i), std::nullopt, 5);
    ASSERT_TRUE(hits.has_value());
    EXPECT_EQ(hits->results.size(), i % 2 == 0 ? 0u : 1u) << "message " << i;
  }
  custos.reset();
  const Snapshot s = Inspect(dir.Path());
  EXPECT_EQ(s.disposed, kMessages / 2);
  EXPECT_EQ(s.disposition_records, kMessages / 2);
  EXPECT_EQ(s.leaf_mismatches, 0);
}

}  // namespace
}  // namespace custos::app
