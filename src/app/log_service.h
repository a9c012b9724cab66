// SPDX-License-Identifier: Apache-2.0
// The archive's transparency log as the front ends see it: the log's identity (origin and
// signing key), the background checkpointer, checkpoints, proofs, canonical records and
// `custos verify`. Custos owns one (Custos::log()); the CLI and the HTTP API call it directly:
//
//   custos log checkpoint                 Checkpoint()->note
//   custos log public-key                 PublicKey()
//   custos log proof inclusion ID --json  archive::InclusionJson(*ProveInclusion(ID))
//   custos log proof consistency A B      archive::ConsistencyJson(*ProveConsistency(A, B))
//   custos record show ID --canonical     RecordCanonical(ID)
//   custos verify [--json]                Verify(options) -> report.status(), VerifyReportJson
//   custos log verify-inclusion / -consistency   archive/standalone_verifier.h (no store)
//
// At the first writable open the origin ("custos/<8 hex>", settings `log.origin`) and the
// signing key (DIR/keys/log-signer, mode 0600; archive/log_signer.h) are created. A database
// without an origin next to an existing signing key is refused: a new log must not reuse
// another log's key and origin, or two different trees would be signed under one name.
//
// The background checkpointer is a worker of the composition root (app/workers.h): it calls
// Tick() every kCheckpointInterval and FinalCheckpoint() when it stops, after every worker that
// appends records has stopped.
// Thread-safety: all methods are safe to call concurrently.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "archive/checkpointer.h"
#include "archive/evidence.h"
#include "archive/log_proofs.h"
#include "archive/verifier.h"
#include "core/mutex.h"
#include "core/status.h"
#include "core/time.h"
#include "crypto/keyring.h"
#include "search/index.h"
#include "storage/database.h"

namespace custos::app {

inline constexpr std::chrono::milliseconds kCheckpointInterval{1000};

// The log head (archive/log_head.h), next to the log's signing key: DIR/keys/latest-checkpoint.
inline constexpr const char* kLogHeadFile = "latest-checkpoint";

class LogService {
 public:
  // Opens (writable: creates on first use) the log's identity. Writable errors: those of the
  // database and key file, kFailedPrecondition for a key without an origin or for another
  // origin. Read-only never fails for the log: a missing or unreadable key is reported by the
  // calls that need it.
  static core::Result<std::unique_ptr<LogService>> Open(storage::Database* db,
                                                        const crypto::KeyRing* keys,
                                                        const core::Clock* clock,
                                                        const std::string& key_path,
                                                        bool read_only);
  LogService(const LogService&) = delete;
  LogService& operator=(const LogService&) = delete;

  // Whether checkpoints are written (writable only): the checkpointer worker runs only then.
  bool writable() const { return checkpointer_ != nullptr; }

  // One pass of the background checkpointer: a checkpoint when the log has grown. Failures
  // (a busy write lock) are logged as warnings; the next tick retries.
  void Tick() const;

  // The checkpoint written at shutdown, when the log has grown; errors are logged. Called
  // after every writer has stopped, so that it covers every record. Later calls to
  // CreateCheckpoint still work.
  void FinalCheckpoint() const;

  // The log's origin (the first line of its checkpoints); empty when read-only and none exists.
  const std::string& origin() const { return origin_; }

  // The verifier key in note format ("<origin>+<key id>+<base64>"). kNotFound when the log has
  // no signing key yet; the key file's error when it cannot be read.
  core::Result<std::string> PublicKey() const;

  // Signs and stores a checkpoint when the log has grown; nullopt when it has not.
  // kFailedPrecondition when opened read-only.
  core::Result<std::optional<archive::StoredCheckpoint>> CreateCheckpoint() const;

  // The latest checkpoint, after checkpointing first when writable (a busy write lock skips
  // that step). kNotFound when the log has no checkpoint (an empty log, or read-only before any
  // checkpoint).
  core::Result<archive::StoredCheckpoint> Checkpoint() const;

  // Checkpoints with tree_size > `after_size`, smallest first, at most `limit`.
  core::Result<std::vector<archive::StoredCheckpoint>> ListCheckpoints(std::uint64_t after_size,
                                                                       int limit) const;

  // archive::ProveInclusion in the checkpoint at `tree_size` (default: the latest). When
  // writable and the record is newer than the latest checkpoint, checkpoints first.
  core::Result<archive::RecordInclusion> ProveInclusion(
      std::int64_t record_id, std::optional<std::uint64_t> tree_size = std::nullopt) const;

  // archive::ProveConsistency between two checkpointed sizes.
  core::Result<archive::CheckpointConsistency> ProveConsistency(std::uint64_t old_size,
                                                                std::uint64_t new_size) const;

  // The record's exact canonical bytes (decrypted). kNotFound, kFailedPrecondition (disposed
  // of), kDataLoss (tag fails) as archive::ReadCanonical.
  core::Result<std::string> RecordCanonical(std::int64_t record_id) const;

  // archive::VerifyArchive over one snapshot, and the log head (DIR/keys/latest-checkpoint,
  // archive/log_head.h, written after every checkpoint) must be one of the stored checkpoints,
  // else the headline problem is that committed work was lost. Checkpoints are checked with
  // `verifier_key` when
  // given (an examiner's trusted copy), else with this log's own key (kFailedPrecondition when
  // there is none). An error Result means verification could not run; integrity problems are
  // in the report (report.status() is kDataLoss).
  // The evidence bundle of message `message_id` (archive/evidence.h): its record and its
  // verdict's record, each with an inclusion proof in one checkpoint (the latest; when
  // writable and a record is newer, a new one first). kNotFound for an unknown message;
  // kFailedPrecondition when a record is not yet in a checkpoint (read-only).
  core::Result<archive::EvidenceBundle> Evidence(std::int64_t message_id) const;

  // With `index`, the search index must also hold exactly what the index would hold for each
  // message's sealed text (search::Index::Fingerprint); a difference names the message and
  // its record.
  core::Result<archive::VerifyReport> Verify(const archive::VerifyOptions& options,
                                             std::string_view verifier_key = {},
                                             const search::Index* index = nullptr) const;

 private:
  LogService(storage::Database* db, const crypto::KeyRing* keys, const core::Clock* clock)
      : db_(db), keys_(keys), clock_(clock) {}

  // checkpointer_->CreateCheckpoint(), then the log head when a checkpoint was written.
  core::Result<std::optional<archive::StoredCheckpoint>> NewCheckpoint() const;

  // Immutable after Open.
  storage::Database* db_;
  const crypto::KeyRing* keys_;
  const core::Clock* clock_;
  std::string origin_;
  std::optional<crypto::NoteSigner> signer_;             // absent: see signer_error_
  core::Status signer_error_;                            // why there is no signer
  std::unique_ptr<archive::Checkpointer> checkpointer_;  // writable only
  std::string head_path_;

  mutable core::Mutex head_mu_;
  mutable std::uint64_t head_size_ CUSTOS_GUARDED_BY(head_mu_) = 0;  // the head last written
};

}  // namespace custos::app
