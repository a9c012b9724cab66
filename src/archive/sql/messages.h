// SPDX-License-Identifier: Apache-2.0
// Data access for the `messages` table (archive/message_store.h): the metadata row of each
// archived message, whose content is its sealed record.
//
// Thread-safety: free functions over the caller's transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "core/time.h"
#include "crypto/keyring.h"
#include "storage/database.h"

namespace custos::archive::sql {

// The columns archive::MessageFromRow reads, joined from messages (m) and records (r); the
// message-row queries here and in message_reads.h append their WHERE clause to it.
inline constexpr std::string_view kMessageSelect =
    "SELECT m.id, r.key_version, r.wrapped_key, r.payload, m.conversation_id, r.id"
    " FROM messages m JOIN records r ON r.id = m.record_id";

// Conversations (secrets sealed in `sealed`; looked up by the keyed hash of their key).
core::Result<std::optional<std::int64_t>> FindConversationId(storage::Transaction& tx,
                                                             const std::string& key_hash);
core::Result<std::int64_t> MaxConversationId(storage::Transaction& tx);
core::Status InsertConversation(storage::Transaction& tx, std::int64_t id,
                                const std::string& key_hash, const std::string& channel,
                                const crypto::Envelope& sealed, core::Micros sent_at);
// Adds `count` messages sent between `first` and `last` to the conversation's counters.
core::Status AddConversationCounts(storage::Transaction& tx, std::int64_t id, std::int64_t count,
                                   core::Micros first, core::Micros last);
core::Result<bool> ParticipantExists(storage::Transaction& tx, std::int64_t conversation_id,
                                     const std::string& identity_hash);
core::Status InsertParticipant(storage::Transaction& tx, std::int64_t conversation_id,
                               const std::string& identity_hash, const crypto::Envelope& sealed);

// Messages.
core::Result<std::int64_t> MaxMessageId(storage::Transaction& tx);
core::Result<std::int64_t> CountMessages(storage::Transaction& tx);
// The id of the message stored under the keyed idempotency hash, or nullopt.
core::Result<std::optional<std::int64_t>> FindMessageIdByIdempotency(storage::Transaction& tx,
                                                                     const std::string& idem_hash);

struct MessageRow {
  std::int64_t id = 0;
  std::int64_t record_id = 0;
  std::string idem_hash;
  std::int64_t conversation_id = 0;
  std::string channel;
  std::string kind;
  std::string direction;
  core::Micros sent_at = 0;
  core::Micros committed_at = 0;
  std::string sender_hash;
  std::optional<std::string> target_hash;
};

core::Status InsertMessage(storage::Transaction& tx, const MessageRow& row);
// The row archive::MessageFromRow reads for message `id` (nullopt when absent; with
// `live_only`, also when its record was disposed of).
core::Result<std::optional<storage::Row>> FindMessageContentRow(storage::Transaction& tx,
                                                                std::int64_t id, bool live_only);

// The ids of the messages whose record still holds its payload (not disposed of), ascending.
core::Result<std::vector<std::int64_t>> ListLiveMessageIds(storage::Transaction& tx);

// The record id of message `message_id`, or nullopt when there is no such message.
core::Result<std::optional<std::int64_t>> FindMessageRecordId(storage::Transaction& tx,
                                                              std::int64_t message_id);

}  // namespace custos::archive::sql
