// SPDX-License-Identifier: Apache-2.0
// The attachment store: attachment bytes, encrypted and content-addressed (docs/archive.md).
//
// An attachment's content is stored once per SHA-256 (dedup), in the `attachments` table
// (migration 3), sealed with envelope encryption: a fresh AES-256-GCM data key wrapped by the
// current key-encryption key of the KeyRing. The row is keyed by AttachmentHash(sha256): a
// keyed hash (HMAC under the index key), so the content hash itself is never stored in clear.
// The associated data is "custos/attachment/" + hex(keyed hash), and the KeyRing binds the key
// version into both seals; so a payload cannot be moved to another row or key version.
//
// Usage by importers (the only thing they need):
//   archive::AttachmentStore& store = custos.attachments();
//   ASSIGN_OR_RETURN(model::Attachment a, store.Put(bytes, "image/jpeg", "IMG_0001.jpg"));
//   message.attachments.push_back(a);   // then ingest the message as usual
// Put before ingesting the message that lists it: MessageStore::Append links a message to the
// stored content of each attachment it lists (table `message_attachments`). An attachment
// listed without content stays metadata only. Get(sha256) returns the bytes.
//
// Disposal: when retention disposes of a message, ShredUnreferenced destroys (NULLs the data
// key and ciphertext of) each of its attachments that no live record links any more.
//
// Thread-safety: an AttachmentStore is safe to share; the Transaction overloads belong to the
// transaction's thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "core/time.h"
#include "crypto/keyring.h"
#include "model/message.h"
#include "storage/database.h"

namespace custos::archive {

// The largest attachment Put accepts (SQLite keeps a blob in one row).
inline constexpr std::size_t kMaxAttachmentBytes = std::size_t{256} << 20;

class AttachmentStore {
 public:
  AttachmentStore(storage::Database* db, const crypto::KeyRing* keys, const core::Clock* clock)
      : db_(db), keys_(keys), clock_(clock) {}

  // Stores `bytes` (unless content with the same SHA-256 is stored already) and returns the
  // attachment's metadata {name, mime, size, sha256 (lowercase hex)} to put on a message.
  // Commits its own write transaction: when Put returns, the content is durable.
  // kInvalidArgument when bytes exceed kMaxAttachmentBytes; storage and key errors otherwise.
  core::Result<model::Attachment> Put(std::string_view bytes, std::string_view mime,
                                      std::string_view name);

  // As Put, inside the caller's write transaction.
  core::Result<model::Attachment> Put(storage::Transaction& tx, std::string_view bytes,
                                      std::string_view mime, std::string_view name);

  // The content whose SHA-256 is `sha256` (lowercase or uppercase hex). kNotFound when none is
  // stored; kFailedPrecondition when it was crypto-shredded; kDataLoss when its tag fails or
  // its bytes do not hash to `sha256`.
  core::Result<std::string> Get(std::string_view sha256) const;

  // Whether content for `sha256` is stored (and not shredded).
  core::Result<bool> Has(std::string_view sha256) const;

 private:
  storage::Database* db_;
  const crypto::KeyRing* keys_;
  const core::Clock* clock_;
};

// The associated data of an attachment row keyed by `content_hash` (AttachmentHash).
std::string AttachmentAad(std::string_view content_hash);

// Links message `message_id` to the stored content of each of `attachments` that has some.
core::Status LinkAttachments(storage::Transaction& tx, const crypto::KeyRing& keys,
                             std::int64_t message_id,
                             const std::vector<model::Attachment>& attachments);

// Crypto-shreds the attachments linked to message `message_id` that no message with a live
// (not disposed of) record links any more. Returns how many were shredded.
core::Result<std::int64_t> ShredUnreferencedAttachments(storage::Transaction& tx,
                                                        std::int64_t message_id, core::Micros at);

}  // namespace custos::archive
