// SPDX-License-Identifier: Apache-2.0
// Data access for the Merkle log's node table `merkle_nodes` (archive/merkle_log.h): node
// (level, idx) holds the hash of a complete subtree; level 0 holds the leaves.
//
// Thread-safety: free functions over the caller's transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/status.h"
#include "storage/database.h"

namespace custos::archive::sql {

// The hash stored at (level, idx), or nullopt.
core::Result<std::optional<std::string>> FindMerkleNode(storage::Transaction& tx, int level,
                                                        std::uint64_t idx);

// Stores the hash of (level, idx); kAlreadyExists when that node is stored.
core::Status InsertMerkleNode(storage::Transaction& tx, int level, std::uint64_t idx,
                              const std::string& hash);

// The number of leaves (one more than the highest level-0 index; 0 for an empty log).
core::Result<std::uint64_t> CountMerkleLeaves(storage::Transaction& tx);

}  // namespace custos::archive::sql
