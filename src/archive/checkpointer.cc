// SPDX-License-Identifier: Apache-2.0
#include "archive/checkpointer.h"

#include "archive/merkle_log.h"
#include "crypto/checkpoint.h"

namespace custos::archive {
namespace {

constexpr std::string_view kSelect =
    "SELECT tree_size, root_hash, note, created_at FROM checkpoints";

StoredCheckpoint FromRow(const storage::Row& row) {
  return StoredCheckpoint{static_cast<std::uint64_t>(row.Int(0)), row.Text(1), row.Text(2),
                          row.Int(3)};
}

core::Result<std::optional<StoredCheckpoint>> First(std::vector<storage::Row> rows) {
  if (rows.empty()) {
    return std::optional<StoredCheckpoint>();
  }
  return std::optional<StoredCheckpoint>(FromRow(rows[0]));
}

// The latest checkpoint's size, 0 when there is none.
core::Result<std::uint64_t> LatestSize(storage::Transaction& tx) {
  ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT COALESCE(MAX(tree_size), 0) FROM checkpoints"));
  return static_cast<std::uint64_t>(rows[0].Int(0));
}

// True when the log holds leaves that no checkpoint covers.
core::Result<bool> HasNewLeaves(storage::Transaction& tx) {
  ASSIGN_OR_RETURN(const std::uint64_t size, LogSize(tx));
  ASSIGN_OR_RETURN(const std::uint64_t latest, LatestSize(tx));
  return size > latest;
}

}  // namespace

core::Result<std::optional<StoredCheckpoint>> LatestCheckpoint(storage::Transaction& tx) {
  ASSIGN_OR_RETURN(auto rows, tx.Query(std::string(kSelect) + " ORDER BY tree_size DESC LIMIT 1"));
  return First(std::move(rows));
}

core::Result<std::optional<StoredCheckpoint>> CheckpointAt(storage::Transaction& tx,
                                                           std::uint64_t tree_size) {
  ASSIGN_OR_RETURN(auto rows, tx.Query(std::string(kSelect) + " WHERE tree_size = ?",
                                       {static_cast<std::int64_t>(tree_size)}));
  return First(std::move(rows));
}

core::Result<std::vector<StoredCheckpoint>> ListCheckpoints(storage::Transaction& tx,
                                                            std::uint64_t after_size, int limit) {
  std::vector<StoredCheckpoint> out;
  RETURN_IF_ERROR(
      tx.QueryEach(std::string(kSelect) + " WHERE tree_size > ? ORDER BY tree_size LIMIT ?",
                   {static_cast<std::int64_t>(after_size), std::int64_t{limit}},
                   [&out](const storage::Row& row) {
                     out.push_back(FromRow(row));
                     return true;
                   }));
  return out;
}

core::Result<std::optional<StoredCheckpoint>> CreateCheckpoint(storage::Transaction& tx,
                                                               const crypto::NoteSigner& signer,
                                                               core::Micros now) {
  ASSIGN_OR_RETURN(const std::uint64_t size, LogSize(tx));
  ASSIGN_OR_RETURN(const std::uint64_t latest, LatestSize(tx));
  if (size <= latest) {
    return std::optional<StoredCheckpoint>();
  }
  StoredCheckpoint cp;
  cp.tree_size = size;
  cp.created_at = now;
  ASSIGN_OR_RETURN(cp.root_hash, LogRoot(tx, size));
  ASSIGN_OR_RETURN(cp.note,
                   crypto::SignCheckpoint({signer.Name(), size, cp.root_hash, {}}, signer));
  RETURN_IF_ERROR(tx.Execute(
      "INSERT INTO checkpoints (tree_size, root_hash, note, created_at) VALUES (?, ?, ?, ?)",
      {static_cast<std::int64_t>(size), storage::Blob{cp.root_hash}, cp.note, now}));
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
