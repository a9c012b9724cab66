// SPDX-License-Identifier: Apache-2.0
#include "crypto/merkle.h"

#include <algorithm>
#include <array>
#include <bit>
#include <utility>

#include "crypto/crypto.h"

namespace custos::crypto {
namespace {

// k for a tree of n >= 2 leaves: the largest power of two strictly below n.
std::uint64_t SplitPoint(std::uint64_t n) { return std::bit_floor(n - 1); }

std::string Pair(std::uint64_t a, std::uint64_t b) {
  return std::to_string(a) + ", " + std::to_string(b);
}

// The number of hashes in the inclusion proof of `index` in a tree of `size` (RFC 9162):
// `inner` below the point where the paths to `index` and `size - 1` diverge, `border` above.
struct ProofShape {
  int inner = 0;
  int border = 0;
};

ProofShape InclusionShape(std::uint64_t index, std::uint64_t size) {
  ProofShape shape;
  shape.inner = std::bit_width(index ^ (size - 1));
  shape.border = shape.inner >= 64 ? 0 : std::popcount(index >> shape.inner);
  return shape;
}

core::Status CheckProofHashes(std::span<const std::string> proof, std::size_t expected) {
  if (proof.size() != expected) {
    return core::DataLoss("proof has " + std::to_string(proof.size()) + " hashes, expected " +
                          std::to_string(expected));
  }
  for (std::size_t i = 0; i < proof.size(); ++i) {
    if (proof[i].size() != kSha256Bytes) {
      return core::DataLoss("proof hash " + std::to_string(i) + " is " +
                            std::to_string(proof[i].size()) + " bytes, expected 32");
    }
  }
  return core::Status::Ok();
}

// Shifts fn and sn right together while `fn` is even and non-zero.
void ShiftWhileEven(std::uint64_t& fn, std::uint64_t& sn) {
  while (fn != 0 && (fn & 1U) == 0) {
    fn >>= 1;
    sn >>= 1;
  }
}

SubtreeHashFn FromSpan(std::span<const std::string> leaf_hashes) {
  return SubtreeHashesFromLeaves([leaf_hashes](std::uint64_t index) -> core::Result<std::string> {
    return leaf_hashes[index];
  });
}

}  // namespace

std::string LeafHash(std::string_view data) {
  Sha256Hasher hasher;
  hasher.Update(std::string_view("\x00", 1));
  hasher.Update(data);
  return hasher.Finish();
}

std::string NodeHash(std::string_view left, std::string_view right) {
  if (left.size() == kSha256Bytes && right.size() == kSha256Bytes) {
    // The common case, hashed in one call without allocating.
    std::array<char, 1 + 2 * kSha256Bytes> buf{};
    buf[0] = '\x01';
    std::copy(left.begin(), left.end(), buf.begin() + 1);
    std::copy(right.begin(), right.end(), buf.begin() + 1 + kSha256Bytes);
    return Sha256(std::string_view(buf.data(), buf.size()));
  }
  Sha256Hasher hasher;
  hasher.Update("\x01");
  hasher.Update(left);
  hasher.Update(right);
  return hasher.Finish();
}

std::string EmptyTreeHash() { return Sha256(""); }

std::string MerkleRoot(std::span<const std::string> leaf_hashes) {
  MerkleFrontier frontier;
  for (const std::string& leaf : leaf_hashes) {
    frontier.Append(leaf);
  }
  return frontier.Root();
}

SubtreeHashFn SubtreeHashesFromLeaves(LeafHashFn leaf_hash) {
  return [leaf_hash = std::move(leaf_hash)](std::uint64_t begin,
                                            std::uint64_t end) -> core::Result<std::string> {
    if (begin >= end) {
      return core::InvalidArgument("empty subtree [" + Pair(begin, end) + ")");
    }
    MerkleFrontier frontier;
    for (std::uint64_t i = begin; i < end; ++i) {
      ASSIGN_OR_RETURN(std::string hash, leaf_hash(i));
      if (hash.size() != kSha256Bytes) {
        return core::InvalidArgument("leaf hash " + std::to_string(i) + " is " +
                                     std::to_string(hash.size()) + " bytes, expected 32");
      }
      frontier.Append(hash);
    }
    return frontier.Root();
  };
}

core::Result<std::vector<std::string>> InclusionProof(std::uint64_t index, std::uint64_t tree_size,
                                                      const SubtreeHashFn& subtree_hash) {
  if (index >= tree_size) {
    return core::InvalidArgument("leaf index " + std::to_string(index) +
                                 " is not below tree size " + std::to_string(tree_size));
  }
  // PATH(m, D[n]) from RFC 6962 §2.1.1, walked top-down; the result is bottom-up.
  std::vector<std::string> proof;
  std::uint64_t begin = 0;
  std::uint64_t end = tree_size;
  std::uint64_t m = index;
  while (end - begin > 1) {
    const std::uint64_t k = SplitPoint(end - begin);
    if (m < k) {
      ASSIGN_OR_RETURN(std::string sibling, subtree_hash(begin + k, end));
      proof.push_back(std::move(sibling));
      end = begin + k;
    } else {
      ASSIGN_OR_RETURN(std::string sibling, subtree_hash(begin, begin + k));
      proof.push_back(std::move(sibling));
      m -= k;
      begin += k;
    }
  }
  std::reverse(proof.begin(), proof.end());
  return proof;
}

core::Result<std::vector<std::string>> InclusionProof(std::uint64_t index,
                                                      std::span<const std::string> leaf_hashes) {
  return InclusionProof(index, leaf_hashes.size(), FromSpan(leaf_hashes));
}

core::Result<std::string> RootFromInclusionProof(std::uint64_t index, std::uint64_t tree_size,
                                                 std::string_view leaf_hash,
                                                 std::span<const std::string> proof) {
  if (index >= tree_size) {
    return core::InvalidArgument("leaf index " + std::to_string(index) +
                                 " is not below tree size " + std::to_string(tree_size));
  }
  if (leaf_hash.size() != kSha256Bytes) {
    return core::InvalidArgument("leaf hash is " + std::to_string(leaf_hash.size()) +
                                 " bytes, expected 32");
  }
  const ProofShape shape = InclusionShape(index, tree_size);
  RETURN_IF_ERROR(CheckProofHashes(proof, static_cast<std::size_t>(shape.inner + shape.border)));
  // RFC 9162 §2.1.3.2.
  std::uint64_t fn = index;
  std::uint64_t sn = tree_size - 1;
  std::string r(leaf_hash);
  for (const std::string& p : proof) {
    if (sn == 0) {
      return core::DataLoss("inclusion proof is longer than the path to the root");
    }
    if ((fn & 1U) != 0 || fn == sn) {
      r = NodeHash(p, r);
      ShiftWhileEven(fn, sn);
    } else {
      r = NodeHash(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  if (sn != 0) {
    return core::DataLoss("inclusion proof is shorter than the path to the root");
  }
  return r;
}

core::Status VerifyInclusion(std::uint64_t index, std::uint64_t tree_size,
                             std::string_view leaf_hash, std::span<const std::string> proof,
                             std::string_view root) {
  ASSIGN_OR_RETURN(std::string calculated,
                   RootFromInclusionProof(index, tree_size, leaf_hash, proof));
  if (calculated != root) {
    return core::DataLoss("inclusion proof for leaf " + std::to_string(index) +
                          " leads to a different root for tree size " + std::to_string(tree_size));
  }
  return core::Status::Ok();
}

core::Result<std::vector<std::string>> ConsistencyProof(std::uint64_t size1, std::uint64_t size2,
                                                        const SubtreeHashFn& subtree_hash) {
  if (size1 == 0 || size1 > size2) {
    return core::InvalidArgument("no consistency proof from size " + std::to_string(size1) +
                                 " to size " + std::to_string(size2));
  }
  // SUBPROOF(m, D[n], b) from RFC 6962 §2.1.2, walked top-down; the result is bottom-up.
  std::vector<std::string> proof;
  std::uint64_t begin = 0;
  std::uint64_t end = size2;
  std::uint64_t m = size1;
  bool whole_old_tree = true;
  while (true) {
    const std::uint64_t n = end - begin;
    if (m == n) {
      if (!whole_old_tree) {
        ASSIGN_OR_RETURN(std::string subtree, subtree_hash(begin, end));
        proof.push_back(std::move(subtree));
      }
      break;
    }
    const std::uint64_t k = SplitPoint(n);
    if (m <= k) {
      ASSIGN_OR_RETURN(std::string right, subtree_hash(begin + k, end));
      proof.push_back(std::move(right));
      end = begin + k;
    } else {
      ASSIGN_OR_RETURN(std::string left, subtree_hash(begin, begin + k));
      proof.push_back(std::move(left));
      m -= k;
      begin += k;
      whole_old_tree = false;
    }
  }
  std::reverse(proof.begin(), proof.end());
  return proof;
}

core::Result<std::vector<std::string>> ConsistencyProof(std::uint64_t size1,
                                                        std::span<const std::string> leaf_hashes) {
  return ConsistencyProof(size1, leaf_hashes.size(), FromSpan(leaf_hashes));
}

core::Status VerifyConsistency(std::uint64_t size1, std::uint64_t size2,
                               std::span<const std::string> proof, std::string_view root1,
                               std::string_view root2) {
  if (size1 > size2) {
    return core::InvalidArgument("old tree size " + std::to_string(size1) +
                                 " is larger than new tree size " + std::to_string(size2));
  }
  if (size1 == 0) {
    return core::InvalidArgument("a consistency proof from the empty tree is meaningless");
  }
  if (size1 == size2) {
    if (!proof.empty()) {
      return core::DataLoss("tree sizes are equal but the consistency proof is not empty");
    }
    if (root1 != root2) {
      return core::DataLoss("roots differ for the same tree size " + std::to_string(size1));
    }
    return core::Status::Ok();
  }
  // Expected length: the suffix of the inclusion proof of leaf size1 - 1 in the new tree above
  // the old tree's largest perfect right subtree, plus that subtree's root unless it is the
  // whole old tree (size1 a power of two).
  const int shift = std::countr_zero(size1);
  const ProofShape shape = InclusionShape(size1 - 1, size2);
  const bool seed_is_root1 = std::has_single_bit(size1);
  const std::size_t expected =
      static_cast<std::size_t>(shape.inner - shift + shape.border) + (seed_is_root1 ? 0 : 1);
  RETURN_IF_ERROR(CheckProofHashes(proof, expected));

  // RFC 9162 §2.1.4.2.
  std::uint64_t fn = size1 - 1;
  std::uint64_t sn = size2 - 1;
  while ((fn & 1U) != 0) {
    fn >>= 1;
    sn >>= 1;
  }
  std::string fr(seed_is_root1 ? std::string(root1) : proof[0]);
  std::string sr = fr;
  for (std::size_t i = seed_is_root1 ? 0 : 1; i < proof.size(); ++i) {
    const std::string& c = proof[i];
    if (sn == 0) {
      return core::DataLoss("consistency proof is longer than the path to the root");
    }
    if ((fn & 1U) != 0 || fn == sn) {
      fr = NodeHash(c, fr);
      sr = NodeHash(c, sr);
      ShiftWhileEven(fn, sn);
    } else {
      sr = NodeHash(sr, c);
    }
    fn >>= 1;
    sn >>= 1;
  }
  if (sn != 0) {
    return core::DataLoss("consistency proof is shorter than the path to the root");
  }
  if (fr != root1) {
    return core::DataLoss("consistency proof does not lead to the old root (size " +
                          std::to_string(size1) + ")");
  }
  if (sr != root2) {
    return core::DataLoss("consistency proof does not lead to the new root (size " +
                          std::to_string(size2) + ")");
  }
  return core::Status::Ok();
}

void MerkleFrontier::Append(std::string_view leaf_hash) {
  roots_.emplace_back(leaf_hash);
  ++size_;
  for (std::uint64_t s = size_; (s & 1U) == 0; s >>= 1) {
    std::string right = std::move(roots_.back());
    roots_.pop_back();
    roots_.back() = NodeHash(roots_.back(), right);
  }
}

std::string MerkleFrontier::Root() const {
  if (roots_.empty()) {
    return EmptyTreeHash();
  }
  std::string acc = roots_.back();
  for (std::size_t i = roots_.size() - 1; i-- > 0;) {
    acc = NodeHash(roots_[i], acc);
  }
  return acc;
}

}  // namespace custos::crypto
