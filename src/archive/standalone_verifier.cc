// SPDX-License-Identifier: Apache-2.0
#include "archive/standalone_verifier.h"

#include <nlohmann/json.hpp>

#include "crypto/merkle.h"
#include "crypto/signed_note.h"

namespace custos::archive {
namespace {

using Json = nlohmann::json;

// Opens `note` with `verifier_key` and checks that it is a checkpoint of the key's log.
core::Result<crypto::Checkpoint> OpenTrusted(std::string_view note,
                                             const crypto::NoteVerifier& verifier,
                                             std::string_view which) {
  const std::span<const crypto::NoteVerifier> verifiers(&verifier, 1);
  auto cp = crypto::OpenCheckpoint(note, verifiers);
  if (!cp.has_value()) {
    core::Status s = cp.error();
    return s.WithContext(which);
  }
  if (cp->origin != verifier.Name()) {
    return core::DataLoss(std::string(which) + ": checkpoint is for log \"" + cp->origin +
                          "\", but the key is for \"" + verifier.Name() + "\"");
  }
  return std::move(cp).value();
}

core::Result<crypto::NoteVerifier> ParseKey(std::string_view key) {
  auto verifier = crypto::NoteVerifier::FromVerifierKey(key);
  if (!verifier.has_value()) {
    core::Status s = verifier.error();
    return s.WithContext("verifier key");
  }
  return std::move(verifier).value();
}

core::Result<std::string> ResolveLeafHash(const InclusionClaim& claim) {
  if (claim.record_bytes.has_value() == claim.leaf_hash.has_value()) {
    return core::InvalidArgument(
        "give exactly one of the record's canonical bytes or its leaf hash");
  }
  if (claim.leaf_hash) {
    if (claim.leaf_hash->size() != 32) {
      return core::InvalidArgument("a leaf hash must be 32 bytes");
    }
    return *claim.leaf_hash;
  }
  std::string leaf = crypto::LeafHash(*claim.record_bytes);
  if (claim.expected_leaf_hash && *claim.expected_leaf_hash != leaf) {
    return core::DataLoss("the record's bytes hash to another leaf than the proof was issued for");
  }
  return leaf;
}

core::Result<std::uint64_t> ResolveIndex(const InclusionClaim& claim) {
  if (!claim.record_bytes) {
    if (!claim.leaf_index) {
      return core::InvalidArgument("a leaf index is needed when only the leaf hash is given");
    }
    return *claim.leaf_index;
  }
  ASSIGN_OR_RETURN(const std::int64_t id, CanonicalRecordId(*claim.record_bytes));
  const auto index = static_cast<std::uint64_t>(id - 1);
  if (claim.leaf_index && *claim.leaf_index != index) {
    return core::InvalidArgument("record " + std::to_string(id) + " is leaf " +
                                 std::to_string(index) + ", not leaf " +
                                 std::to_string(*claim.leaf_index));
  }
  return index;
}

}  // namespace

core::Result<std::int64_t> CanonicalRecordId(std::string_view record_bytes) {
  const Json j = Json::parse(record_bytes, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object() || !j.contains("id") || !j.at("id").is_number_integer() || !j.contains("v") ||
      !j.contains("kind")) {
    return core::InvalidArgument(
        "the record bytes are not a canonical record (docs/formats/records.md)");
  }
  const auto id = j.at("id").get<std::int64_t>();
  if (id <= 0) {
    return core::InvalidArgument("the record's id must be positive");
  }
  return id;
}

core::Result<VerifiedInclusion> VerifyInclusionStandalone(const InclusionClaim& claim) {
  ASSIGN_OR_RETURN(const crypto::NoteVerifier verifier, ParseKey(claim.verifier_key));
  VerifiedInclusion out;
  ASSIGN_OR_RETURN(out.leaf_hash, ResolveLeafHash(claim));
  ASSIGN_OR_RETURN(out.leaf_index, ResolveIndex(claim));
  ASSIGN_OR_RETURN(out.checkpoint, OpenTrusted(claim.checkpoint, verifier, "checkpoint"));
  core::Status proved =
      crypto::VerifyInclusion(out.leaf_index, out.checkpoint.tree_size, out.leaf_hash, claim.proof,
                              out.checkpoint.root_hash);
  if (!proved.ok()) {
    return proved.WithContext("inclusion of leaf " + std::to_string(out.leaf_index) +
                              " in the checkpoint of size " +
                              std::to_string(out.checkpoint.tree_size));
  }
  return out;
}

core::Result<VerifiedConsistency> VerifyConsistencyStandalone(const ConsistencyClaim& claim) {
  ASSIGN_OR_RETURN(const crypto::NoteVerifier verifier, ParseKey(claim.verifier_key));
  VerifiedConsistency out;
  ASSIGN_OR_RETURN(out.old_checkpoint,
                   OpenTrusted(claim.old_checkpoint, verifier, "old checkpoint"));
  ASSIGN_OR_RETURN(out.new_checkpoint,
                   OpenTrusted(claim.new_checkpoint, verifier, "new checkpoint"));
  core::Status proved = crypto::VerifyConsistency(
      out.old_checkpoint.tree_size, out.new_checkpoint.tree_size, claim.proof,
      out.old_checkpoint.root_hash, out.new_checkpoint.root_hash);
  if (!proved.ok()) {
    return proved.WithContext("consistency from tree size " +
                              std::to_string(out.old_checkpoint.tree_size) + " to " +
                              std::to_string(out.new_checkpoint.tree_size));
  }
  return out;
}

}  // namespace custos::archive
