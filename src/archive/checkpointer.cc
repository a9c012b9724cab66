// SPDX-License-Identifier: Apache-2.0
#include "archive/checkpointer.h"

#include "archive/merkle_log.h"
#include "archive/sql/records.h"
#include "crypto/checkpoint.h"

namespace custos::archive {
namespace {

// True when the log holds leaves that no checkpoint covers.
core::Result<bool> HasNewLeaves(storage::Transaction& tx) {
  ASSIGN_OR_RETURN(const std::uint64_t size, LogSize(tx));
  ASSIGN_OR_RETURN(const std::uint64_t latest, sql::LatestCheckpointSize(tx));
  return size > latest;
}

}  // namespace

core::Result<std::optional<StoredCheckpoint>> LatestCheckpoint(storage::Transaction& tx) {
  return sql::FindLatestCheckpoint(tx);
}

core::Result<std::optional<StoredCheckpoint>> CheckpointAt(storage::Transaction& tx,
                                                           std::uint64_t tree_size) {
  return sql::FindCheckpoint(tx, tree_size);
}

core::Result<std::vector<StoredCheckpoint>> ListCheckpoints(storage::Transaction& tx,
                                                            std::uint64_t after_size, int limit) {
  return sql::ListCheckpoints(tx, after_size, limit);
}

core::Result<std::optional<StoredCheckpoint>> CreateCheckpoint(storage::Transaction& tx,
                                                               const crypto::NoteSigner& signer,
                                                               core::Micros now) {
  ASSIGN_OR_RETURN(const std::uint64_t size, LogSize(tx));
  ASSIGN_OR_RETURN(const std::uint64_t latest, sql::LatestCheckpointSize(tx));
  if (size <= latest) {
    return std::optional<StoredCheckpoint>();
  }
  StoredCheckpoint cp;
  cp.tree_size = size;
  cp.created_at = now;
  ASSIGN_OR_RETURN(cp.root_hash, LogRoot(tx, size));
  ASSIGN_OR_RETURN(cp.note,
                   crypto::SignCheckpoint({signer.Name(), size, cp.root_hash, {}}, signer));
  RETURN_IF_ERROR(sql::InsertCheckpoint(tx, cp));
  return std::optional<StoredCheckpoint>(std::move(cp));
}

core::Result<std::optional<StoredCheckpoint>> Checkpointer::CreateCheckpoint() const {
  {
    ASSIGN_OR_RETURN(auto read, db_->Begin(storage::TxMode::kRead));
    ASSIGN_OR_RETURN(const bool grown, HasNewLeaves(*read));
    if (!grown) {
      return std::optional<StoredCheckpoint>();
    }
  }
  ASSIGN_OR_RETURN(auto tx, db_->Begin(storage::TxMode::kWrite));
  ASSIGN_OR_RETURN(std::optional<StoredCheckpoint> cp,
                   archive::CreateCheckpoint(*tx, signer_, clock_->Now()));
  if (cp) {
    RETURN_IF_ERROR(tx->Commit());
  }
  return cp;
}

}  // namespace custos::archive
