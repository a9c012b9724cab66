// SPDX-License-Identifier: Apache-2.0
// Proofs over the archive's Merkle log, always relative to stored signed checkpoints
// (checkpointer.h): the inclusion of a record (leaf index = record id - 1) in a checkpoint,
// and the consistency of two checkpoints. Each proof is checked with crypto/merkle.h before it
// is returned, so a proof that would not verify is never served: the stored data disagreeing
// with itself is reported as kDataLoss instead.
//
// The JSON forms (docs/formats/checkpoint.md, "Proofs as JSON") are what
// `custos log proof ... --json` prints and `/api/v1/log/...` answers; hashes are lower-case hex.
// Thread-safety: free functions over the caller's transaction; JSON helpers are pure.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "storage/database.h"

namespace custos::archive {

// The inclusion of one record in one checkpoint. Hashes are 32 raw bytes.
struct RecordInclusion {
  std::int64_t record_id = 0;
  std::uint64_t leaf_index = 0;  // record_id - 1
  std::uint64_t tree_size = 0;
  std::string leaf_hash;
  std::vector<std::string> proof;  // RFC 6962 audit path, lowest level first
  std::string root_hash;
  std::string checkpoint;  // the signed note of the checkpoint at tree_size
};

// The consistency of the checkpoint at old_size with the one at new_size.
struct CheckpointConsistency {
  std::uint64_t old_size = 0;
  std::uint64_t new_size = 0;
  std::string old_root;
  std::string new_root;
  std::vector<std::string> proof;  // RFC 6962 consistency proof; empty when the sizes are equal
  std::string old_checkpoint;
  std::string new_checkpoint;
};

// The inclusion proof of record `record_id` in the checkpoint at `tree_size`, or in the latest
// checkpoint when `tree_size` is nullopt. kNotFound when there is no such record, no checkpoint
// at `tree_size`, or no checkpoint at all; kFailedPrecondition when the record is newer than
// the latest checkpoint (the next one will include it); kInvalidArgument when the record is
// beyond an explicit `tree_size`; kDataLoss when the stored leaf, nodes or root disagree.
core::Result<RecordInclusion> ProveInclusion(storage::Transaction& tx, std::int64_t record_id,
                                             std::optional<std::uint64_t> tree_size);

// The consistency proof between the checkpoints at `old_size` and `new_size`.
// kInvalidArgument when old_size is 0 or exceeds new_size; kNotFound when either size has no
// checkpoint; kDataLoss when the stored nodes or roots disagree.
core::Result<CheckpointConsistency> ProveConsistency(storage::Transaction& tx,
                                                     std::uint64_t old_size,
                                                     std::uint64_t new_size);

// {"checkpoint","leaf_hash","leaf_index","proof":[hex...],"record_id","root_hash","tree_size"}
std::string InclusionJson(const RecordInclusion& inclusion);

// {"new_checkpoint","new_root","new_size","old_checkpoint","old_root","old_size","proof":[...]}
std::string ConsistencyJson(const CheckpointConsistency& consistency);

// Parses InclusionJson output (as an examiner receives it). record_id may be absent (then 0).
// kInvalidArgument naming the member at fault.
core::Result<RecordInclusion> ParseInclusionJson(std::string_view json);

// Parses ConsistencyJson output. kInvalidArgument naming the member at fault.
core::Result<CheckpointConsistency> ParseConsistencyJson(std::string_view json);

// Lower-case hex of 32-byte hashes and back. ParseHashHex: kInvalidArgument unless `hex` is 64
// hex digits (either case).
std::string HashHex(std::string_view hash);
core::Result<std::string> ParseHashHex(std::string_view hex);

// Parses "HEX,HEX,..." (an empty string is the empty list); kInvalidArgument naming the
// position of a bad entry.
core::Result<std::vector<std::string>> ParseHashList(std::string_view comma_separated_hex);

}  // namespace custos::archive
