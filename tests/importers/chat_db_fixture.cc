// SPDX-License-Identifier: Apache-2.0
#include "importers/chat_db_fixture.h"

#include <cstdint>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <sqlite3.h>

namespace custos::importers {
namespace {

namespace fs = std::filesystem;

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
}  // namespace

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

namespace {

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

}  // namespace

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

}  // namespace custos::importers
