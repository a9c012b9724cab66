// SPDX-License-Identifier: Apache-2.0
// Durable cursors over the log (app/cursor/cursor_runner.h) on a real data directory: a
// consumer defined here sees every committed record in order, woken by the commit; it resumes
// from its stored position, is retried without skipping after a failure, gets bounded
// batches, and can start at the log's end.
#include <chrono>
#include <deque>
#include <mutex>
#include <thread>

#include <gtest/gtest.h>

#include "app/cursor/cursor_runner.h"
#include "app/custos.h"
#include "storage/sqlite/sqlite_database.h"
#include "testing/temp_dir.h"

namespace custos::app {
namespace {

using std::chrono::milliseconds;

model::Message Msg(std::string source_id, std::string text) {
  model::Message m;
  m.source = "test";
  m.source_id = std::move(source_id);
  m.channel = "sms";
  m.conversation = "c-1";
  m.from = "+447700900123";
  m.to = {"+447700900456"};
  m.sent_at = 1'790'000'000'000'000;
  m.direction = model::Direction::kOutbound;
  m.text = std::move(text);
  return m;
}

CursorOptions Options(int batch_size, milliseconds poll = milliseconds(1000),
                      milliseconds backoff_min = milliseconds(100), bool start_at_end = false) {
  CursorOptions o;
  o.batch_size = batch_size;
  o.poll = poll;
  o.backoff_min = backoff_min;
  o.start_at_end = start_at_end;
  return o;
}

// Records every batch it is handed; fails the first `fail_first` calls.
class RecordingConsumer final : public LogConsumer {
 public:
  explicit RecordingConsumer(int fail_first = 0) : fail_first_(fail_first) {}

  std::string_view Name() const override { return "test-recorder"; }

  core::Status Consume(const std::vector<CommittedRecord>& batch) override {
    std::lock_guard lock(mu_);
    calls_.push_back(batch);
    if (fail_first_ > 0) {
      --fail_first_;
      return core::Unavailable("the test consumer fails this time");
    }
    for (const CommittedRecord& r : batch) {
      seen_.push_back(r);
    }
    return core::Status::Ok();
  }

  std::vector<CommittedRecord> seen() const {
    std::lock_guard lock(mu_);
    return seen_;
  }

  std::vector<std::vector<CommittedRecord>> calls() const {
    std::lock_guard lock(mu_);
    return calls_;
  }

 private:
  mutable std::mutex mu_;
  int fail_first_;
  std::vector<CommittedRecord> seen_;
  std::vector<std::vector<CommittedRecord>> calls_;
};

class CursorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    OpenOptions options;
    options.data_dir = dir_.Path();  // the default pack: verdict records
    auto c = Custos::Open(options);
    ASSERT_TRUE(c.has_value()) << c.error().ToString();
    custos_ = std::move(c).value();
    auto db = storage::OpenSqlite(dir_.File("custos.db"));
    ASSERT_TRUE(db.has_value()) << db.error().ToString();
    db_ = std::move(db).value();
  }

  // Every record id of the log, in order.
  std::vector<std::int64_t> LogIds() {
    auto tx = db_->Begin(storage::TxMode::kRead);
    EXPECT_TRUE(tx.has_value());
    auto rows = (*tx)->Query("SELECT id FROM records ORDER BY id");
    EXPECT_TRUE(rows.has_value());
    std::vector<std::int64_t> ids;
    for (const storage::Row& r : *rows) {
      ids.push_back(r.Int(0));
    }
    return ids;
  }

  static std::vector<std::int64_t> Positions(const std::vector<CommittedRecord>& records) {
    std::vector<std::int64_t> out;
    for (const CommittedRecord& r : records) {
      out.push_back(r.position);
    }
    return out;
  }

  // Waits (up to 10 s) until the runner's stored position is the log's head.
  static bool CaughtUp(const CursorRunner& runner, std::int64_t head) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < deadline) {
      if (core::Result<std::int64_t> p = runner.Position(); p.has_value() && *p == head) {
        return true;
      }
      std::this_thread::sleep_for(milliseconds(2));
    }
    return false;
  }

  testing::TempDir dir_;
  core::SystemClock clock_;
  std::unique_ptr<Custos> custos_;
  std::unique_ptr<storage::Database> db_;
};

TEST_F(CursorTest, AConsumerSeesEveryCommittedRecordInOrderWokenByTheCommit) {
  RecordingConsumer consumer;
  // An hour's poll: only the commit notification can wake it in time.
  CursorRunner runner(db_.get(), &clock_, &consumer, Options(256, std::chrono::hours(1)));
  const int token = custos_->ingest().SubscribeCommits([&runner] { runner.Notify(); });
  ASSERT_TRUE(runner.Start().ok());
  const auto out = custos_->ingest().Ingest(
      {Msg("1", "hello"), Msg("2", "card 4111 1111 1111 1111"), Msg("1", "hello")},
      Enforcement::kRecordOnly);
  ASSERT_EQ(out[2].status, IngestStatus::kDuplicate);
  const std::vector<std::int64_t> log = LogIds();
  ASSERT_TRUE(CaughtUp(runner, log.back()));
  custos_->ingest().Unsubscribe(token);
  runner.Stop();
  // The whole log from its first record (the pack applied at first start included), in order.
  const std::vector<CommittedRecord> seen = consumer.seen();
  EXPECT_EQ(Positions(seen), log);
  std::vector<std::int64_t> messages;
  std::vector<CommittedRecord> verdicts;
  for (const CommittedRecord& r : seen) {
    if (r.kind == "message") {
      messages.push_back(r.message_id);
    } else if (r.kind == "verdict") {
      verdicts.push_back(r);
    }
  }
  EXPECT_EQ(messages, (std::vector<std::int64_t>{out[0].id, out[1].id}));
  ASSERT_EQ(verdicts.size(), 1u);
  EXPECT_EQ(verdicts[0].message_id, out[1].id);
  EXPECT_FALSE(verdicts[0].action.empty());
  EXPECT_FALSE(verdicts[0].blocked);  // recorded, not enforced
}

