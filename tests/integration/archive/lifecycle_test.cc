// SPDX-License-Identifier: Apache-2.0
// Startup and shutdown as steps (app/startup.h, app/workers.h) on real data directories: every
// record is appended before the final checkpoint, even with a scheduled retention run in
// progress when shutdown starts; the admin token's times come from the injected clock.
#include <chrono>
#include <fstream>
#include <thread>

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "app/custos.h"
#include "app/tokens.h"
#include "testing/fake_clock.h"
#include "testing/temp_dir.h"

namespace custos::app {
namespace {

constexpr core::Micros kDay = 86'400 * core::kMicrosPerSecond;

// COUNT(*) of `sql` over DIR/custos.db, read through a connection of its own (WAL: a reader
// beside the running writer).
std::int64_t Count(const std::string& db_path, const std::string& sql) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  sqlite3_busy_timeout(db, 5000);
  sqlite3_stmt* stmt = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr), SQLITE_OK) << sql;
  std::int64_t n = -1;
  if (sqlite3_step(stmt) == SQLITE_ROW) {
    n = sqlite3_column_int64(stmt, 0);
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return n;
}

TEST(Lifecycle, ARetentionRunInProgressAtShutdownEndsBeforeTheFinalCheckpoint) {
  testing::TempDir dir;
  testing::FakeClock clock;
  // A scheduled run every second, one message per transaction: a long run of many batches.
  std::ofstream(dir.File("custos.yaml")) << "retention:\n"
                                            "  default_period: 1y\n"
                                            "  default_legal_basis: test\n"
                                            "  schedule: 1s\n"
                                            "  batch_size: 1\n";
  constexpr int kMessages = 1000;
  const std::string db_path = dir.File("custos.db");
  {
    auto opened = Custos::Open({dir.Path(), false, &clock, kNoPolicyPack});
    ASSERT_TRUE(opened.has_value()) << opened.error().ToString();
    std::unique_ptr<Custos> c = std::move(opened).value();
    std::vector<model::Message> batch;
    for (int n = 0; n < kMessages; ++n) {
      model::Message m;
      m.source = "test";
      m.source_id = "m" + std::to_string(n);
      m.channel = "sms";
      m.conversation = "conv";
      m.from = "+12025550101";
      m.to = {"+15559999"};
      m.sent_at = clock.Now() - 800 * kDay;  // expired under the 1y default
      m.direction = model::Direction::kOutbound;
      m.text = "old message " + std::to_string(n);
      batch.push_back(std::move(m));
    }
    for (const IngestOutcome& o : c->ingest().Ingest(std::move(batch))) {
      ASSERT_EQ(o.status, IngestStatus::kAccepted) << o.error;
    }
    // Wait for the scheduled run to be under way, then shut down in the middle of it.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (Count(db_path, "SELECT COUNT(*) FROM records WHERE kind = 'disposition'") < 3) {
      ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "no scheduled retention run";
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }  // ~Custos: workers stop in reverse (retention before the checkpointer), final checkpoint
  const std::int64_t dispositions =
      Count(db_path, "SELECT COUNT(*) FROM records WHERE kind = 'disposition'");
  EXPECT_LT(dispositions, kMessages) << "the run finished before shutdown: nothing was proven";
  const std::int64_t records = Count(db_path, "SELECT COUNT(*) FROM records");
  auto reopened = Custos::Open({dir.Path(), true, &clock, kNoPolicyPack});
  ASSERT_TRUE(reopened.has_value()) << reopened.error().ToString();
  auto latest = (*reopened)->log().Checkpoint();
  ASSERT_TRUE(latest.has_value()) << latest.error().ToString();
  // The final checkpoint covers every record: none was appended after it.
  EXPECT_EQ(latest->tree_size, static_cast<std::uint64_t>(records))
      << dispositions << " dispositions; " << records << " records";
}

TEST(Lifecycle, TheAdminTokenAndTokenExpiryUseTheInjectedClock) {
  testing::TempDir dir;
  testing::FakeClock clock;  // 2024-01-01
  auto opened = Custos::Open({dir.Path(), false, &clock, kNoPolicyPack});
  ASSERT_TRUE(opened.has_value()) << opened.error().ToString();
  std::unique_ptr<Custos> c = std::move(opened).value();
  auto admin = c->BootstrapAdminToken();
  ASSERT_TRUE(admin.has_value() && admin->has_value());
  auto tokens = ListTokens(dir.Path());
  ASSERT_TRUE(tokens.has_value()) << tokens.error().ToString();
  ASSERT_EQ(tokens->size(), 1u);
  EXPECT_EQ((*tokens)[0].created_at, clock.Now());
  EXPECT_TRUE(c->VerifyToken((*admin)->token).has_value());

  // A token that expires in an hour of real time: valid in the fake 2024, expired once the
  // fake clock passes its expiry.
  const core::Micros expires = core::SystemClock().Now() + 3600 * core::kMicrosPerSecond;
  TokenRequest request;
  request.roles = {"admin"};
  request.name = "soon";
  request.expires_at = expires;
  request.actor = "test";
  auto soon = CreateToken(dir.Path(), request);
  ASSERT_TRUE(soon.has_value()) << soon.error().ToString();
  EXPECT_TRUE(c->VerifyToken(soon->token).has_value());
  clock.Set(expires + core::kMicrosPerSecond);
  const core::Status expired = c->VerifyToken(soon->token).status();
  EXPECT_EQ(expired.code(), core::StatusCode::kUnauthenticated);
  EXPECT_NE(expired.message().find("expired"), std::string::npos) << expired.message();
  EXPECT_TRUE(c->VerifyToken((*admin)->token).has_value());
}

}  // namespace
}  // namespace custos::app
