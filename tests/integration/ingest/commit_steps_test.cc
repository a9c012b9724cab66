// SPDX-License-Identifier: Apache-2.0
// Commit steps added from outside app/ (IngestService::AddStep), on a real data directory: a
// step writes into the group's own transaction, its failure rolls the whole group back
// (messages, log records, index and its own rows), and its Admit refuses single messages.
#include <atomic>
#include <filesystem>

#include <gtest/gtest.h>

#include "app/custos.h"
#include "storage/sqlite/sqlite_database.h"
#include "testing/temp_dir.h"

namespace custos::app {
namespace {

model::Message Msg(std::string source_id, std::string text) {
  model::Message m;
  m.source = "test";
  m.source_id = std::move(source_id);
  m.channel = "sms";
  m.conversation = "c-1";
  m.from = "+447700900123";
  m.to = {"+447700900456"};
  m.sent_at = 1'790'000'000'000'000;
  m.direction = model::Direction::kInbound;
  m.text = std::move(text);
  return m;
}

// Writes one row per new message into test_step_rows, then fails the group when told to; and
// refuses messages whose text says "refuse me".
class TestTableStep final : public CommitStep {
 public:
  std::string_view Name() const override { return "test-table"; }

  core::Status Admit(const model::Message& message, std::string* field) const override {
    if (message.text == "refuse me") {
      *field = "text";
      return core::InvalidArgument("the test step refuses this text");
    }
    return core::Status::Ok();
  }

  core::Status Apply(CommitContext& group) override {
    ++groups;
    for (const IngestItem& item : group.items) {
      if (item.duplicate) {
        continue;
      }
      EXPECT_GT(item.id, 0) << "runs after the archive step: ids are set";
      RETURN_IF_ERROR(
          group.tx.Execute("INSERT INTO test_step_rows (message_id, source_id) VALUES (?, ?)",
                           {item.id, item.message.source_id}));
    }
    if (fail) {
      return core::Unavailable("the test step was told to fail");
    }
    return core::Status::Ok();
  }

  std::atomic<bool> fail{false};
  std::atomic<int> groups{0};
};

class CommitStepsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    OpenOptions options;
    options.data_dir = dir_.Path();
    options.default_policy_pack = kNoPolicyPack;
    auto c = Custos::Open(options);
    ASSERT_TRUE(c.has_value()) << c.error().ToString();
    custos_ = std::move(c).value();
    // A second connection to the same file: the test's own table, and what is committed.
    auto db = storage::OpenSqlite(dir_.File("custos.db"));
    ASSERT_TRUE(db.has_value()) << db.error().ToString();
    db_ = std::move(db).value();
    Exec("CREATE TABLE test_step_rows (message_id INTEGER PRIMARY KEY, source_id TEXT)");
    auto step = std::make_unique<TestTableStep>();
    step_ = step.get();
    custos_->ingest().AddStep(std::move(step));
  }

  void Exec(const std::string& sql) {
    auto tx = db_->Begin(storage::TxMode::kWrite);
    ASSERT_TRUE(tx.has_value()) << tx.error().ToString();
    ASSERT_TRUE((*tx)->Execute(sql).ok());
    ASSERT_TRUE((*tx)->Commit().ok());
  }

  std::int64_t Count(const std::string& table) {
    auto tx = db_->Begin(storage::TxMode::kRead);
    EXPECT_TRUE(tx.has_value());
    auto rows = (*tx)->Query("SELECT count(*) FROM " + table);
    EXPECT_TRUE(rows.has_value());
    return rows->at(0).Int(0);
  }

  testing::TempDir dir_;
  std::unique_ptr<Custos> custos_;
  std::unique_ptr<storage::Database> db_;
  TestTableStep* step_ = nullptr;
};

TEST_F(CommitStepsTest, AStepAddedOutsideWritesInTheGroupsTransaction) {
  const auto out = custos_->ingest().Ingest({Msg("1", "a"), Msg("2", "b"), Msg("1", "a")});
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0].status, IngestStatus::kAccepted);
  EXPECT_EQ(out[1].status, IngestStatus::kAccepted);
  EXPECT_EQ(out[2].status, IngestStatus::kDuplicate);
  EXPECT_EQ(Count("test_step_rows"), 2);
  auto tx = db_->Begin(storage::TxMode::kRead);
  ASSERT_TRUE(tx.has_value());
  auto rows = (*tx)->Query("SELECT message_id, source_id FROM test_step_rows ORDER BY source_id");
  ASSERT_TRUE(rows.has_value());
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ((*rows)[0].Int(0), out[0].id);
  EXPECT_EQ((*rows)[1].Int(0), out[1].id);
}

TEST_F(CommitStepsTest, AFailingStepRollsTheWholeGroupBack) {
  const std::int64_t records_before = Count("records");
  step_->fail = true;
  const auto failed = custos_->ingest().Ingest({Msg("1", "alpha"), Msg("2", "beta")});
  ASSERT_EQ(failed.size(), 2u);
  for (const IngestOutcome& o : failed) {
    EXPECT_EQ(o.status, IngestStatus::kFailed);
    EXPECT_EQ(o.error, "the test step was told to fail");
  }
  // Nothing of the group is left: not the step's rows, nor the messages, their log records
  // or their index entries written by the steps before it.
  EXPECT_EQ(Count("test_step_rows"), 0);
  EXPECT_EQ(Count("messages"), 0);
  EXPECT_EQ(Count("records"), records_before);
  EXPECT_TRUE(custos_->Search("alpha", std::nullopt, 10)->results.empty());

  step_->fail = false;
  const auto again = custos_->ingest().Ingest({Msg("1", "alpha"), Msg("2", "beta")});
  EXPECT_EQ(again[0].status, IngestStatus::kAccepted);
  EXPECT_EQ(again[1].status, IngestStatus::kAccepted);
  EXPECT_EQ(Count("test_step_rows"), 2);
  EXPECT_EQ(Count("messages"), 2);
  EXPECT_EQ(Count("records"), records_before + 2);
  EXPECT_EQ(custos_->Search("alpha", std::nullopt, 10)->results.size(), 1u);
  EXPECT_EQ(step_->groups.load(), 2);
}

TEST_F(CommitStepsTest, AStepsAdmitRefusesOneMessageOfABatch) {
  const auto out = custos_->ingest().Ingest({Msg("1", "fine"), Msg("2", "refuse me")});
  EXPECT_EQ(out[0].status, IngestStatus::kAccepted);
  EXPECT_EQ(out[1].status, IngestStatus::kRejected);
  EXPECT_EQ(out[1].field, "text");
  EXPECT_EQ(out[1].error, "the test step refuses this text");
  EXPECT_EQ(Count("messages"), 1);
  EXPECT_EQ(Count("test_step_rows"), 1);
}

}  // namespace
}  // namespace custos::app
