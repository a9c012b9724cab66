// SPDX-License-Identifier: Apache-2.0
// Data access for the `records` table (archive/records.h) and for the `checkpoints` table
// (archive/checkpointer.h): the archive's log entries and its signed checkpoints.
//
// Thread-safety: free functions over the caller's transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "archive/checkpointer.h"
#include "archive/records.h"
#include "core/status.h"
#include "crypto/keyring.h"
#include "storage/database.h"

namespace custos::archive::sql {

// The highest record id, 0 when there are none.
core::Result<std::int64_t> MaxRecordId(storage::Transaction& tx);

core::Status InsertRecord(storage::Transaction& tx, std::int64_t id, std::string_view kind,
                          core::Micros at, const std::string& leaf_hash,
                          const crypto::Envelope& sealed);

// The metadata of record `id`, or nullopt.
core::Result<std::optional<RecordInfo>> FindRecordInfo(storage::Transaction& tx, std::int64_t id);

// The sealed payload of record `id`: nullopt when there is no such record; an envelope with
// `disposed` set when it was crypto-shredded.
struct SealedRecord {
  crypto::Envelope envelope;
  bool disposed = false;
};

core::Result<std::optional<SealedRecord>> FindSealedRecord(storage::Transaction& tx,
                                                           std::int64_t id);

// Checkpoints.
core::Result<std::optional<StoredCheckpoint>> FindLatestCheckpoint(storage::Transaction& tx);
core::Result<std::optional<StoredCheckpoint>> FindCheckpoint(storage::Transaction& tx,
                                                             std::uint64_t tree_size);
core::Result<std::vector<StoredCheckpoint>> ListCheckpoints(storage::Transaction& tx,
                                                            std::uint64_t after_size, int limit);
// The latest checkpoint's tree size, 0 when there is none.
core::Result<std::uint64_t> LatestCheckpointSize(storage::Transaction& tx);
core::Status InsertCheckpoint(storage::Transaction& tx, const StoredCheckpoint& cp);

}  // namespace custos::archive::sql
