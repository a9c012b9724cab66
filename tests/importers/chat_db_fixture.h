// SPDX-License-Identifier: Apache-2.0
// A macOS Messages chat.db for tests: tests/data/importers/imessage/chat.sql (the real schema, a
// subset of the columns, and rows for each pitfall of docs/formats/imessage.md: Apple-epoch seconds
// and nanoseconds, text only in attributedBody, every tapback and its removal, a group chat, SMS
// chats, attachments present and missing) loaded into a real SQLite file with the sqlite3 C API.
#pragma once

#include <string>

#include "testing/temp_dir.h"

struct sqlite3;

namespace custos::importers {

// An NSAttributedString archived by NSArchiver, as Ventura writes attributedBody (the blobs in
// chat.sql are this function's output, as hex).
std::string TypedStream(const std::string& text);

// Runs `sql` on `db`; a gtest failure when it fails.
void Exec(sqlite3* db, const std::string& sql);

// <source>/tests/data/importers/imessage/<name>.
std::string IMessageFixture(const std::string& name);

// Writes DIR/chat.db from chat.sql (and copies DIR/Attachments/...) and returns the chat.db path.
std::string BuildChatDb(const custos::testing::TempDir& dir);

}  // namespace custos::importers
