// SPDX-License-Identifier: Apache-2.0
// imessage importer: a chat.db built here with the real macOS schema (a subset of the columns)
// and rows for each pitfall of docs/formats/imessage.md.
#include "importers/imessage.h"

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "importers/imessage_body.h"
#include "importers/item_split.h"
#include "testing/temp_dir.h"

namespace custos::importers {
namespace {

namespace fs = std::filesystem;
using testing::DrainSplit;

// The tables as macOS creates them (columns the importer does not read are left out).
constexpr const char* kSchema = R"sql(
CREATE TABLE handle (ROWID INTEGER PRIMARY KEY AUTOINCREMENT UNIQUE, id TEXT NOT NULL,
  country TEXT, service TEXT NOT NULL, uncanonicalized_id TEXT, person_centric_id TEXT,
  UNIQUE (id, service));
CREATE TABLE chat (ROWID INTEGER PRIMARY KEY AUTOINCREMENT, guid TEXT UNIQUE NOT NULL,
  style INTEGER, state INTEGER, account_id TEXT, properties BLOB, chat_identifier TEXT,
  service_name TEXT, room_name TEXT, account_login TEXT, is_archived INTEGER DEFAULT 0,
  last_addressed_handle TEXT, display_name TEXT, group_id TEXT);
CREATE TABLE message (ROWID INTEGER PRIMARY KEY AUTOINCREMENT, guid TEXT UNIQUE NOT NULL,
  text TEXT, replace INTEGER DEFAULT 0, service_center TEXT, handle_id INTEGER DEFAULT 0,
  subject TEXT, country TEXT, attributedBody BLOB, version INTEGER DEFAULT 0,
  type INTEGER DEFAULT 0, service TEXT, account TEXT, account_guid TEXT, error INTEGER DEFAULT 0,
  date INTEGER, date_read INTEGER, date_delivered INTEGER, is_delivered INTEGER DEFAULT 0,
  is_finished INTEGER DEFAULT 0, is_from_me INTEGER DEFAULT 0, cache_roomnames TEXT,
  associated_message_guid TEXT DEFAULT NULL, associated_message_type INTEGER DEFAULT 0,
  thread_originator_guid TEXT, date_edited INTEGER DEFAULT 0);
CREATE TABLE chat_message_join (chat_id INTEGER REFERENCES chat (ROWID) ON DELETE CASCADE,
  message_id INTEGER REFERENCES message (ROWID) ON DELETE CASCADE, message_date INTEGER DEFAULT 0,
  PRIMARY KEY (chat_id, message_id));
CREATE TABLE chat_handle_join (chat_id INTEGER REFERENCES chat (ROWID) ON DELETE CASCADE,
  handle_id INTEGER REFERENCES handle (ROWID) ON DELETE CASCADE, UNIQUE(chat_id, handle_id));
CREATE TABLE attachment (ROWID INTEGER PRIMARY KEY AUTOINCREMENT, guid TEXT UNIQUE NOT NULL,
  created_date INTEGER DEFAULT 0, start_date INTEGER DEFAULT 0, filename TEXT, uti TEXT,
  mime_type TEXT, transfer_state INTEGER DEFAULT 0, is_outgoing INTEGER DEFAULT 0,
  user_info BLOB, transfer_name TEXT, total_bytes INTEGER DEFAULT 0);
CREATE TABLE message_attachment_join (message_id INTEGER REFERENCES message (ROWID)
  ON DELETE CASCADE, attachment_id INTEGER REFERENCES attachment (ROWID) ON DELETE CASCADE,
  UNIQUE(message_id, attachment_id));
INSERT INTO handle VALUES (1, '+1 (555) 010-0199', 'us', 'iMessage', NULL, NULL);
INSERT INTO handle VALUES (2, 'Bob@Example.com', 'us', 'iMessage', NULL, NULL);
INSERT INTO handle VALUES (3, '07700 900123', 'gb', 'SMS', NULL, NULL);
INSERT INTO chat (ROWID, guid, style, chat_identifier, service_name)
  VALUES (1, 'iMessage;-;+15550100199', 45, '+15550100199', 'iMessage');
INSERT INTO chat (ROWID, guid, style, chat_identifier, service_name, display_name)
  VALUES (2, 'iMessage;+;chat123456', 43, 'chat123456', 'iMessage', 'Desk');
INSERT INTO chat (ROWID, guid, style, chat_identifier, service_name)
  VALUES (3, 'SMS;-;+447700900123', 45, '+447700900123', 'SMS');
INSERT INTO chat_handle_join VALUES (1, 1), (2, 1), (2, 2), (3, 3);
)sql";

// An NSAttributedString archived by NSArchiver, as Ventura writes attributedBody.
std::string TypedStream(const std::string& text) {
  static constexpr char kHead[] =
      "\x04\x0bstreamtyped\x81\xe8\x03\x84\x01@\x84\x84\x84\x12NSAttributedString"
      "\x00\x84\x84\x08NSObject\x00\x85\x92\x84\x84\x84\x08NSString\x01\x94\x84\x01+";
  std::string blob(kHead, sizeof(kHead) - 1);
  if (text.size() < 0x80) {
    blob.push_back(static_cast<char>(text.size()));
  } else {
    blob.push_back('\x81');
    blob.push_back(static_cast<char>(text.size() & 0xFF));
    blob.push_back(static_cast<char>(text.size() >> 8));
  }
  return blob + text + "\x86\x84\x02iI\x01\x05\x92\x84\x84\x84\x0cNSDictionary\x00\x94";
}

void Exec(sqlite3* db, const std::string& sql) {
  char* err = nullptr;
  ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err), SQLITE_OK) << err;
}

