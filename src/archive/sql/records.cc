// SPDX-License-Identifier: Apache-2.0
#include "archive/sql/records.h"

namespace custos::archive::sql {
namespace {

constexpr std::string_view kSelectCheckpoint =
    "SELECT tree_size, root_hash, note, created_at FROM checkpoints";

StoredCheckpoint CheckpointOf(const storage::Row& row) {
  return StoredCheckpoint{static_cast<std::uint64_t>(row.Int(0)), row.Text(1), row.Text(2),
                          row.Int(3)};
}

std::optional<StoredCheckpoint> FirstCheckpoint(const std::vector<storage::Row>& rows) {
  if (rows.empty()) {
    return std::nullopt;
  }
  return CheckpointOf(rows[0]);
}

}  // namespace

core::Result<std::int64_t> MaxRecordId(storage::Transaction& tx) {
  ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT COALESCE(MAX(id), 0) FROM records"));
  return rows[0].Int(0);
}

core::Status InsertRecord(storage::Transaction& tx, std::int64_t id, std::string_view kind,
                          core::Micros at, const std::string& leaf_hash,
                          const crypto::Envelope& sealed) {
  return tx.Execute(
      "INSERT INTO records (id, kind, created_at, leaf_hash, key_version, wrapped_key, payload)"
      " VALUES (?, ?, ?, ?, ?, ?, ?)",
      {id, std::string(kind), at, storage::Blob{leaf_hash}, std::int64_t{sealed.key_version},
       storage::Blob{sealed.wrapped_key}, storage::Blob{sealed.ciphertext}});
}

core::Result<std::optional<RecordInfo>> FindRecordInfo(storage::Transaction& tx, std::int64_t id) {
  ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT id, kind, created_at, leaf_hash, payload IS NULL"
                                       " FROM records WHERE id = ?",
                                       {id}));
  if (rows.empty()) {
    return std::optional<RecordInfo>();
  }
  const storage::Row& r = rows[0];
  return std::optional<RecordInfo>(
      RecordInfo{r.Int(0), r.Text(1), r.Int(2), r.Text(3), r.Int(4) != 0});
}

core::Result<std::optional<SealedRecord>> FindSealedRecord(storage::Transaction& tx,
                                                           std::int64_t id) {
  ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT key_version, wrapped_key, payload, payload IS NULL"
                                       " FROM records WHERE id = ?",
                                       {id}));
  if (rows.empty()) {
    return std::optional<SealedRecord>();
  }
  return std::optional<SealedRecord>(SealedRecord{
      {static_cast<int>(rows[0].Int(0)), rows[0].Text(1), rows[0].Text(2)}, rows[0].Int(3) != 0});
}

core::Result<std::optional<StoredCheckpoint>> FindLatestCheckpoint(storage::Transaction& tx) {
  ASSIGN_OR_RETURN(auto rows,
                   tx.Query(std::string(kSelectCheckpoint) + " ORDER BY tree_size DESC LIMIT 1"));
  return FirstCheckpoint(rows);
}

core::Result<std::optional<StoredCheckpoint>> FindCheckpoint(storage::Transaction& tx,
                                                             std::uint64_t tree_size) {
  ASSIGN_OR_RETURN(auto rows, tx.Query(std::string(kSelectCheckpoint) + " WHERE tree_size = ?",
                                       {static_cast<std::int64_t>(tree_size)}));
  return FirstCheckpoint(rows);
}

core::Result<std::vector<StoredCheckpoint>> ListCheckpoints(storage::Transaction& tx,
                                                            std::uint64_t after_size, int limit) {
  std::vector<StoredCheckpoint> out;
  RETURN_IF_ERROR(tx.QueryEach(
      std::string(kSelectCheckpoint) + " WHERE tree_size > ? ORDER BY tree_size LIMIT ?",
      {static_cast<std::int64_t>(after_size), std::int64_t{limit}},
      [&out](const storage::Row& row) {
        out.push_back(CheckpointOf(row));
        return true;
      }));
  return out;
}

core::Result<std::uint64_t> LatestCheckpointSize(storage::Transaction& tx) {
  ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT COALESCE(MAX(tree_size), 0) FROM checkpoints"));
  return static_cast<std::uint64_t>(rows[0].Int(0));
}

core::Status InsertCheckpoint(storage::Transaction& tx, const StoredCheckpoint& cp) {
  return tx.Execute(
      "INSERT INTO checkpoints (tree_size, root_hash, note, created_at) VALUES (?, ?, ?, ?)",
      {static_cast<std::int64_t>(cp.tree_size), storage::Blob{cp.root_hash}, cp.note,
       cp.created_at});
}

}  // namespace custos::archive::sql
