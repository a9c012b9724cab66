// SPDX-License-Identifier: Apache-2.0
// Checkpoints of the archive's Merkle log (docs/formats/checkpoint.md): a signed note
// committing to the log's size and root, stored in the `checkpoints` table (one row per tree
// size, never updated). A checkpoint is only written when the log has grown past the latest
// one, so checkpointing an idle log is a cheap no-op (two indexed reads, no write lock).
//
// Thread-safety: the free functions use the caller's transaction. A Checkpointer is safe to
// share between threads; checkpointers in several processes over one store are safe too (the
// write lock serialises them and each re-checks the latest size under it).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "core/time.h"
#include "crypto/signed_note.h"
#include "storage/database.h"

namespace custos::archive {

// One row of `checkpoints`.
struct StoredCheckpoint {
  std::uint64_t tree_size = 0;
  std::string root_hash;  // 32 raw bytes
  std::string note;       // the signed checkpoint note, as served
  core::Micros created_at = 0;
};

// The checkpoint with the largest tree size; nullopt when there is none.
core::Result<std::optional<StoredCheckpoint>> LatestCheckpoint(storage::Transaction& tx);

// The checkpoint at exactly `tree_size`; nullopt when there is none.
core::Result<std::optional<StoredCheckpoint>> CheckpointAt(storage::Transaction& tx,
                                                           std::uint64_t tree_size);

// Up to `limit` checkpoints with tree_size > `after_size`, smallest first (for paging).
core::Result<std::vector<StoredCheckpoint>> ListCheckpoints(storage::Transaction& tx,
                                                            std::uint64_t after_size, int limit);

// In `tx` (a write transaction; the caller commits): when the log holds more leaves than the
// latest checkpoint, signs {origin = signer.Name(), size, LogRoot(size)} and stores it with
// created_at = `now`. Returns the new checkpoint, or nullopt when the log has not grown.
// kDataLoss when the log's interior nodes are missing; storage errors pass through.
core::Result<std::optional<StoredCheckpoint>> CreateCheckpoint(storage::Transaction& tx,
                                                               const crypto::NoteSigner& signer,
                                                               core::Micros now);

class Checkpointer {
 public:
  // `db` and `clock` must outlive the Checkpointer.
  Checkpointer(storage::Database* db, crypto::NoteSigner signer, const core::Clock* clock)
      : db_(db), signer_(std::move(signer)), clock_(clock) {}

  // Checks in a read transaction whether the log has grown past the latest checkpoint; when
  // it has, runs CreateCheckpoint in its own durable write transaction. nullopt when there was
  // nothing to do. kUnavailable when the write lock could not be had within the busy timeout.
  core::Result<std::optional<StoredCheckpoint>> CreateCheckpoint() const;

  const crypto::NoteSigner& signer() const { return signer_; }

 private:
  // Immutable after construction.
  storage::Database* db_;
  const crypto::NoteSigner signer_;
  const core::Clock* clock_;
};

}  // namespace custos::archive
