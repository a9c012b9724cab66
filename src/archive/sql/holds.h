// SPDX-License-Identifier: Apache-2.0
// Data access for legal holds (archive/holds.h): the `holds`, `hold_identities` and
// `hold_messages` tables, and the joins that say which conversations and messages are held.
//
// Thread-safety: free functions over the caller's transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/status.h"
#include "core/time.h"
#include "storage/database.h"

namespace custos::archive::sql {

core::Result<std::int64_t> MaxHoldId(storage::Transaction& tx);
// `person_hash` for person holds, `conversation_id` for conversation holds.
core::Status InsertHold(storage::Transaction& tx, std::int64_t id, std::int64_t record_id,
                        const std::string& scope, const std::optional<std::string>& person_hash,
                        std::optional<std::int64_t> conversation_id, core::Micros created_at);
core::Status InsertHoldIdentity(storage::Transaction& tx, std::int64_t hold_id,
                                const std::string& identity_hash);
core::Status InsertHoldMessage(storage::Transaction& tx, std::int64_t hold_id,
                               std::int64_t message_id);
// Marks hold `id` released (a no-op when it was released already).
core::Status ReleaseHold(storage::Transaction& tx, std::int64_t id, core::Micros at,
                         std::int64_t release_record_id);
// The index row of hold `id` / of every hold, oldest first, as HoldStore::FromRow reads it:
// (id, record_id, scope, conversation_id, created_at, released_at, release_record_id).
core::Result<std::optional<storage::Row>> FindHoldRow(storage::Transaction& tx, std::int64_t id);
core::Result<std::vector<storage::Row>> ListHoldRows(storage::Transaction& tx);

core::Result<bool> ConversationExists(storage::Transaction& tx, std::int64_t conversation_id);

// The conversations an active conversation or person hold covers.
core::Result<std::set<std::int64_t>> HeldConversations(storage::Transaction& tx);
// The messages in the snapshots of active query holds.
core::Result<std::set<std::int64_t>> SnapshotHeldMessages(storage::Transaction& tx);
// The record ids of active query holds, oldest first.
core::Result<std::vector<std::int64_t>> ActiveQueryHoldRecords(storage::Transaction& tx);

// How many live messages hold `hold_id` covers as a person hold / conversation
// `conversation_id` has.
core::Result<std::int64_t> CountLiveMessagesOfPersonHold(storage::Transaction& tx,
                                                         std::int64_t hold_id);
core::Result<std::int64_t> CountLiveMessagesInConversation(storage::Transaction& tx,
                                                           std::int64_t conversation_id);
// The live messages of query hold `hold_id`'s snapshot.
core::Result<std::vector<std::int64_t>> LiveSnapshotMessages(storage::Transaction& tx,
                                                             std::int64_t hold_id);

// A message's (id, conversation id), and the keyed hashes that relate it to others.
struct MessageLinks {
  std::int64_t id = 0;
  std::int64_t conversation_id = 0;
  std::string idem_hash;
  std::optional<std::string> target_hash;
};

core::Result<std::optional<MessageLinks>> FindMessageLinks(storage::Transaction& tx,
                                                           std::int64_t message_id);
// (id, conversation id) of the messages with this idempotency hash / targeting this hash.
core::Result<std::vector<std::pair<std::int64_t, std::int64_t>>> MessagesWithIdempotency(
    storage::Transaction& tx, const std::string& idem_hash);
core::Result<std::vector<std::pair<std::int64_t, std::int64_t>>> MessagesTargeting(
    storage::Transaction& tx, const std::string& idem_hash);

}  // namespace custos::archive::sql
