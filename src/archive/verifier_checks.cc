// SPDX-License-Identifier: Apache-2.0
#include "archive/sql/verify.h"
#include "archive/verifier_internal.h"
#include "crypto/checkpoint.h"

namespace custos::archive::internal {
namespace {

constexpr int kCheckpointBatch = 512;
constexpr int kMaxLevel = 63;

std::string CheckpointSubject(std::uint64_t size) { return "checkpoint " + std::to_string(size); }

std::string NoteProblem(const core::Status& s) {
  switch (s.code()) {
    case core::StatusCode::kDataLoss:
      return "its signature does not verify: the note was altered (" + s.message() + ")";
    case core::StatusCode::kUnauthenticated:
      return "its note carries no signature by the log's key";
    default:
      return "its note is malformed (" + s.message() + ")";
  }
}

}  // namespace

core::Status CheckpointChecker::Fill() {
  if (!pending_.empty() || exhausted_) {
    return core::Status::Ok();
  }
  ASSIGN_OR_RETURN(std::vector<StoredCheckpoint> batch,
                   ListCheckpoints(tx_, loaded_up_to_, kCheckpointBatch));
  exhausted_ = batch.size() < static_cast<std::size_t>(kCheckpointBatch);
  if (!batch.empty()) {
    loaded_up_to_ = batch.back().tree_size;
  }
  pending_.insert(pending_.end(), std::make_move_iterator(batch.begin()),
                  std::make_move_iterator(batch.end()));
  return core::Status::Ok();
}

core::Status CheckpointChecker::CheckUpTo(std::uint64_t size,
                                          const crypto::MerkleFrontier& frontier) {
  if (size == 0) {
    ASSIGN_OR_RETURN(std::optional<StoredCheckpoint> empty, CheckpointAt(tx_, 0));
    if (empty) {
      Check(*empty, frontier.Root());
    }
    return core::Status::Ok();
  }
  RETURN_IF_ERROR(Fill());
  while (!pending_.empty() && pending_.front().tree_size <= size) {
    Check(pending_.front(), frontier.Root());
    pending_.pop_front();
    RETURN_IF_ERROR(Fill());
  }
  return core::Status::Ok();
}

core::Status CheckpointChecker::CheckRest(std::uint64_t size) {
  RETURN_IF_ERROR(Fill());
  while (!pending_.empty()) {
    ++report_.checkpoints;
    problems_.Add(CheckpointSubject(pending_.front().tree_size),
                  "lies beyond the log, which has " + std::to_string(size) + " leaves", 0);
    pending_.pop_front();
    RETURN_IF_ERROR(Fill());
  }
  return core::Status::Ok();
}

void CheckpointChecker::Check(const StoredCheckpoint& cp, const std::string& rebuilt_root) {
  ++report_.checkpoints;
  const std::string subject = CheckpointSubject(cp.tree_size);
  const std::span<const crypto::NoteVerifier> verifiers(&verifier_, 1);
  auto opened = crypto::OpenCheckpoint(cp.note, verifiers);
  if (!opened.has_value()) {
    problems_.Add(subject, NoteProblem(opened.error()), 0);
  } else {
    if (opened->origin != verifier_.Name()) {
      problems_.Add(
          subject,
          "its note is for log \"" + opened->origin + "\", not \"" + verifier_.Name() + "\"", 0);
    }
    if (opened->tree_size != cp.tree_size) {
      problems_.Add(subject, "its note states tree size " + std::to_string(opened->tree_size), 0);
    }
    if (opened->root_hash != cp.root_hash) {
      problems_.Add(subject, "its stored root_hash differs from the root in its signed note", 0);
    }
  }
  if (cp.root_hash != rebuilt_root) {
    problems_.Add(subject,
                  "its stored root_hash differs from the root of the tree rebuilt from "
                  "the records",
                  0);
  }
}

core::Result<NodeMap> LoadNodes(storage::Transaction& tx, std::uint64_t a, std::uint64_t b) {
  NodeMap nodes;
  auto collect = [&nodes](int level) {
    return [&nodes, level](const storage::Row& r) {
      nodes[{level, static_cast<std::uint64_t>(r.Int(0))}] = r.Text(1);
      return true;
    };
  };
  // Node (L, j) is closed by leaf (j + 1) * 2^L - 1; those in [a, b) have
  // j + 1 in [ceil((a + 1) / 2^L), floor(b / 2^L)].
  for (int level = 0; level <= kMaxLevel && (b >> level) > 0; ++level) {
    const std::uint64_t width = std::uint64_t{1} << level;
    const std::uint64_t first = ((a + width) >> level) - 1;
    const std::uint64_t last = (b >> level) - 1;
    if (first > last) {
      continue;
    }
    RETURN_IF_ERROR(sql::EachMerkleNodeInRange(tx, level, static_cast<std::int64_t>(first),
                                               static_cast<std::int64_t>(last), collect(level)));
  }
  return nodes;
}

core::Status CheckBeyondLog(storage::Transaction& tx, std::uint64_t size, Problems& problems) {
  const auto n = static_cast<std::int64_t>(size);
  for (int level = 0; level <= kMaxLevel; ++level) {
    const auto bound = static_cast<std::int64_t>(size >> level);
    ASSIGN_OR_RETURN(auto node, sql::FindMerkleNodeBeyond(tx, level, bound));
    if (node) {
      problems.Add(
          "merkle node (" + std::to_string(node->first) + ", " + std::to_string(node->second) + ")",
          "lies beyond the log, which has " + std::to_string(size) + " leaves", 0);
    }
    if (bound == 0) {
      break;
    }
  }
  ASSIGN_OR_RETURN(auto record, sql::FindRecordBelowFirstLeaf(tx));
  if (record) {
    problems.Add("record " + std::to_string(*record), "has an id that is not a leaf", *record);
  }
  ASSIGN_OR_RETURN(auto message, sql::FindMessageBeyondLog(tx, n));
  if (message) {
    problems.Add("message " + std::to_string(message->first),
                 "points at record " + std::to_string(message->second) + ", which does not exist",
                 message->second);
  }
  return core::Status::Ok();
}

}  // namespace custos::archive::internal
