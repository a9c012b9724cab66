// SPDX-License-Identifier: Apache-2.0
// `custos verify` (LogService::Verify over archive::VerifyArchive) on a real data directory:
// a clean archive passes; each kind of tampering, done behind custos's back through a raw
// connection to the database, is reported as kDataLoss naming what is wrong.
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "app/custos.h"
#include "crypto/merkle.h"
#include "storage/sqlite/sqlite_database.h"
#include "testing/temp_dir.h"

namespace custos::app {
namespace {

constexpr int kMessages = 40;

model::Message Msg(int n) {
  model::Message m;
  m.source = "test";
  m.source_id = "v" + std::to_string(n);
  m.channel = "sms";
  m.conversation = "desk-" + std::to_string(n % 4);
  m.from = "+447700900123";
  m.to = {"+447700900789"};
  m.sent_at = 1'790'000'000'000'000 + n;
  m.direction = model::Direction::kInbound;
  m.text = "verify me " + std::to_string(n);
  return m;
}

// An archive of kMessages records with checkpoints at 10, 25 and 40 (and maybe others from
// the background checkpointer).
class VerifyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto c = Custos::Open({dir_.Path(), false, nullptr, kNoPolicyPack});
    ASSERT_TRUE(c.has_value()) << c.error().ToString();
    for (auto [from, to] : {std::pair{0, 10}, std::pair{10, 25}, std::pair{25, kMessages}}) {
      std::vector<model::Message> batch;
      for (int n = from; n < to; ++n) {
        batch.push_back(Msg(n));
      }
      (*c)->ingest().Ingest(std::move(batch));
      ASSERT_TRUE((*c)->log().CreateCheckpoint().has_value());
    }
    key_ = *(*c)->log().PublicKey();
  }

  // Runs SQL against the closed archive, as an attacker with file access would.
  void Tamper(const std::string& sql, const std::vector<storage::Value>& params = {}) {
    auto db = storage::OpenSqlite(dir_.File("custos.db"));
    ASSERT_TRUE(db.has_value()) << db.error().ToString();
    auto tx = (*db)->Begin(storage::TxMode::kWrite);
    ASSERT_TRUE(tx.has_value());
    ASSERT_TRUE((*tx)->Execute(sql, params).ok()) << sql;
    ASSERT_TRUE((*tx)->Commit().ok());
  }

  // Runs SQL through a raw sqlite3 connection with foreign keys off, for tampering the
  // adapter's constraints would refuse.
  void TamperRaw(const std::string& sql) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(dir_.File("custos.db").c_str(), &db), SQLITE_OK);
    char* error = nullptr;
    const int rc =
        sqlite3_exec(db, ("PRAGMA foreign_keys = OFF; " + sql).c_str(), nullptr, nullptr, &error);
    EXPECT_EQ(rc, SQLITE_OK) << (error != nullptr ? error : "");
    sqlite3_free(error);
    sqlite3_close(db);
  }

  std::string Blob(const std::string& sql) {
    auto db = storage::OpenSqlite(dir_.File("custos.db"));
    auto tx = (*db)->Begin(storage::TxMode::kRead);
    auto rows = (*tx)->Query(sql);
    EXPECT_TRUE(rows.has_value() && !rows->empty()) << sql;
    return rows.has_value() && !rows->empty() ? (*rows)[0].Text(0) : std::string();
  }

  archive::VerifyReport Verify(std::string_view key = {}) {
    auto c = Custos::Open({dir_.Path(), true, nullptr, kNoPolicyPack});
    EXPECT_TRUE(c.has_value()) << c.error().ToString();
    auto report = (*c)->log().Verify({}, key);
    EXPECT_TRUE(report.has_value()) << report.error().ToString();
    return report.has_value() ? *report : archive::VerifyReport{};
  }

  // Verification fails with kDataLoss and the first problem is about `subject`.
  void ExpectFirstProblem(const std::string& subject, const std::string& words) {
    const archive::VerifyReport report = Verify();
    ASSERT_FALSE(report.ok());
    const core::Status status = report.status();
    EXPECT_EQ(status.code(), core::StatusCode::kDataLoss);
    ASSERT_FALSE(report.problems.empty());
    EXPECT_EQ(report.problems[0].subject, subject) << status.ToString();
    EXPECT_NE(report.problems[0].problem.find(words), std::string::npos) << status.ToString();
    EXPECT_NE(status.message().find(subject), std::string::npos);
  }

  testing::TempDir dir_;
  std::string key_;
};

