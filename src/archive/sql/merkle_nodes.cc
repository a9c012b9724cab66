// SPDX-License-Identifier: Apache-2.0
#include "archive/sql/merkle_nodes.h"

namespace custos::archive::sql {

core::Result<std::optional<std::string>> FindMerkleNode(storage::Transaction& tx, int level,
                                                        std::uint64_t idx) {
  ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT hash FROM merkle_nodes WHERE level = ? AND idx = ?",
                                       {std::int64_t{level}, static_cast<std::int64_t>(idx)}));
  if (rows.empty()) {
    return std::optional<std::string>();
  }
  return std::optional<std::string>(rows[0].Text(0));
}

core::Status InsertMerkleNode(storage::Transaction& tx, int level, std::uint64_t idx,
                              const std::string& hash) {
  return tx.Execute("INSERT INTO merkle_nodes (level, idx, hash) VALUES (?, ?, ?)",
                    {std::int64_t{level}, static_cast<std::int64_t>(idx), storage::Blob{hash}});
}

core::Result<std::uint64_t> CountMerkleLeaves(storage::Transaction& tx) {
  ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT COALESCE(MAX(idx) + 1, 0) FROM merkle_nodes"
                                       " WHERE level = 0"));
  return static_cast<std::uint64_t>(rows[0].Int(0));
}

}  // namespace custos::archive::sql