void InsertMessage(sqlite3* db, int rowid, const std::string& guid, const char* text,
                   const std::string* body, int handle, std::int64_t date, int from_me,
                   const char* service, int chat, const char* assoc_guid = nullptr,
                   int assoc_type = 0) {
  sqlite3_stmt* st = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db,
                               "INSERT INTO message (ROWID, guid, text, attributedBody, handle_id,"
                               " date, is_from_me, service, associated_message_guid,"
                               " associated_message_type) VALUES (?,?,?,?,?,?,?,?,?,?)",
                               -1, &st, nullptr),
            SQLITE_OK);
  sqlite3_bind_int(st, 1, rowid);
  sqlite3_bind_text(st, 2, guid.c_str(), -1, SQLITE_TRANSIENT);
  if (text != nullptr) {
    sqlite3_bind_text(st, 3, text, -1, SQLITE_TRANSIENT);
  }
  if (body != nullptr) {
    sqlite3_bind_blob(st, 4, body->data(), static_cast<int>(body->size()), SQLITE_TRANSIENT);
  }
  sqlite3_bind_int(st, 5, handle);
  sqlite3_bind_int64(st, 6, date);
  sqlite3_bind_int(st, 7, from_me);
  sqlite3_bind_text(st, 8, service, -1, SQLITE_TRANSIENT);
  if (assoc_guid != nullptr) {
    sqlite3_bind_text(st, 9, assoc_guid, -1, SQLITE_TRANSIENT);
  }
  sqlite3_bind_int(st, 10, assoc_type);
  ASSERT_EQ(sqlite3_step(st), SQLITE_DONE);
  sqlite3_finalize(st);
  Exec(db, "INSERT INTO chat_message_join VALUES (" + std::to_string(chat) + ", " +
               std::to_string(rowid) + ", 0)");
}

