// SPDX-License-Identifier: Apache-2.0
#include "archive/log_proofs.h"

#include <nlohmann/json.hpp>

#include "archive/checkpointer.h"
#include "archive/merkle_log.h"
#include "archive/records.h"
#include "core/text.h"
#include "crypto/crypto.h"
#include "crypto/merkle.h"

namespace custos::archive {
namespace {

using Json = nlohmann::json;

std::string Size(std::uint64_t n) { return std::to_string(n); }

core::Result<StoredCheckpoint> RequireCheckpoint(storage::Transaction& tx, std::uint64_t size) {
  ASSIGN_OR_RETURN(std::optional<StoredCheckpoint> cp, CheckpointAt(tx, size));
  if (!cp) {
    return core::NotFound("no checkpoint at tree size " + Size(size));
  }
  return std::move(*cp);
}

// The stored root of `cp` must be the root of the stored tree.
core::Status CheckRoot(storage::Transaction& tx, const StoredCheckpoint& cp) {
  ASSIGN_OR_RETURN(const std::string root, LogRoot(tx, cp.tree_size));
  if (root != cp.root_hash) {
    return core::DataLoss("the checkpoint at tree size " + Size(cp.tree_size) +
                          " does not match the stored tree (run custos verify)");
  }
  return core::Status::Ok();
}

Json HexList(const std::vector<std::string>& hashes) {
  Json list = Json::array();
  for (const std::string& h : hashes) {
    list.push_back(HashHex(h));
  }
  return list;
}

core::Result<std::string> HashMember(const Json& j, const char* name) {
  if (!j.contains(name) || !j.at(name).is_string()) {
    return core::InvalidArgument(std::string("\"") + name + "\" must be a hex string");
  }
  auto hash = ParseHashHex(j.at(name).get<std::string>());
  if (!hash.has_value()) {
    return core::InvalidArgument(std::string("\"") + name + "\": " + hash.error().message());
  }
  return std::move(hash).value();
}

core::Result<std::uint64_t> SizeMember(const Json& j, const char* name) {
  if (!j.contains(name) || !j.at(name).is_number_unsigned()) {
    return core::InvalidArgument(std::string("\"") + name + "\" must be a non-negative integer");
  }
  return j.at(name).get<std::uint64_t>();
}

core::Result<std::string> TextMember(const Json& j, const char* name) {
  if (!j.contains(name) || !j.at(name).is_string()) {
    return core::InvalidArgument(std::string("\"") + name + "\" must be a string");
  }
  return j.at(name).get<std::string>();
}

core::Result<std::vector<std::string>> ProofMember(const Json& j) {
  if (!j.contains("proof") || !j.at("proof").is_array()) {
    return core::InvalidArgument("\"proof\" must be an array of hex strings");
  }
  std::vector<std::string> out;
  for (const Json& h : j.at("proof")) {
    if (!h.is_string()) {
      return core::InvalidArgument("\"proof\" must be an array of hex strings");
    }
    auto hash = ParseHashHex(h.get<std::string>());
    if (!hash.has_value()) {
      return core::InvalidArgument("\"proof\"[" + std::to_string(out.size()) +
                                   "]: " + hash.error().message());
    }
    out.push_back(std::move(hash).value());
  }
  return out;
}

core::Result<Json> ParseObject(std::string_view text) {
  Json j = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) {
    return core::InvalidArgument("proof JSON is not a JSON object");
  }
  return j;
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  if (c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  return -1;
}

}  // namespace

core::Result<RecordInclusion> ProveInclusion(storage::Transaction& tx, std::int64_t record_id,
                                             std::optional<std::uint64_t> tree_size) {
  ASSIGN_OR_RETURN(std::optional<RecordInfo> info, GetRecordInfo(tx, record_id));
  if (!info || record_id <= 0) {
    return core::NotFound("no record " + std::to_string(record_id));
  }
  RecordInclusion out;
  out.record_id = record_id;
  out.leaf_index = static_cast<std::uint64_t>(record_id - 1);
  StoredCheckpoint cp;
  if (tree_size) {
    ASSIGN_OR_RETURN(cp, RequireCheckpoint(tx, *tree_size));
    if (out.leaf_index >= cp.tree_size) {
      return core::InvalidArgument("record " + std::to_string(record_id) +
                                   " is not in the tree of size " + Size(cp.tree_size));
    }
  } else {
    ASSIGN_OR_RETURN(std::optional<StoredCheckpoint> latest, LatestCheckpoint(tx));
    if (!latest) {
      return core::NotFound("the log has no checkpoint yet");
    }
    cp = std::move(*latest);
    if (out.leaf_index >= cp.tree_size) {
      return core::FailedPrecondition("record " + std::to_string(record_id) +
                                      " is newer than the latest checkpoint (tree size " +
                                      Size(cp.tree_size) +
                                      "); the next checkpoint will include it");
    }
  }
  ASSIGN_OR_RETURN(out.leaf_hash, LogLeaf(tx, out.leaf_index));
  if (out.leaf_hash != info->leaf_hash) {
    return core::DataLoss("record " + std::to_string(record_id) +
                          ": its leaf hash differs from the log's leaf (run custos verify)");
  }
  RETURN_IF_ERROR(CheckRoot(tx, cp));
  ASSIGN_OR_RETURN(out.proof, LogInclusionProof(tx, out.leaf_index, cp.tree_size));
  core::Status ok =
      crypto::VerifyInclusion(out.leaf_index, cp.tree_size, out.leaf_hash, out.proof, cp.root_hash);
  if (!ok.ok()) {
    return core::DataLoss("the stored tree gives a bad inclusion proof for record " +
                          std::to_string(record_id) + ": " + ok.message());
  }
  out.tree_size = cp.tree_size;
  out.root_hash = std::move(cp.root_hash);
  out.checkpoint = std::move(cp.note);
  return out;
}

core::Result<CheckpointConsistency> ProveConsistency(storage::Transaction& tx,
                                                     std::uint64_t old_size,
                                                     std::uint64_t new_size) {
  if (old_size == 0 || old_size > new_size) {
    return core::InvalidArgument("a consistency proof needs 0 < old size <= new size (got " +
                                 Size(old_size) + " and " + Size(new_size) + ")");
  }
  ASSIGN_OR_RETURN(StoredCheckpoint old_cp, RequireCheckpoint(tx, old_size));
  ASSIGN_OR_RETURN(StoredCheckpoint new_cp, RequireCheckpoint(tx, new_size));
  RETURN_IF_ERROR(CheckRoot(tx, old_cp));
  RETURN_IF_ERROR(CheckRoot(tx, new_cp));
  CheckpointConsistency out;
  ASSIGN_OR_RETURN(out.proof, LogConsistencyProof(tx, old_size, new_size));
  core::Status ok =
      crypto::VerifyConsistency(old_size, new_size, out.proof, old_cp.root_hash, new_cp.root_hash);
  if (!ok.ok()) {
    return core::DataLoss("the stored tree gives a bad consistency proof from " + Size(old_size) +
                          " to " + Size(new_size) + ": " + ok.message());
  }
  out.old_size = old_size;
  out.new_size = new_size;
  out.old_root = std::move(old_cp.root_hash);
  out.new_root = std::move(new_cp.root_hash);
  out.old_checkpoint = std::move(old_cp.note);
  out.new_checkpoint = std::move(new_cp.note);
  return out;
}

std::string InclusionJson(const RecordInclusion& inclusion) {
  Json j = {{"record_id", inclusion.record_id},  {"leaf_index", inclusion.leaf_index},
            {"tree_size", inclusion.tree_size},  {"leaf_hash", HashHex(inclusion.leaf_hash)},
            {"proof", HexList(inclusion.proof)}, {"root_hash", HashHex(inclusion.root_hash)},
            {"checkpoint", inclusion.checkpoint}};
  return j.dump();
}

std::string ConsistencyJson(const CheckpointConsistency& consistency) {
  Json j = {{"old_size", consistency.old_size},
            {"new_size", consistency.new_size},
            {"old_root", HashHex(consistency.old_root)},
            {"new_root", HashHex(consistency.new_root)},
            {"proof", HexList(consistency.proof)},
            {"old_checkpoint", consistency.old_checkpoint},
            {"new_checkpoint", consistency.new_checkpoint}};
  return j.dump();
}

core::Result<RecordInclusion> ParseInclusionJson(std::string_view json) {
  ASSIGN_OR_RETURN(Json j, ParseObject(json));
  RecordInclusion out;
  if (j.contains("record_id")) {
    if (!j.at("record_id").is_number_integer()) {
      return core::InvalidArgument("\"record_id\" must be an integer");
    }
    out.record_id = j.at("record_id").get<std::int64_t>();
  }
  ASSIGN_OR_RETURN(out.leaf_index, SizeMember(j, "leaf_index"));
  ASSIGN_OR_RETURN(out.tree_size, SizeMember(j, "tree_size"));
  ASSIGN_OR_RETURN(out.leaf_hash, HashMember(j, "leaf_hash"));
  ASSIGN_OR_RETURN(out.proof, ProofMember(j));
  ASSIGN_OR_RETURN(out.root_hash, HashMember(j, "root_hash"));
  ASSIGN_OR_RETURN(out.checkpoint, TextMember(j, "checkpoint"));
  return out;
}

core::Result<CheckpointConsistency> ParseConsistencyJson(std::string_view json) {
  ASSIGN_OR_RETURN(Json j, ParseObject(json));
  CheckpointConsistency out;
  ASSIGN_OR_RETURN(out.old_size, SizeMember(j, "old_size"));
  ASSIGN_OR_RETURN(out.new_size, SizeMember(j, "new_size"));
  ASSIGN_OR_RETURN(out.old_root, HashMember(j, "old_root"));
  ASSIGN_OR_RETURN(out.new_root, HashMember(j, "new_root"));
  ASSIGN_OR_RETURN(out.proof, ProofMember(j));
  ASSIGN_OR_RETURN(out.old_checkpoint, TextMember(j, "old_checkpoint"));
  ASSIGN_OR_RETURN(out.new_checkpoint, TextMember(j, "new_checkpoint"));
  return out;
}

std::string HashHex(std::string_view hash) { return core::HexEncode(hash); }

core::Result<std::string> ParseHashHex(std::string_view hex) {
  if (hex.size() != 2 * crypto::kSha256Bytes) {
    return core::InvalidArgument("a hash must be 64 hex digits, got " + std::to_string(hex.size()) +
                                 " characters");
  }
  std::string out;
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    const int hi = HexDigit(hex[i]);
    const int lo = HexDigit(hex[i + 1]);
    if (hi < 0 || lo < 0) {
      return core::InvalidArgument("a hash must be 64 hex digits");
    }
    out.push_back(static_cast<char>(hi * 16 + lo));
  }
  return out;
}

core::Result<std::vector<std::string>> ParseHashList(std::string_view comma_separated_hex) {
  std::vector<std::string> out;
  if (comma_separated_hex.empty()) {
    return out;
  }
  for (std::string_view item : core::Split(comma_separated_hex, ',')) {
    auto hash = ParseHashHex(core::TrimAscii(item));
    if (!hash.has_value()) {
      return core::InvalidArgument("proof hash " + std::to_string(out.size() + 1) + ": " +
                                   hash.error().message());
    }
    out.push_back(std::move(hash).value());
  }
  return out;
}

}  // namespace custos::archive
