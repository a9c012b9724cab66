// SPDX-License-Identifier: Apache-2.0
// Data access for the read side of the message store (archive/message_reads.cc): conversation
// and message pages, export streams and message history. Rows come back undecoded; the sealed
// columns are opened by archive::MessageFromRow / OpenColumns (archive/payload.h).
//
// Thread-safety: free functions over the caller's transaction.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "archive/message_store.h"
#include "core/status.h"
#include "storage/database.h"

namespace custos::archive::sql {

// Conversation rows: (id, channel, key_version, wrapped_key, payload, message_count,
// first_message_at, last_message_at); newest activity first, after the keyset cursor.
core::Result<std::vector<storage::Row>> ConversationRows(storage::Transaction& tx,
                                                         const ConversationFilter& filter,
                                                         std::optional<PageCursor> after,
                                                         std::int64_t limit);
core::Result<std::optional<storage::Row>> FindConversationRow(storage::Transaction& tx,
                                                              std::int64_t id);
// The sealed handles (key_version, wrapped_key, payload) of a conversation's participants.
core::Result<std::vector<storage::Row>> ParticipantRows(storage::Transaction& tx,
                                                        std::int64_t conversation_id);
// The channels conversations exist in.
core::Result<std::vector<std::string>> ConversationChannels(storage::Transaction& tx);

// Live message rows (sql::kMessageSelect columns) of a conversation, newest first.
core::Result<std::vector<storage::Row>> ConversationMessageRows(storage::Transaction& tx,
                                                                std::int64_t conversation_id,
                                                                std::optional<PageCursor> after,
                                                                std::int64_t limit);
// Streams the live message rows matching `filter`, oldest first; stops when `fn` says false.
core::Status EachExportRow(storage::Transaction& tx, const ExportFilter& filter,
                           const std::function<bool(const storage::Row&)>& fn);
// The live message stored under the keyed idempotency hash `idem_hash`, if any.
core::Result<std::optional<storage::Row>> FindLiveMessageRowByIdempotency(
    storage::Transaction& tx, const std::string& idem_hash);
// The live messages whose target hash is `target_hash` (events about one message), oldest first.
core::Result<std::vector<storage::Row>> LiveMessageRowsTargeting(storage::Transaction& tx,
                                                                 const std::string& target_hash);

}  // namespace custos::archive::sql