TEST_F(CursorTest, ANewRunnerResumesFromTheStoredPositionWithoutSkipping) {
  custos_->ingest().Ingest({Msg("1", "a"), Msg("2", "b"), Msg("3", "c")});
  RecordingConsumer first;
  {
    CursorRunner runner(db_.get(), &clock_, &first, Options(2));
    ASSERT_EQ(*runner.RunOnce(), 2u);  // not started: one round on this thread
    EXPECT_EQ(*runner.Position(), 2);
  }
  custos_->ingest().Ingest({Msg("4", "d")});
  RecordingConsumer second;  // same name: same cursor
  CursorRunner runner(db_.get(), &clock_, &second, Options(2));
  while (*runner.RunOnce() > 0) {
  }
  const std::vector<std::int64_t> log = LogIds();
  EXPECT_EQ(Positions(first.seen()), (std::vector<std::int64_t>{1, 2}));
  std::vector<std::int64_t> rest(log.begin() + 2, log.end());
  EXPECT_EQ(Positions(second.seen()), rest);
  EXPECT_EQ(*runner.Position(), log.back());
}

TEST_F(CursorTest, AFailedConsumeIsRetriedWithTheSameRecordsAfterABackOff) {
  custos_->ingest().Ingest({Msg("1", "a"), Msg("2", "b")});
  RecordingConsumer consumer(/*fail_first=*/2);
  CursorRunner runner(db_.get(), &clock_, &consumer,
                      Options(100, milliseconds(1000), milliseconds(5)));
  ASSERT_TRUE(runner.Start().ok());
  const std::vector<std::int64_t> log = LogIds();
  ASSERT_TRUE(CaughtUp(runner, log.back()));
  runner.Stop();
  const auto calls = consumer.calls();
  ASSERT_EQ(calls.size(), 3u);
  EXPECT_EQ(Positions(calls[0]), log);  // each retry starts again right after the cursor
  EXPECT_EQ(Positions(calls[1]), log);
  EXPECT_EQ(Positions(calls[2]), log);
  EXPECT_EQ(Positions(consumer.seen()), log);
  EXPECT_EQ(runner.stats().failures, 2);
  EXPECT_EQ(runner.stats().batches, 1);
}

TEST_F(CursorTest, BatchesAreBounded) {
  std::vector<model::Message> batch;
  for (int i = 0; i < 10; ++i) {
    batch.push_back(Msg(std::to_string(i), "m"));
  }
  custos_->ingest().Ingest(batch);
  RecordingConsumer consumer;
  CursorRunner runner(db_.get(), &clock_, &consumer, Options(3));
  ASSERT_TRUE(runner.Start().ok());  // no notification: full batches keep it going
  const std::vector<std::int64_t> log = LogIds();
  ASSERT_TRUE(CaughtUp(runner, log.back()));
  runner.Stop();
  for (const auto& call : consumer.calls()) {
    EXPECT_LE(call.size(), 3u);
  }
  EXPECT_EQ(Positions(consumer.seen()), log);
}

TEST_F(CursorTest, StartAtEndSkipsTheHistoryButNothingAfter) {
  custos_->ingest().Ingest({Msg("1", "old")});
  const std::int64_t head = LogIds().back();
  RecordingConsumer consumer;
  CursorRunner runner(db_.get(), &clock_, &consumer,
                      Options(256, milliseconds(10), milliseconds(100), /*start_at_end=*/true));
  ASSERT_TRUE(runner.Start().ok());
  EXPECT_EQ(*runner.Position(), head);  // stored at Start: a crash now does not move it
  const auto out = custos_->ingest().Ingest({Msg("2", "new")});
  ASSERT_TRUE(CaughtUp(runner, LogIds().back()));
  runner.Stop();
  const std::vector<CommittedRecord> seen = consumer.seen();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].position, head + 1);
  EXPECT_EQ(seen[0].message_id, out[0].id);
  // Started again, the stored position wins over start_at_end.
  custos_->ingest().Ingest({Msg("3", "newer")});
  ASSERT_TRUE(runner.Start().ok());
  ASSERT_TRUE(CaughtUp(runner, LogIds().back()));
  runner.Stop();
  EXPECT_EQ(consumer.seen().size(), 2u);
}

}  // namespace
}  // namespace custos::app
