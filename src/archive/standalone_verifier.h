// SPDX-License-Identifier: Apache-2.0
// Standalone verification: what an examiner can check with no access to the archive and no
// decryption key — only a signed checkpoint, the log's public (verifier) key, and either a
// record's exported canonical bytes (`custos record show ID --canonical`) or just its leaf
// hash, plus the proofs custos served (`custos log proof ...`). Backs
// `custos log verify-inclusion` and `custos log verify-consistency`.
//
// Outcomes: kInvalidArgument for malformed input (bad note, key, hash, record bytes, or an
// index that contradicts the record's id); kUnauthenticated when the checkpoint carries no
// signature by the given key; kDataLoss when a signature by that key fails, the checkpoint is
// for another log than the key's, the leaf hash disagrees with the record bytes, or a proof
// does not lead to the signed root (docs/formats/checkpoint.md, "Verification outcomes").
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "crypto/checkpoint.h"

namespace custos::archive {

struct InclusionClaim {
  std::string checkpoint;    // the signed checkpoint note
  std::string verifier_key;  // "<origin>+<key id>+<base64 key>" (`custos log public-key`)
  // Exactly one of record_bytes (canonical bytes of the record) and leaf_hash (32 raw bytes).
  std::optional<std::string> record_bytes;
  std::optional<std::string> leaf_hash;
  // The leaf index; when absent it is taken from the record's "id" (record id - 1), which
  // needs record_bytes. When both are given they must agree.
  std::optional<std::uint64_t> leaf_index;
  std::vector<std::string> proof;  // 32-byte hashes, lowest level first
  // When set, the leaf hash the proof was issued for (e.g. "leaf_hash" of the proof JSON); it
  // must equal the one computed from record_bytes.
  std::optional<std::string> expected_leaf_hash;
};

struct VerifiedInclusion {
  crypto::Checkpoint checkpoint;  // origin, tree size and root the record was proven against
  std::uint64_t leaf_index = 0;
  std::string leaf_hash;  // 32 raw bytes
};

// Verifies the checkpoint's signature with the key, then the inclusion proof against its root.
core::Result<VerifiedInclusion> VerifyInclusionStandalone(const InclusionClaim& claim);

struct ConsistencyClaim {
  std::string old_checkpoint;
  std::string new_checkpoint;
  std::string verifier_key;
  std::vector<std::string> proof;
};

struct VerifiedConsistency {
  crypto::Checkpoint old_checkpoint;
  crypto::Checkpoint new_checkpoint;
};

// Verifies both checkpoints' signatures (same log), then that the new tree extends the old.
core::Result<VerifiedConsistency> VerifyConsistencyStandalone(const ConsistencyClaim& claim);

// The record id ("id" member) of canonical record bytes; kInvalidArgument when the bytes are
// not a canonical record envelope.
core::Result<std::int64_t> CanonicalRecordId(std::string_view record_bytes);

}  // namespace custos::archive
