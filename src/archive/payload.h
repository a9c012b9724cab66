// SPDX-License-Identifier: Apache-2.0
// The sealed payloads of the archive: what is encrypted for a message, a conversation and a
// participant, and the keyed hashes (with their domain-separation prefixes) stored in clear.
// Internal to the archive module.
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"
#include "crypto/keyring.h"
#include "model/message.h"
#include "storage/database.h"

namespace custos::archive {

// The message in the canonical bytes of a `message` record (docs/formats/records.md).
// kDataLoss when the bytes are not such a record.
core::Result<model::Message> DecodeMessageRecord(std::string_view canonical_bytes);

// The prefix of the idempotency keys of `principal` (model::Message::principal): "" for the
// importers, else the principal and U+001E. Keys of different principals never collide.
std::string IdempotencyNamespace(std::string_view principal);

// Keyed hashes, each with its own domain so equal strings in different roles differ.
std::string IdempotencyHash(const crypto::KeyRing& keys, std::string_view idempotency_key);
std::string IdentityHash(const crypto::KeyRing& keys, std::string_view handle);
std::string ConversationHash(const crypto::KeyRing& keys, std::string_view channel,
                             std::string_view key);
// The idempotency key of the message an event points at (in the event's principal's namespace).
std::string TargetHash(const crypto::KeyRing& keys, std::string_view principal,
                       std::string_view source, std::string_view target_source_id);

// The `actor` column of a device event: a keyed hash ("h:" + hex) of the actor, whose name is
// only in the sealed `device_event` record (docs/devices.md, "Storage").
std::string DeviceActorHash(const crypto::KeyRing& keys, std::string_view actor);

// The key of an attachment's stored content: a keyed hash of its SHA-256 (lowercase hex).
std::string AttachmentHash(const crypto::KeyRing& keys, std::string_view sha256_hex);

// Normalises a handle for identity hashing: trimmed, ASCII lower case, and for phone-like
// handles spaces, dashes, dots and parentheses removed.
std::string NormaliseHandle(std::string_view handle);

// Associated data binding a sealed payload to its table and row id.
std::string RecordAad(std::string_view table, std::int64_t id);

// Opens the envelope stored in columns (key_version, wrapped_key, payload) starting at
// `first_col` of `row`, sealed for `table` and `aad_id`. kDataLoss when a tag fails.
core::Result<std::string> OpenColumns(const crypto::KeyRing& keys, std::string_view table,
                                      std::int64_t aad_id, const storage::Row& row,
                                      std::size_t first_col);

// A message from a row of the columns sql::kMessageSelect selects (archive/sql/messages.h:
// messages.id, the record's key_version, wrapped_key and payload, conversation_id, record id).
// kFailedPrecondition when its record was disposed of.
core::Result<model::Message> MessageFromRow(const crypto::KeyRing& keys, const storage::Row& row);

}  // namespace custos::archive
