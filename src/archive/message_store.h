// SPDX-License-Identifier: Apache-2.0
// The message archive: stores each message once (by its idempotency key), encrypted with
// envelope encryption, and reads it back. Only non-sensitive metadata is stored in clear
// (channel, kind, direction, times, internal ids); handles, conversation keys and the
// idempotency key are stored as keyed hashes (KeyRing::IndexHash), text and names only as
// ciphertext. There is no update or delete.
//
// Thread-safety: a MessageStore is safe to share; write calls take the caller's transaction.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "core/time.h"
#include "crypto/keyring.h"
#include "model/directory.h"
#include "model/message.h"
#include "storage/database.h"

namespace custos::archive {

struct AppendOutcome {
  bool duplicate = false;
  std::int64_t id = 0;  // the stored id (the existing one for a duplicate)
};

// A keyset cursor for newest-first pages: the (time, id) of the last item returned.
struct PageCursor {
  core::Micros time = 0;
  std::int64_t id = 0;
};

std::string EncodeCursor(const PageCursor& cursor);
core::Result<PageCursor> DecodeCursor(std::string_view text);

template <typename T>
struct Page {
  std::vector<T> items;
  std::optional<PageCursor> next;  // set when more items may follow
};

struct ExportFilter {
  std::optional<std::string> channel;
  std::optional<std::int64_t> conversation_id;
  std::optional<core::Micros> after;   // sent_at >= after
  std::optional<core::Micros> before;  // sent_at < before
};

// The idempotency key of `m`: source and source id, or for a source without ids a fingerprint
// of what the message says (the same content from the same sender at the same time in the same
// conversation is the same message). Only its keyed hash is stored; `custos verify` recomputes
// it from the sealed record, so this is the one place that defines it.
std::string MessageIdempotencyKey(const model::Message& m);

// Which conversations to list; every filter given must hold.
struct ConversationFilter {
  std::optional<std::string> channel;
  // Someone with one of these identity hashes takes part; unset: anyone.
  std::optional<std::vector<std::string>> participant_hashes;
  // And someone with one of these takes part too (a reviewer's scope, app/content_scope.h).
  std::optional<std::vector<std::string>> scope_hashes;
  std::optional<core::Micros> since;  // active at or after: last_message_at >= since
  std::optional<core::Micros> until;  // active before: first_message_at < until
};

class MessageStore {
 public:
  MessageStore(storage::Database* db, const crypto::KeyRing* keys, const core::Clock* clock)
      : db_(db), keys_(keys), clock_(clock) {}

  // Appends each message of `batch` inside `tx` unless a message with the same idempotency
  // key is stored already (then the outcome is a duplicate with the existing id). Assigns ids
  // to new messages (written back into `batch`) and updates their conversations. Also
  // deduplicates within the batch. Errors leave `tx` to be rolled back by the caller.
  core::Result<std::vector<AppendOutcome>> Append(storage::Transaction& tx,
                                                  std::vector<model::Message>& batch);

  // The message with `id`, decrypted; nullopt when there is none; kFailedPrecondition when it
  // was disposed of at the end of its retention (only its leaf hash and metadata remain).
  core::Result<std::optional<model::Message>> Get(std::int64_t id) const;

  // Messages by id in the order given, skipping ids that do not exist or were disposed of.
  core::Result<std::vector<model::Message>> GetMany(const std::vector<std::int64_t>& ids) const;

  // Conversations, most recently active first.
  core::Result<Page<model::Conversation>> ListConversations(std::optional<PageCursor> after,
                                                            int limit) const;
  core::Result<Page<model::Conversation>> ListConversations(const ConversationFilter& filter,
                                                            std::optional<PageCursor> after,
                                                            int limit) const;

  core::Result<std::optional<model::Conversation>> GetConversation(std::int64_t id) const;

  // A conversation's messages and events, newest first. Reads, exports and histories skip
  // messages disposed of at the end of their retention.
  core::Result<Page<model::Message>> ListMessages(std::int64_t conversation_id,
                                                  std::optional<PageCursor> after, int limit) const;

  // Streams matching messages and events oldest first (by sent_at, then id); stops when `fn`
  // returns false.
  core::Status ExportEach(const ExportFilter& filter,
                          const std::function<bool(const model::Message&)>& fn) const;

  // The conversation id for a conversation id-or-key as a user types it (a number, or the
  // source key); nullopt when unknown.
  core::Result<std::optional<std::int64_t>> ResolveConversation(std::string_view text) const;

  core::Result<std::int64_t> CountMessages() const;

  // The message `id` followed by every event about it (edits, deletions, reactions), oldest
  // first by sent_at then id: the original and each later version with source, time and actor.
  // kNotFound when there is no such message; kFailedPrecondition when it was disposed of; for
  // an event id, the history of its target.
  core::Result<std::vector<model::Message>> History(std::int64_t id) const;

 private:
  storage::Database* db_;
  const crypto::KeyRing* keys_;
  const core::Clock* clock_;
};

}  // namespace custos::archive
