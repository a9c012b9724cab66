// SPDX-License-Identifier: Apache-2.0
// The attachment store (archive/attachment_store.h) through app::Custos on real data
// directories: Put/Get and dedup, `custos verify` over attachment content, crypto-shredding at
// disposal, and disposal hygiene: after a retention run (secure_delete, WAL truncated) no file
// under the data directory still holds the disposed ciphertext.
#include <filesystem>
#include <fstream>
#include <iterator>

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "app/custos.h"
#include "storage/sqlite/sqlite_database.h"
#include "testing/fake_clock.h"
#include "testing/temp_dir.h"

namespace custos::app {
namespace {

constexpr core::Micros kDay = 86'400 * core::kMicrosPerSecond;

constexpr std::string_view kConfig = R"y(retention:
  default_period: 30d
  schedule: "off"
)y";

model::Message Msg(const std::string& id, core::Micros sent_at, std::string text,
                   std::vector<model::Attachment> attachments) {
  model::Message m;
  m.source = "test";
  m.source_id = id;
  m.channel = "sms";
  m.conversation = "att-" + id;
  m.from = "+447700900123";
  m.to = {"+447700900789"};
  m.sent_at = sent_at;
  m.text = std::move(text);
  m.attachments = std::move(attachments);
  return m;
}

class AttachmentTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::ofstream(dir_.File("custos.yaml")) << kConfig;
    Reopen();
  }

  void Reopen() {
    custos_.reset();
    OpenOptions options;
    options.data_dir = dir_.Path();
    options.clock = &clock_;
    auto c = Custos::Open(options);
    ASSERT_TRUE(c.has_value()) << c.error().ToString();
    custos_ = std::move(c).value();
  }

  void Ingest(std::vector<model::Message> batch) {
    for (const IngestOutcome& o : custos_->ingest().Ingest(std::move(batch))) {
      ASSERT_EQ(o.status, IngestStatus::kAccepted);
    }
  }

  archive::VerifyReport Verify() {
    auto report = custos_->log().Verify({}, "");
    EXPECT_TRUE(report.has_value()) << report.error().ToString();
    return report.has_value() ? *report : archive::VerifyReport{};
  }

  std::int64_t Count(const std::string& sql) {
    storage::SqliteOptions options;
    options.read_only = true;
    auto db = storage::OpenSqlite(dir_.File("custos.db"), options);
    EXPECT_TRUE(db.has_value());
    auto tx = (*db)->Begin(storage::TxMode::kRead);
    auto rows = (*tx)->Query(sql);
    EXPECT_TRUE(rows.has_value() && !rows->empty()) << sql;
    return rows.has_value() && !rows->empty() ? (*rows)[0].Int(0) : -1;
  }

  // Runs SQL through a raw connection, as an attacker with file access would.
  void TamperRaw(const std::string& sql) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(dir_.File("custos.db").c_str(), &db), SQLITE_OK);
    char* error = nullptr;
    EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error), SQLITE_OK)
        << (error != nullptr ? error : "");
    sqlite3_free(error);
    sqlite3_close(db);
  }

  testing::TempDir dir_;
  testing::FakeClock clock_;
  std::unique_ptr<Custos> custos_;
};

TEST_F(AttachmentTest, PutGetDedupAndVerify) {
  const std::string bytes = "%PDF-1.7 quarterly figures\n" + std::string(5000, 'x');
  auto a = custos_->attachments().Put(bytes, "application/pdf", "q3.pdf");
  ASSERT_TRUE(a.has_value()) << a.error().ToString();
  EXPECT_EQ(a->size, static_cast<std::int64_t>(bytes.size()));
  EXPECT_EQ(a->sha256.size(), 64u);
  EXPECT_EQ(a->name, "q3.pdf");
  auto again = custos_->attachments().Put(bytes, "application/pdf", "copy.pdf");
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->sha256, a->sha256);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM attachments"), 1);
  Ingest({Msg("1", clock_.Now(), "see attached", {*a}), Msg("2", clock_.Now(), "again", {*again})});
  EXPECT_EQ(Count("SELECT COUNT(*) FROM message_attachments"), 2);
  auto got = custos_->attachments().Get(a->sha256);
  ASSERT_TRUE(got.has_value()) << got.error().ToString();
  EXPECT_EQ(*got, bytes);
  EXPECT_EQ(custos_->attachments().Get(std::string(64, '0')).status().code(),
            core::StatusCode::kNotFound);
  EXPECT_EQ(custos_->attachments().Get("not-a-hash").status().code(),
            core::StatusCode::kInvalidArgument);
  const archive::VerifyReport report = Verify();
  EXPECT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report.attachments, 1u);
}

