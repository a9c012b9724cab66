// SPDX-License-Identifier: Apache-2.0
#include "archive/merkle_log.h"

#include <bit>

#include "crypto/merkle.h"

namespace custos::archive {
namespace {

core::Result<std::string> Node(storage::Transaction& tx, int level, std::uint64_t idx) {
  ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT hash FROM merkle_nodes WHERE level = ? AND idx = ?",
                                       {std::int64_t{level}, static_cast<std::int64_t>(idx)}));
  if (rows.empty()) {
    return core::DataLoss("merkle node (" + std::to_string(level) + ", " + std::to_string(idx) +
                          ") is missing");
  }
  return rows[0].Text(0);
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

core::Result<std::uint64_t> LogSize(storage::Transaction& tx) {
  ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT COALESCE(MAX(idx) + 1, 0) FROM merkle_nodes"
                                       " WHERE level = 0"));
  return static_cast<std::uint64_t>(rows[0].Int(0));
}

core::Status LogAppend(storage::Transaction& tx, std::uint64_t index, std::string_view leaf_hash) {
  std::string hash(leaf_hash);
  RETURN_IF_ERROR(tx.Execute("INSERT INTO merkle_nodes (level, idx, hash) VALUES (0, ?, ?)",
                             {static_cast<std::int64_t>(index), storage::Blob{hash}}));
  std::uint64_t j = index;
  int level = 0;
  while ((j & 1) == 1) {
    ASSIGN_OR_RETURN(std::string left, Node(tx, level, j - 1));
    hash = crypto::NodeHash(left, hash);
    j >>= 1;
    ++level;
    RETURN_IF_ERROR(
        tx.Execute("INSERT INTO merkle_nodes (level, idx, hash) VALUES (?, ?, ?)",
                   {std::int64_t{level}, static_cast<std::int64_t>(j), storage::Blob{hash}}));
  }
  return core::Status::Ok();
}

core::Result<std::string> LogLeaf(storage::Transaction& tx, std::uint64_t index) {
  ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT hash FROM merkle_nodes WHERE level = 0 AND idx = ?",
                                       {static_cast<std::int64_t>(index)}));
  if (rows.empty()) {
    return core::NotFound("no leaf " + std::to_string(index));
  }
  return rows[0].Text(0);
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
