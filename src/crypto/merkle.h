// SPDX-License-Identifier: Apache-2.0
// RFC 6962 / RFC 9162 Merkle tree hashing, inclusion proofs and consistency proofs: the math
// behind the archive's tamper-evident log. All hashes are 32 raw SHA-256 bytes:
//   LeafHash(d)    = SHA-256(0x00 || d)
//   NodeHash(l, r) = SHA-256(0x01 || l || r)
//   MTH({})        = SHA-256("")
//   MTH(D[n])      = NodeHash(MTH(D[0:k]), MTH(D[k:n])), k the largest power of two below n
// The tree is not a perfect binary tree and the last node is never duplicated.
//
// Proof generation reads the tree through a SubtreeHashFn, so a store that keeps interior
// hashes (tiles) can answer in O(log n); SubtreeHashesFromLeaves() builds one that hashes leaves
// on demand (O(n) per proof). Verification follows RFC 9162 §2.1.3.2 and §2.1.4.2 exactly and
// returns kInvalidArgument for impossible parameters (index past the tree, size1 > size2,
// size1 == 0, a leaf hash that is not 32 bytes) and kDataLoss when the proof does not prove
// the claim (wrong number of hashes, a malformed hash, a root mismatch).
// Thread-safety: free functions are safe concurrently; MerkleFrontier is a value type.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace custos::crypto {

std::string LeafHash(std::string_view data);

std::string NodeHash(std::string_view left, std::string_view right);

// MTH of the empty tree, SHA-256("").
std::string EmptyTreeHash();

// MTH over already-hashed leaves (LeafHash of each entry); EmptyTreeHash() for none.
std::string MerkleRoot(std::span<const std::string> leaf_hashes);

// The root of the subtree over leaves [begin, end), i.e. MTH(D[begin:end]); begin < end.
using SubtreeHashFn =
    std::function<core::Result<std::string>(std::uint64_t begin, std::uint64_t end)>;

// The leaf hash at `index`.
using LeafHashFn = std::function<core::Result<std::string>(std::uint64_t index)>;

// A SubtreeHashFn that computes each subtree from `leaf_hash`. Errors from `leaf_hash` pass
// through; a leaf hash that is not 32 bytes gives kInvalidArgument.
SubtreeHashFn SubtreeHashesFromLeaves(LeafHashFn leaf_hash);

// The audit path for leaf `index` in the tree of `tree_size` leaves (RFC 6962 §2.1.1), lowest
// level first. kInvalidArgument when index >= tree_size.
core::Result<std::vector<std::string>> InclusionProof(std::uint64_t index, std::uint64_t tree_size,
                                                      const SubtreeHashFn& subtree_hash);
core::Result<std::vector<std::string>> InclusionProof(std::uint64_t index,
                                                      std::span<const std::string> leaf_hashes);

// The root implied by an inclusion proof; errors as for VerifyInclusion minus the root check.
core::Result<std::string> RootFromInclusionProof(std::uint64_t index, std::uint64_t tree_size,
                                                 std::string_view leaf_hash,
                                                 std::span<const std::string> proof);

// OK when `proof` shows `leaf_hash` at `index` in the tree of `tree_size` with `root`.
core::Status VerifyInclusion(std::uint64_t index, std::uint64_t tree_size,
                             std::string_view leaf_hash, std::span<const std::string> proof,
                             std::string_view root);

// The consistency proof between the first `size1` leaves and the first `size2` (RFC 6962
// §2.1.2). Empty when size1 == size2; kInvalidArgument when size1 == 0 or size1 > size2.
core::Result<std::vector<std::string>> ConsistencyProof(std::uint64_t size1, std::uint64_t size2,
                                                        const SubtreeHashFn& subtree_hash);
core::Result<std::vector<std::string>> ConsistencyProof(std::uint64_t size1,
                                                        std::span<const std::string> leaf_hashes);

// OK when `proof` shows that the tree of `size2` with `root2` extends the tree of `size1` with
// `root1`. When size1 == size2 the proof must be empty and the roots equal. A proof from the
// empty tree is meaningless and rejected with kInvalidArgument.
core::Status VerifyConsistency(std::uint64_t size1, std::uint64_t size2,
                               std::span<const std::string> proof, std::string_view root1,
                               std::string_view root2);

// The right edge of an append-only tree: one perfect-subtree root per set bit of the size, so
// leaves can be appended and the root computed in O(log n) memory without keeping the leaves.
class MerkleFrontier {
 public:
  // Appends a 32-byte leaf hash.
  void Append(std::string_view leaf_hash);

  // MTH of the leaves appended so far.
  std::string Root() const;

  std::uint64_t size() const { return size_; }

 private:
  std::vector<std::string> roots_;  // perfect subtrees, largest (leftmost) first
  std::uint64_t size_ = 0;
};

}  // namespace custos::crypto
