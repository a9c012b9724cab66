// SPDX-License-Identifier: Apache-2.0
// Pieces of VerifyArchive (verifier.h) kept apart so each file stays small: the problem list,
// the checkpoint checks, stored-node loading and the checks for rows beyond the log.
// Internal to the archive module. Thread-safety: as VerifyArchive (one run, one thread).
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <utility>

#include "archive/checkpointer.h"
#include "archive/verifier.h"
#include "core/status.h"
#include "crypto/keyring.h"
#include "crypto/merkle.h"
#include "crypto/signed_note.h"
#include "storage/database.h"

namespace custos::archive::internal {

// Collects problems into a report: counts all, keeps the first `max`.
class Problems {
 public:
  Problems(VerifyReport& report, std::size_t max) : report_(report), max_(max) {}

  void Add(std::string subject, std::string problem, std::int64_t record_id) {
    ++report_.problem_count;
    if (report_.problems.size() < max_) {
      report_.problems.push_back({std::move(subject), std::move(problem), record_id});
    }
  }

 private:
  VerifyReport& report_;
  std::size_t max_;
};

// Streams the stored checkpoints in tree-size order and checks each against the rebuilt tree.
class CheckpointChecker {
 public:
  CheckpointChecker(storage::Transaction& tx, const crypto::NoteVerifier& verifier,
                    Problems& problems, VerifyReport& report)
      : tx_(tx), verifier_(verifier), problems_(problems), report_(report) {}

  // Checks every checkpoint of tree size `size`; `frontier` holds exactly `size` leaves.
  // Must be called for sizes 0, 1, 2, ... in order.
  core::Status CheckUpTo(std::uint64_t size, const crypto::MerkleFrontier& frontier);

  // Reports every checkpoint beyond the log's `size` leaves.
  core::Status CheckRest(std::uint64_t size);

 private:
  // Loads the next batch when none is pending.
  core::Status Fill();
  void Check(const StoredCheckpoint& cp, const std::string& rebuilt_root);

  storage::Transaction& tx_;
  const crypto::NoteVerifier& verifier_;
  Problems& problems_;
  VerifyReport& report_;
  std::deque<StoredCheckpoint> pending_;
  std::uint64_t loaded_up_to_ = 0;  // batches hold tree sizes above this
  bool exhausted_ = false;
};

// Stored merkle_nodes keyed by (level, index).
using NodeMap = std::map<std::pair<int, std::uint64_t>, std::string>;

// The stored leaves [a, b) and every stored interior node that appending them closes.
core::Result<NodeMap> LoadNodes(storage::Transaction& tx, std::uint64_t a, std::uint64_t b);

// Reports merkle nodes, records and messages rows that lie outside a log of `size` leaves.
core::Status CheckBeyondLog(storage::Transaction& tx, std::uint64_t size, Problems& problems);

// Decrypts and hashes every stored attachment and checks every message's links to attachment
// content against the message's record (attachment_checks.cc).
core::Status CheckAttachments(storage::Transaction& tx, const crypto::KeyRing& keys,
                              Problems& problems, VerifyReport& report);

}  // namespace custos::archive::internal
