// SPDX-License-Identifier: Apache-2.0
// A macOS Messages chat.db built for tests, with the real schema (a subset of the columns) and
// rows for each pitfall of docs/formats/imessage.md: Apple-epoch seconds and nanoseconds, text
// only in attributedBody, tapbacks, a group chat, an SMS chat, attachments present and missing.
#pragma once

#include <string>

#include "testing/temp_dir.h"

struct sqlite3;

namespace custos::importers {

// An NSAttributedString archived by NSArchiver, as Ventura writes attributedBody.
std::string TypedStream(const std::string& text);

// Runs `sql` on `db`; a gtest failure when it fails.
void Exec(sqlite3* db, const std::string& sql);

// Writes DIR/chat.db (and DIR/Attachments/...) and returns the chat.db path.
std::string BuildChatDb(const custos::testing::TempDir& dir);

}  // namespace custos::importers
