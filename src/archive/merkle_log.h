// SPDX-License-Identifier: Apache-2.0
// The archive's RFC 6962 Merkle tree, persisted in the `merkle_nodes` table: the node at
// (level L, index i) is the hash of the complete subtree over leaves [i * 2^L, (i + 1) * 2^L).
// Appending a leaf stores it at level 0 and every complete subtree it closes, so any subtree
// hash, root, inclusion or consistency proof needs O(log n) reads.
// Thread-safety: free functions over the caller's transaction.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "storage/database.h"

namespace custos::archive {

// The number of leaves.
core::Result<std::uint64_t> LogSize(storage::Transaction& tx);

// Appends `leaf_hash` (32 bytes) as leaf `index`, which must equal LogSize().
core::Status LogAppend(storage::Transaction& tx, std::uint64_t index, std::string_view leaf_hash);

// The leaf hash at `index`; kNotFound beyond the tree.
core::Result<std::string> LogLeaf(storage::Transaction& tx, std::uint64_t index);

// MTH of the first `size` leaves (the empty-tree hash for 0); kInvalidArgument beyond the tree.
core::Result<std::string> LogRoot(storage::Transaction& tx, std::uint64_t size);

// RFC 6962 audit path of leaf `index` in the tree of `size` leaves, lowest level first.
core::Result<std::vector<std::string>> LogInclusionProof(storage::Transaction& tx,
                                                         std::uint64_t index, std::uint64_t size);

// RFC 6962 consistency proof between the trees of `size1` and `size2` leaves.
core::Result<std::vector<std::string>> LogConsistencyProof(storage::Transaction& tx,
                                                           std::uint64_t size1,
                                                           std::uint64_t size2);

}  // namespace custos::archive
