// SPDX-License-Identifier: Apache-2.0
// Data access for the iMessage importer (importers/imessage.h): the queries over Apple's
// Messages chat.db, a foreign schema custos does not own (tables message, handle, chat,
// chat_message_join, chat_handle_join, attachment, message_attachment_join), read through
// storage/foreign_sqlite.h. Rows come back undecoded; SQLite's dynamic typing means a column
// may hold any type, so the caller reads them leniently.
//
// Thread-safety: free functions over the caller's ForeignSqlite (one thread at a time).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/status.h"
#include "storage/database.h"
#include "storage/foreign_sqlite.h"

namespace custos::importers::sql {

// Called for each row; false stops the scan.
using ChatDbRowFn = std::function<bool(const storage::Row&)>;

// The message query for a chat.db whose `message` table has `message_columns`
// (ForeignSqlite::Columns): columns every chat.db since macOS 10.x has are always selected,
// newer ones when present and NULL (date_edited: 0) otherwise. Its rows, for EachMessageAfter:
//   0 m.ROWID, 1 m.guid, 2 m.text, 3 m.handle_id, 4 m.date, 5 m.is_from_me, 6 m.service,
//   7 h.id (the handle), 8 c.ROWID, 9 c.guid (the chat), 10 attributedBody,
//   11 associated_message_guid, 12 associated_message_type, 13 message_summary_info,
//   14 date_edited, 15 thread_originator_guid.
std::string MessageQuery(const std::vector<std::string>& message_columns);

// Up to `limit` rows of `message_query` (from MessageQuery) with ROWID > `after_rowid`, by
// ROWID.
core::Status EachMessageAfter(storage::ForeignSqlite& db, const std::string& message_query,
                              std::int64_t after_rowid, std::int64_t limit, const ChatDbRowFn& fn);

// The handles (h.id) of the members of chat `chat_rowid`, by handle ROWID.
core::Status EachChatMember(storage::ForeignSqlite& db, std::int64_t chat_rowid,
                            const ChatDbRowFn& fn);

// The attachments of message `message_rowid`, by attachment ROWID: filename, mime_type,
// transfer_name, total_bytes.
core::Status EachMessageAttachment(storage::ForeignSqlite& db, std::int64_t message_rowid,
                                   const ChatDbRowFn& fn);

}  // namespace custos::importers::sql
