// SPDX-License-Identifier: Apache-2.0
// `custos verify`: re-checks the whole archive from what is stored, and never repairs anything.
//
// In one read transaction (a consistent snapshot, so ingest may continue meanwhile), every
// record is read in id order and
//   - its payload is decrypted (the AES-GCM tags of data key and payload must hold) and its
//     canonical envelope must name the record's id, kind and time;
//   - SHA-256(0x00 || bytes) must equal records.leaf_hash and the log's leaf (merkle_nodes
//     level 0); a disposed-of record (payload destroyed) contributes its stored leaf hash;
//   - the tree is rebuilt (crypto::MerkleFrontier) and every stored interior node must equal
//     the rebuilt one, with no node, leaf or record missing or beyond the log;
//   - at every checkpointed size the rebuilt root must equal the stored root, and every
//     checkpoint note must carry a valid signature by the log's key, for the log's origin,
//     stating that size and root;
//   - every `messages` row must point at a `message` record whose body names that message id,
//     and every message record must have its row.
//   - every row derived from a record is recomputed from the record's decrypted body and must
//     be equal, column by column: a message's keyed hashes (idempotency key, sender, event
//     target, conversation key), channel, kind, direction and times; verdict, hold, release,
//     disposition, policy pack, import run and device event rows; each conversation's sealed
//     key must hash to its key_hash and its counters must be its messages'; each participant's
//     sealed handle must hash to its identity_hash, and every handle of a live message must be
//     a participant (verifier_derived.cc);
//   - the database file itself must pass SQLite's PRAGMA integrity_check (b-trees, and every
//     index entry matching its table row), so lookups through an index find what is stored;
//   - every stored attachment (archive/attachment_store.h) must decrypt and its bytes must hash
//     to the SHA-256 it is stored under; every link from a message to attachment content must
//     name content its (live) record lists, with the size the record states, and that content
//     must not have been shredded while the record lives.
// Problems are reported in log order; the first one is the headline.
//
// Thread-safety: VerifyArchive uses only the caller's transaction and is reentrant. The
// progress callback runs on the caller's thread.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/status.h"
#include "core/time.h"
#include "crypto/keyring.h"
#include "crypto/signed_note.h"
#include "model/message.h"
#include "storage/database.h"

namespace custos::archive {

struct VerifyProgress {
  std::uint64_t records_done = 0;
  std::uint64_t records_total = 0;
  core::Micros elapsed_micros = 0;
};

struct VerifyOptions {
  // Called every `progress_every` records and once at the end; may be empty.
  std::function<void(const VerifyProgress&)> progress;
  std::uint64_t progress_every = 4096;
  // At most this many problems are kept in the report (all are counted).
  std::size_t max_problems = 100;
  // Called with every message whose record decrypts (id and conversation_id set), in log
  // order, so a caller can check what it derives from messages (the search index); may be empty.
  std::function<void(const model::Message&)> on_message;
};

// One thing that is wrong.
struct VerifyProblem {
  std::string subject;         // "record 17", "merkle node (2, 5)", "checkpoint 120", "message 9"
  std::string problem;         // what is wrong, in words
  std::int64_t record_id = 0;  // the record concerned, 0 when none
};

struct VerifyReport {
  std::uint64_t records = 0;               // records checked (the log's size)
  std::uint64_t decrypted = 0;             // records whose payload was opened and hashed
  std::uint64_t disposed = 0;              // records without payload (only the leaf hash remains)
  std::uint64_t merkle_nodes = 0;          // stored tree nodes checked (all levels)
  std::uint64_t checkpoints = 0;           // checkpoints checked
  std::uint64_t messages = 0;              // messages rows checked
  std::uint64_t attachments = 0;           // stored attachment contents decrypted and hashed
  std::uint64_t attachments_shredded = 0;  // attachment rows whose content was destroyed
  std::uint64_t derived_rows = 0;          // rows recomputed from records (messages, verdicts, ...)
  std::string root_hash;                // the rebuilt root of all `records` leaves (32 raw bytes)
  std::uint64_t problem_count = 0;      // all problems found
  std::vector<VerifyProblem> problems;  // the first max_problems, in log order
  core::Micros elapsed_micros = 0;

  bool ok() const { return problem_count == 0; }

  // OK, or kDataLoss whose message names the first problem (and how many more there are).
  core::Status status() const;
};

// Verifies everything stored in `tx` (a read transaction). `verifier` is the log's public key;
// checkpoints must be signed by it for its origin (its key name). The Result is an error only
// when verification could not run (storage errors, cancelled); integrity problems are in the
// report. Blocks for the duration (linear in the archive's size).
core::Result<VerifyReport> VerifyArchive(storage::Transaction& tx, const crypto::KeyRing& keys,
                                         const crypto::NoteVerifier& verifier,
                                         const VerifyOptions& options);

// The report as JSON: {"ok","records","decrypted","disposed","merkle_nodes","checkpoints",
// "messages","attachments","attachments_shredded","derived_rows","root_hash","problem_count","problems":[{"subject","problem","record_id"}],
// "elapsed_seconds"}.
std::string VerifyReportJson(const VerifyReport& report);

}  // namespace custos::archive