std::string BuildChatDb(const custos::testing::TempDir& dir) {
  const std::string path = dir.File("chat.db");
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  Exec(db, kSchema);
  const std::string ventura = TypedStream("Ventura keeps text here \xF0\x9F\x98\x80");
  const std::string long_body = TypedStream(std::string(200, 'x'));
  const std::string garbage = "\x04\x0bstreamtyped but nothing useful";
  // Seconds (pre-High Sierra) and nanoseconds (later) since 2001-01-01.
  InsertMessage(db, 1, "G-1", "Hello from the old Mac", nullptr, 1, 600000000, 0, "iMessage", 1);
  InsertMessage(db, 2, "G-2", nullptr, &ventura, 1, 700000000123456789, 1, "iMessage", 1);
  InsertMessage(db, 3, "G-3", "Liked \xE2\x80\x9CHello from the old Mac\xE2\x80\x9D", nullptr, 1,
                700000001000000000, 1, "iMessage", 1, "p:0/G-1", 2001);
  InsertMessage(db, 4, "G-4", nullptr, nullptr, 1, 700000002000000000, 0, "iMessage", 1, "p:0/G-1",
                3000);
  InsertMessage(db, 5, "G-5", "Group hello", nullptr, 0, 700000003000000000, 1, "iMessage", 2);
  InsertMessage(db, 6, "G-6", "Reply in group", nullptr, 2, 700000004000000000, 0, "iMessage", 2);
  InsertMessage(db, 7, "G-7", nullptr, &garbage, 2, 700000005000000000, 0, "iMessage", 2);
  InsertMessage(db, 8, "G-8", nullptr, &long_body, 3, 700000006000000000, 0, "SMS", 3);
  Exec(db,
       "INSERT INTO attachment (ROWID, guid, filename, mime_type, transfer_name, total_bytes) "
       "VALUES (1, 'A-1', '~/Library/Messages/Attachments/ab/01/IMG_0001.jpeg', 'image/jpeg', "
       "'IMG_0001.jpeg', 4), (2, 'A-2', '~/Library/Messages/Attachments/cd/02/gone.pdf', NULL, "
       "'gone.pdf', 1234);"
       "INSERT INTO message_attachment_join VALUES (5, 1), (5, 2);");
  sqlite3_close(db);
  fs::create_directories(dir.File("Attachments/ab/01"));
  std::ofstream(dir.File("Attachments/ab/01/IMG_0001.jpeg"), std::ios::binary)
      << "\xFF\xD8\xFF\xE0";
  return path;
}

TEST(IMessageImport, EveryPitfallFromARealSchema) {
  const custos::testing::TempDir dir;
  const std::string path = BuildChatDb(dir);
  const auto before = fs::last_write_time(path);
  const auto size_before = fs::file_size(path);
  ImportOptions options;
  options.custodian = "+447700900999";
  options.default_region = "GB";
  const testing::SplitItems d = DrainSplit(IMessageFormat(), path, options);
  ASSERT_TRUE(d.error.ok()) << d.error.ToString();
  ASSERT_EQ(d.messages.size(), 7u);
  ASSERT_EQ(d.skipped.size(), 1u);
  EXPECT_EQ(d.skipped[0].skip_kind, "empty");
  EXPECT_EQ(d.skipped[0].position.ToString(), "chat.db (ROWID 7)");

  const model::Message& old = d.messages[0].message;
  EXPECT_EQ(old.source, "imessage-db");
  EXPECT_EQ(old.source_id, "G-1");
  EXPECT_EQ(old.channel, "imessage");
  EXPECT_EQ(old.conversation, "iMessage;-;+15550100199");
  EXPECT_EQ(old.from, "+15550100199");  // "+1 (555) 010-0199" normalised
  EXPECT_EQ(old.to, std::vector<std::string>{"+447700900999"});
  EXPECT_EQ(old.sent_at, (978307200 + 600000000) * core::kMicrosPerSecond);
  EXPECT_EQ(old.direction, model::Direction::kInbound);

  const model::Message& ventura = d.messages[1].message;
  EXPECT_EQ(ventura.text, "Ventura keeps text here \xF0\x9F\x98\x80");
  EXPECT_EQ(ventura.from, "+447700900999");
  EXPECT_EQ(ventura.direction, model::Direction::kOutbound);
  EXPECT_EQ(ventura.sent_at, 978307200 * core::kMicrosPerSecond + 700000000123456);

  const model::Message& liked = d.messages[2].message;
  EXPECT_EQ(liked.kind, model::EventKind::kReaction);
  EXPECT_EQ(liked.target_source_id, "G-1");
  EXPECT_EQ(liked.text, "liked");
  const model::Message& unloved = d.messages[3].message;
  EXPECT_EQ(unloved.kind, model::EventKind::kReaction);
  EXPECT_EQ(unloved.text, "-loved");

  const Item& group = d.messages[4];
  EXPECT_EQ(group.message.conversation, "iMessage;+;chat123456");
  EXPECT_EQ(group.message.from, "+447700900999");  // is_from_me with handle_id 0
  EXPECT_EQ(group.message.to, (std::vector<std::string>{"+15550100199", "bob@example.com"}));
  ASSERT_EQ(group.attachments.size(), 2u);
  ASSERT_TRUE(group.attachments[0].bytes.has_value());
  EXPECT_EQ(group.message.attachments[0].size, 4);
  EXPECT_EQ(group.message.attachments[0].mime, "image/jpeg");
  EXPECT_EQ(group.message.attachments[0].sha256.size(), 64u);
  EXPECT_TRUE(group.attachments[1].missing);
  EXPECT_EQ(group.message.attachments[1].name, "gone.pdf");
  EXPECT_EQ(group.message.attachments[1].mime, "application/pdf");
  EXPECT_EQ(group.message.attachments[1].size, 1234);

  EXPECT_EQ(d.messages[5].message.from, "bob@example.com");
  EXPECT_EQ(d.messages[5].message.to, (std::vector<std::string>{"+447700900999", "+15550100199"}));
  const model::Message& sms = d.messages[6].message;
  EXPECT_EQ(sms.channel, "sms");
  EXPECT_EQ(sms.from, "+447700900123");  // "07700 900123" in region GB
  EXPECT_EQ(sms.text, std::string(200, 'x'));

  // Opened immutable and read-only: nothing written, no -wal/-shm left behind.
  EXPECT_EQ(fs::last_write_time(path), before);
  EXPECT_EQ(fs::file_size(path), size_before);
  EXPECT_FALSE(fs::exists(path + "-wal"));
  EXPECT_FALSE(fs::exists(path + "-shm"));
}

