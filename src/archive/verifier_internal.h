// SPDX-License-Identifier: Apache-2.0
// Pieces of VerifyArchive (verifier.h) kept apart so each file stays small: the problem list,
// the checkpoint checks, stored-node loading and the checks for rows beyond the log.
// Internal to the archive module. Thread-safety: as VerifyArchive (one run, one thread).
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include <nlohmann/json.hpp>

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

// Recomputes every row derived from a record (messages, verdicts, holds, dispositions, policy
// packs, import runs, device events, the access audit) from the record's decrypted body and
// compares it column by column; at the end, the conversations and their participants from the
// messages (verifier_derived.cc). Used chunk by chunk, in log order, by VerifyArchive.
class DerivedChecker {
 public:
  static constexpr std::size_t kSpecCount = 9;  // the kinds of derived rows

  DerivedChecker(storage::Transaction& tx, const crypto::KeyRing& keys, Problems& problems,
                 VerifyReport& report, const VerifyOptions& options);

  // Loads the conversations' keyed hashes (once, before the first chunk).
  core::Status Begin();
  // Loads the derived rows of records first..last.
  core::Status LoadChunk(std::int64_t first, std::int64_t last);
  // The messages row of record `record_id` in the loaded chunk, or null.
  const storage::Row* MessageRow(std::int64_t record_id) const;
  // Checks the index rows of record `id` (kind null: the record is missing; body null: it could
  // not be read; disposed: its payload was destroyed, so only the links are checked).
  void Check(std::int64_t id, const std::string* kind, core::Micros created_at,
             const nlohmann::json* body, bool disposed);
  // Checks the messages row of message record `record_id` against its canonical bytes.
  void CheckMessage(std::int64_t record_id, core::Micros created_at, const std::string& canonical);
  // Message record `record_id` was disposed of: its conversation may keep stale participants.
  void Disposed(std::int64_t record_id);
  // Reports derived rows pointing beyond a log of `size` records.
  core::Status CheckBeyondLog(std::int64_t size);
  // Conversations and participants (after the last chunk).
  core::Status Finish();

 private:
  void CheckRow(std::size_t spec, const std::string& subject, std::int64_t id,
                core::Micros created_at, const nlohmann::json& body, const storage::Row& r);
  void CheckAccessRow(const std::string& subject, std::int64_t id, const nlohmann::json& body,
                      const storage::Row& r);
  void Differs(const std::string& subject, std::int64_t record_id, const char* column, bool equal);

  storage::Transaction& tx_;
  const crypto::KeyRing& keys_;
  Problems& problems_;
  VerifyReport& report_;
  const VerifyOptions& options_;
  std::unordered_map<std::int64_t, std::pair<std::string, std::string>> conversations_;
  std::map<std::int64_t, storage::Row> messages_;  // by record id, for the current chunk
  std::map<std::int64_t, storage::Row> rows_[kSpecCount];
  std::unordered_set<std::string> participants_;  // "conversation:identity_hash" expected
  std::set<std::int64_t> disposed_conversations_;
};

// Stored merkle_nodes keyed by (level, index).
using NodeMap = std::map<std::pair<int, std::uint64_t>, std::string>;

// The stored leaves [a, b) and every stored interior node that appending them closes.
core::Result<NodeMap> LoadNodes(storage::Transaction& tx, std::uint64_t a, std::uint64_t b);

// Reports merkle nodes, records and messages rows that lie outside a log of `size` leaves.
core::Status CheckBeyondLog(storage::Transaction& tx, std::uint64_t size, Problems& problems);

// Decrypts and hashes every stored attachment and checks every message's links to attachment
// content against the message's record (attachment_checks.cc).
// Runs SQLite's PRAGMA integrity_check and reports each complaint (storage_checks in
// verifier_derived.cc).
core::Status CheckDatabaseFile(storage::Transaction& tx, Problems& problems);

core::Status CheckAttachments(storage::Transaction& tx, const crypto::KeyRing& keys,
                              Problems& problems, VerifyReport& report);

}  // namespace custos::archive::internal
