// SPDX-License-Identifier: Apache-2.0
#include "archive/merkle_log.h"

#include <bit>

#include "archive/sql/merkle_nodes.h"
#include "crypto/merkle.h"

namespace custos::archive {
namespace {

core::Result<std::string> Node(storage::Transaction& tx, int level, std::uint64_t idx) {
  ASSIGN_OR_RETURN(std::optional<std::string> hash, sql::FindMerkleNode(tx, level, idx));
  if (!hash) {
    return core::DataLoss("merkle node (" + std::to_string(level) + ", " + std::to_string(idx) +
                          ") is missing");
  }
  return std::move(*hash);
}

// MTH(D[begin:end]) from stored complete subtrees.
core::Result<std::string> Subtree(storage::Transaction& tx, std::uint64_t begin,
                                  std::uint64_t end) {
  const std::uint64_t n = end - begin;
  if (std::has_single_bit(n) && begin % n == 0) {
    return Node(tx, std::countr_zero(n), begin / n);
  }
  const std::uint64_t k = std::bit_floor(n - 1);
  ASSIGN_OR_RETURN(std::string left, Subtree(tx, begin, begin + k));
  ASSIGN_OR_RETURN(std::string right, Subtree(tx, begin + k, end));
  return crypto::NodeHash(left, right);
}

crypto::SubtreeHashFn SubtreeFn(storage::Transaction& tx) {
  return [&tx](std::uint64_t begin, std::uint64_t end) { return Subtree(tx, begin, end); };
}

core::Status CheckSize(storage::Transaction& tx, std::uint64_t size) {
  ASSIGN_OR_RETURN(const std::uint64_t have, LogSize(tx));
  if (size > have) {
    return core::InvalidArgument("tree size " + std::to_string(size) + " is beyond the log (" +
                                 std::to_string(have) + " leaves)");
  }
  return core::Status::Ok();
}

}  // namespace

core::Result<std::uint64_t> LogSize(storage::Transaction& tx) { return sql::CountMerkleLeaves(tx); }

core::Status LogAppend(storage::Transaction& tx, std::uint64_t index, std::string_view leaf_hash) {
  std::string hash(leaf_hash);
  RETURN_IF_ERROR(sql::InsertMerkleNode(tx, 0, index, hash));
  std::uint64_t j = index;
  int level = 0;
  while ((j & 1) == 1) {
    ASSIGN_OR_RETURN(std::string left, Node(tx, level, j - 1));
    hash = crypto::NodeHash(left, hash);
    j >>= 1;
    ++level;
    RETURN_IF_ERROR(sql::InsertMerkleNode(tx, level, j, hash));
  }
  return core::Status::Ok();
}

core::Result<std::string> LogLeaf(storage::Transaction& tx, std::uint64_t index) {
  ASSIGN_OR_RETURN(std::optional<std::string> leaf, sql::FindMerkleNode(tx, 0, index));
  if (!leaf) {
    return core::NotFound("no leaf " + std::to_string(index));
  }
  return std::move(*leaf);
}

core::Result<std::string> LogRoot(storage::Transaction& tx, std::uint64_t size) {
  RETURN_IF_ERROR(CheckSize(tx, size));
  if (size == 0) {
    return crypto::EmptyTreeHash();
  }
  return Subtree(tx, 0, size);
}

core::Result<std::vector<std::string>> LogInclusionProof(storage::Transaction& tx,
                                                         std::uint64_t index, std::uint64_t size) {
  RETURN_IF_ERROR(CheckSize(tx, size));
  return crypto::InclusionProof(index, size, SubtreeFn(tx));
}

core::Result<std::vector<std::string>> LogConsistencyProof(storage::Transaction& tx,
                                                           std::uint64_t size1,
                                                           std::uint64_t size2) {
  RETURN_IF_ERROR(CheckSize(tx, size2));
  return crypto::ConsistencyProof(size1, size2, SubtreeFn(tx));
}

}  // namespace custos::archive