TEST(IMessageImport, FolderWithChatDbIsSniffed) {
  const custos::testing::TempDir dir;
  BuildChatDb(dir);
  auto bundle = Bundle::Open(dir.Path());
  ASSERT_TRUE(bundle.has_value()) << bundle.error().ToString();
  EXPECT_EQ(IMessageFormat().sniff(**bundle), 95);
  EXPECT_EQ(DrainSplit(IMessageFormat(), dir.Path()).messages.size(), 7u);
}

TEST(IMessageImport, NotADatabaseAndWrongSchemaAreClearErrors) {
  const custos::testing::TempDir dir;
  std::ofstream(dir.File("chat.db")) << "this is not sqlite";
  testing::SplitItems d = DrainSplit(IMessageFormat(), dir.File("chat.db"));
  ASSERT_FALSE(d.error.ok());
  EXPECT_NE(d.error.message().find("not a SQLite database"), std::string::npos)
      << d.error.message();

  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(dir.File("other.db").c_str(), &db), SQLITE_OK);
  Exec(db, "CREATE TABLE message (id INTEGER PRIMARY KEY, body TEXT)");
  sqlite3_close(db);
  d = DrainSplit(IMessageFormat(), dir.File("other.db"));
  ASSERT_FALSE(d.error.ok());
  EXPECT_NE(d.error.message().find("not a Messages chat.db"), std::string::npos)
      << d.error.message();
}

TEST(IMessageBody, HelpersOnEdgeCases) {
  EXPECT_FALSE(TypedStreamText("").has_value());
  EXPECT_FALSE(TypedStreamText(TypedStream("abc").substr(0, 75)).has_value());  // truncated
  EXPECT_EQ(TypedStreamText(TypedStream("")), "");
  EXPECT_EQ(AppleTimeToMicros(0), 978307200 * core::kMicrosPerSecond);
  EXPECT_EQ(NormaliseHandle("00447700900123", "US"), "+447700900123");
  EXPECT_EQ(NormaliseHandle("(555) 010-0199", "US"), "+15550100199");
  EXPECT_EQ(NormaliseHandle("chat123456", "GB"), "chat123456");
  EXPECT_EQ(TapbackName(2005), "questioned");
  EXPECT_FALSE(TapbackName(1000).has_value());
  EXPECT_EQ(TapbackTargetGuid("bp:G-9"), "G-9");
}

}  // namespace
}  // namespace custos::importers
