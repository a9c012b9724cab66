// SPDX-License-Identifier: Apache-2.0
// Data access for the `attachments` and `message_attachments` tables
// (archive/attachment_store.h): content keyed by the keyed hash of its SHA-256, sealed, and
// crypto-shredded (key and ciphertext set to NULL) when no live record links it.
//
// Thread-safety: free functions over the caller's transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "core/time.h"
#include "crypto/keyring.h"
#include "storage/database.h"

namespace custos::archive::sql {

// The stored content under `content_hash`: its row id and sealed bytes (empty envelope and
// `shredded` set when it was crypto-shredded). nullopt when there is none.
struct StoredAttachment {
  std::int64_t id = 0;
  crypto::Envelope envelope;
  bool shredded = false;
};

core::Result<std::optional<StoredAttachment>> FindAttachment(storage::Transaction& tx,
                                                             const std::string& content_hash);

core::Status InsertAttachment(storage::Transaction& tx, const std::string& content_hash,
                              const crypto::Envelope& sealed, core::Micros created_at);

// Stores content again for a row that was shredded.
core::Status RestoreAttachment(storage::Transaction& tx, std::int64_t id,
                               const crypto::Envelope& sealed);

// Whether live (not shredded) content is stored under `content_hash`.
core::Result<bool> HasLiveAttachment(storage::Transaction& tx, const std::string& content_hash);

// Links message `message_id` to the live content under `content_hash`; nothing when there is
// none or the link exists (SQLite: INSERT OR IGNORE).
core::Status LinkAttachment(storage::Transaction& tx, std::int64_t message_id,
                            const std::string& content_hash);

// The live attachments of message `message_id` that no live record links any more.
core::Result<std::vector<std::int64_t>> UnreferencedAttachments(storage::Transaction& tx,
                                                                std::int64_t message_id);

// Crypto-shreds attachment `id` at `at`.
core::Status ShredAttachment(storage::Transaction& tx, std::int64_t id, core::Micros at);

}  // namespace custos::archive::sql