// Bytes that come with the message (JSONL content_base64, an export's media) are stored in
// the message's own transaction; size and hash come from them, and declared ones must agree.
TEST_F(AttachmentTest, ContentThatComesWithTheMessageIsStoredAtIngest) {
  model::Attachment with_bytes;
  with_bytes.name = "scan.png";
  with_bytes.mime = "image/png";
  with_bytes.content = std::string("\x89PNG\r\n\x1a\n") + std::string(3000, 'p');
  const auto first =
      custos_->ingest().Ingest({Msg("c1", clock_.Now(), "scan attached", {with_bytes})});
  ASSERT_EQ(first[0].status, IngestStatus::kAccepted) << first[0].error;
  auto stored = custos_->store().Get(first[0].id);
  ASSERT_TRUE(stored.has_value() && stored->has_value());
  ASSERT_EQ((*stored)->attachments.size(), 1u);
  const model::Attachment& meta = (*stored)->attachments[0];
  EXPECT_EQ(meta.size, 3008);
  EXPECT_FALSE(meta.content.has_value());
  auto got = custos_->attachments().Get(meta.sha256);
  ASSERT_TRUE(got.has_value()) << got.error().ToString();
  EXPECT_EQ(*got, *with_bytes.content);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM message_attachments"), 1);

  model::Attachment wrong = with_bytes;
  wrong.sha256 = std::string(64, 'a');
  auto out = custos_->ingest().Ingest({Msg("c2", clock_.Now(), "x", {wrong})});
  EXPECT_EQ(out[0].status, IngestStatus::kRejected);
  EXPECT_EQ(out[0].field, "attachments[0].sha256");
  wrong.sha256.clear();
  wrong.size = 7;
  out = custos_->ingest().Ingest({Msg("c3", clock_.Now(), "x", {wrong})});
  EXPECT_EQ(out[0].status, IngestStatus::kRejected);
  EXPECT_EQ(out[0].field, "attachments[0].size");
  const archive::VerifyReport report = Verify();
  EXPECT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report.attachments, 1u);
}

TEST_F(AttachmentTest, VerifyReportsAlteredAttachmentContent) {
  auto a = custos_->attachments().Put(std::string(3000, 'a'), "image/png", "a.png");
  ASSERT_TRUE(a.has_value());
  Ingest({Msg("1", clock_.Now(), "picture", {*a})});
  ASSERT_TRUE(Verify().ok());
  custos_.reset();
  // Flip one byte in the middle of the sealed content.
  TamperRaw(
      "UPDATE attachments SET payload = substr(payload, 1, 100) ||"
      " CAST(char((unicode(substr(payload, 101, 1)) + 1) % 256) AS BLOB) ||"
      " substr(payload, 102)");
  Reopen();
  const archive::VerifyReport report = Verify();
  ASSERT_FALSE(report.ok());
  EXPECT_NE(report.problems.front().subject.find("attachment 1 (of record "), std::string::npos)
      << report.problems.front().subject;
  EXPECT_EQ(custos_->attachments().Get(a->sha256).status().code(), core::StatusCode::kDataLoss);
}

TEST_F(AttachmentTest, VerifyReportsContentSwappedBetweenRows) {
  auto a = custos_->attachments().Put("first content", "text/plain", "a.txt");
  auto b = custos_->attachments().Put("second content", "text/plain", "b.txt");
  ASSERT_TRUE(a.has_value() && b.has_value());
  Ingest({Msg("1", clock_.Now(), "a", {*a}), Msg("2", clock_.Now(), "b", {*b})});
  custos_.reset();
  TamperRaw(
      "UPDATE attachments SET (key_version, wrapped_key, payload) = (SELECT key_version,"
      " wrapped_key, payload FROM attachments WHERE id = 2) WHERE id = 1");
  Reopen();
  const archive::VerifyReport report = Verify();
  ASSERT_FALSE(report.ok());
  EXPECT_NE(report.problems.front().problem.find("does not decrypt"), std::string::npos)
      << report.problems.front().problem;
}