std::string Flip(std::string bytes, std::size_t at) {
  bytes[at] = static_cast<char>(bytes[at] ^ 0x01);
  return bytes;
}

TEST_F(VerifyTest, PassesOnACleanArchiveAndReportsProgress) {
  auto c = Custos::Open({dir_.Path(), true, nullptr, kNoPolicyPack});
  ASSERT_TRUE(c.has_value());
  std::vector<archive::VerifyProgress> progress;
  archive::VerifyOptions options;
  options.progress_every = 16;
  options.progress = [&progress](const archive::VerifyProgress& p) { progress.push_back(p); };
  auto report = (*c)->log().Verify(options);
  ASSERT_TRUE(report.has_value()) << report.error().ToString();
  EXPECT_TRUE(report->ok()) << report->status().ToString();
  EXPECT_TRUE(report->status().ok());
  EXPECT_EQ(report->records, static_cast<std::uint64_t>(kMessages));
  EXPECT_EQ(report->decrypted, static_cast<std::uint64_t>(kMessages));
  EXPECT_EQ(report->messages, static_cast<std::uint64_t>(kMessages));
  EXPECT_GE(report->checkpoints, 3u);
  EXPECT_EQ(report->merkle_nodes, 2u * kMessages - 2);  // 40 = 0b101000: 2n - popcount(n)
  EXPECT_EQ(report->root_hash, (*c)->log().Checkpoint()->root_hash);
  ASSERT_FALSE(progress.empty());
  EXPECT_EQ(progress.back().records_done, static_cast<std::uint64_t>(kMessages));
  EXPECT_EQ(progress.back().records_total, static_cast<std::uint64_t>(kMessages));
  const std::string json = archive::VerifyReportJson(*report);
  EXPECT_NE(json.find("\"ok\":true"), std::string::npos) << json;
}

TEST_F(VerifyTest, NamesARecordWhosePayloadWasAltered) {
  const std::string payload = Blob("SELECT payload FROM records WHERE id = 17");
  Tamper("UPDATE records SET payload = ? WHERE id = 17", {storage::Blob{Flip(payload, 20)}});
  ExpectFirstProblem("record 17", "does not decrypt");
  EXPECT_EQ(Verify().problems[0].record_id, 17);
}

TEST_F(VerifyTest, NamesARecordWhoseLeafHashWasChanged) {
  Tamper("UPDATE records SET leaf_hash = ? WHERE id = 8",
         {storage::Blob{crypto::LeafHash("forged")}});
  ExpectFirstProblem("record 8", "leaf_hash");
}

TEST_F(VerifyTest, NamesALeafOrInteriorNodeThatWasChanged) {
  Tamper("UPDATE merkle_nodes SET hash = ? WHERE level = 0 AND idx = 30",
         {storage::Blob{crypto::LeafHash("forged")}});
  ExpectFirstProblem("record 31", "the log's leaf");
}

TEST_F(VerifyTest, NamesAnInteriorNodeThatWasChanged) {
  Tamper("UPDATE merkle_nodes SET hash = ? WHERE level = 2 AND idx = 1",
         {storage::Blob{crypto::LeafHash("forged")}});
  ExpectFirstProblem("merkle node (2, 1)", "records 5..8");
}

TEST_F(VerifyTest, NamesACheckpointWhoseNoteWasAltered) {
  const std::string note = Blob("SELECT note FROM checkpoints WHERE tree_size = 25");
  std::string altered = note;
  altered.replace(altered.find("\n25\n"), 4, "\n26\n");
  Tamper("UPDATE checkpoints SET note = ? WHERE tree_size = 25", {altered});
  ExpectFirstProblem("checkpoint 25", "signature does not verify");
}

// The log head (DIR/keys/latest-checkpoint) outlives a database put back to an older copy.
TEST_F(VerifyTest, ReportsADatabaseRolledBackToAnOlderCopy) {
  namespace fs = std::filesystem;
  ASSERT_TRUE(Verify().ok());
  fs::copy_file(dir_.File("custos.db"), dir_.File("older.db"));
  {
    auto c = Custos::Open({dir_.Path(), false, nullptr, kNoPolicyPack});
    ASSERT_TRUE(c.has_value());
    (*c)->ingest().Ingest({Msg(kMessages), Msg(kMessages + 1)});
    ASSERT_TRUE((*c)->log().CreateCheckpoint().has_value());
  }
  ASSERT_TRUE(Verify().ok());
  fs::copy_file(dir_.File("older.db"), dir_.File("custos.db"),
                fs::copy_options::overwrite_existing);
  ExpectFirstProblem("keys/latest-checkpoint", "which the archive does not have");
}

TEST_F(VerifyTest, ReportsADamagedLogHead) {
  const std::string head = dir_.File("keys/latest-checkpoint");
  std::ifstream in(head);
  std::string note((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ASSERT_NE(note.find("\n40\n"), std::string::npos) << note;
  std::ofstream(head, std::ios::trunc) << Flip(note, note.size() - 5);
  ExpectFirstProblem("keys/latest-checkpoint", "is damaged");
}

TEST_F(VerifyTest, NamesACheckpointWhoseRootWasChanged) {
  Tamper("UPDATE checkpoints SET root_hash = ? WHERE tree_size = 10",
         {storage::Blob{crypto::LeafHash("forged")}});
  ExpectFirstProblem("checkpoint 10", "root");
}

TEST_F(VerifyTest, NamesMetadataThatNoLongerMatchesTheSealedRecord) {
  Tamper("UPDATE records SET created_at = created_at + 1 WHERE id = 3");
  ExpectFirstProblem("record 3", "created_at");
}

TEST_F(VerifyTest, NamesAMessageRecordWithoutItsMessagesRow) {
  TamperRaw("DELETE FROM messages WHERE record_id = 12");
  ExpectFirstProblem("record 12", "no messages row");
}

TEST_F(VerifyTest, NamesAMissingRecordAndWhatPointedAtIt) {
  TamperRaw("DELETE FROM records WHERE id = 33");
  ExpectFirstProblem("record 33", "missing");
  const archive::VerifyReport report = Verify();
  ASSERT_GE(report.problems.size(), 2u);
  EXPECT_EQ(report.problems[1].subject, "message 33");
  EXPECT_NE(report.problems[1].problem.find("missing"), std::string::npos);
}

TEST_F(VerifyTest, NamesRowsBeyondTheLog) {
  TamperRaw(
      "UPDATE messages SET record_id = 1000 WHERE record_id = 40;"
      " INSERT INTO merkle_nodes (level, idx, hash) VALUES (3, 9, x'00')");
  const archive::VerifyReport report = Verify();
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.problems[0].subject, "record 40");  // in log order: no messages row first
  std::string all;
  for (const archive::VerifyProblem& p : report.problems) {
    all += p.subject + ": " + p.problem + "\n";
  }
  EXPECT_NE(all.find("merkle node (3, 9): lies beyond the log"), std::string::npos) << all;
  EXPECT_NE(all.find("message 40: points at record 1000, which does not exist"), std::string::npos)
      << all;
}

TEST_F(VerifyTest, AcceptsADisposedRecordByItsLeafHash) {
  Tamper("UPDATE records SET payload = NULL, wrapped_key = NULL, key_version = NULL WHERE id = 5");
  const archive::VerifyReport report = Verify();
  EXPECT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report.disposed, 1u);
  EXPECT_EQ(report.decrypted, static_cast<std::uint64_t>(kMessages - 1));
}

TEST_F(VerifyTest, ChecksCheckpointsWithAnExaminersKeyAndTellsOperationalErrorsApart) {
  EXPECT_TRUE(Verify(key_).ok());
  auto other = crypto::NoteSigner::Generate("custos/deadbeef");
  const archive::VerifyReport report = Verify(other->VerifierKey());
  EXPECT_EQ(report.status().code(), core::StatusCode::kDataLoss);
  auto c = Custos::Open({dir_.Path(), true, nullptr, kNoPolicyPack});
  EXPECT_EQ((*c)->log().Verify({}, "not a key").status().code(),
            core::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace custos::app