TEST_F(AttachmentTest, DisposalShredsOnlyUnreferencedContent) {
  auto shared = custos_->attachments().Put("shared deck", "application/pdf", "deck.pdf");
  auto own = custos_->attachments().Put("own scan", "image/jpeg", "scan.jpg");
  ASSERT_TRUE(shared.has_value() && own.has_value());
  Ingest({Msg("old", clock_.Now() - 60 * kDay, "old", {*shared, *own}),
          Msg("new", clock_.Now() - 1 * kDay, "new", {*shared})});
  auto run = custos_->retention().Run();
  ASSERT_TRUE(run.has_value()) << run.error().ToString();
  ASSERT_EQ(run->items.size(), 1u);
  EXPECT_EQ(custos_->attachments().Get(own->sha256).status().code(),
            core::StatusCode::kFailedPrecondition);
  auto kept = custos_->attachments().Get(shared->sha256);
  ASSERT_TRUE(kept.has_value());
  EXPECT_EQ(*kept, "shared deck");
  const archive::VerifyReport report = Verify();
  EXPECT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report.attachments, 1u);
  EXPECT_EQ(report.attachments_shredded, 1u);
}

// Every occurrence of `needle` in any file under `dir` ("path@offset").
std::vector<std::string> FindInFiles(const std::string& dir, const std::string& needle) {
  std::vector<std::string> hits;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file()) {
      continue;
    }
    std::ifstream in(entry.path(), std::ios::binary);
    const std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    for (std::size_t at = data.find(needle); at != std::string::npos;
         at = data.find(needle, at + 1)) {
      hits.push_back(entry.path().string() + "@" + std::to_string(at));
    }
  }
  return hits;
}

// The writer's secure_delete zeroes what a disposal deletes (cells, freed overflow pages) and
// the retention run checkpoints and truncates the WAL, so no file keeps the shredded bytes.
// (Record 1 is the default policy pack's record, applied at first start: the message's record
// is found through its messages row.)
TEST_F(AttachmentTest, DisposedCiphertextLeavesNoTraceInAnyFile) {
  const std::string canary = "CANARY-7f3e9a-disposal-hygiene";
  auto a = custos_->attachments().Put(canary + std::string(20000, 'z'), "text/plain", "c.txt");
  ASSERT_TRUE(a.has_value());
  Ingest({Msg("gone", clock_.Now() - 90 * kDay, canary + " text", {*a}),
          Msg("kept", clock_.Now(), "fresh", {})});
  // Samples of the ciphertext about to be shredded: the record's and the attachment's.
  storage::SqliteOptions options;
  options.read_only = true;
  std::vector<std::string> samples;
  {
    auto db = storage::OpenSqlite(dir_.File("custos.db"), options);
    ASSERT_TRUE(db.has_value());
    auto tx = (*db)->Begin(storage::TxMode::kRead);
    const std::string gone = "(SELECT record_id FROM messages ORDER BY sent_at LIMIT 1)";
    for (const std::string& sql :
         {"SELECT payload FROM records WHERE id = " + gone,
          "SELECT wrapped_key FROM records WHERE id = " + gone,
          std::string("SELECT payload FROM attachments WHERE id = 1"),
          std::string("SELECT wrapped_key FROM attachments WHERE id = 1")}) {
      auto rows = (*tx)->Query(sql);
      ASSERT_TRUE(rows.has_value() && !rows->empty());
      const std::string blob = (*rows)[0].Text(0);
      ASSERT_GE(blob.size(), 40u);
      samples.push_back(blob.substr(blob.size() / 2, 24));
      samples.push_back(blob.substr(0, 24));
    }
  }
  // The samples are on disk before disposal (in the WAL or the database file).
  ASSERT_FALSE(FindInFiles(dir_.Path(), samples[0]).empty());
  ASSERT_FALSE(FindInFiles(dir_.Path(), samples[4]).empty());
  auto run = custos_->retention().Run();
  ASSERT_TRUE(run.has_value()) << run.error().ToString();
  ASSERT_EQ(run->items.size(), 1u);
  // The server is still running: the WAL was truncated by the run itself.
  for (const std::string& s : samples) {
    EXPECT_EQ(FindInFiles(dir_.Path(), s), std::vector<std::string>{});
  }
  EXPECT_EQ(FindInFiles(dir_.Path(), canary), std::vector<std::string>{});
  custos_.reset();
  for (const std::string& s : samples) {
    EXPECT_EQ(FindInFiles(dir_.Path(), s), std::vector<std::string>{});
  }
}

}  // namespace
}  // namespace custos::app
