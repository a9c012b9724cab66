// SPDX-License-Identifier: Apache-2.0
// `custos log verify-inclusion` and `custos log verify-consistency`: standalone verification
// for an examiner (archive/standalone_verifier.h). They need no data directory and no key
// ring: only files the examiner was given (signed checkpoints, the verifier key, exported
// canonical records or leaf hashes, and the proofs `custos log proof ... --json` printed).
// Exit 0 when the claim verifies, kExitIntegrity (3) when it does not, and the usual codes
// for unreadable or malformed input.
#include <cstdint>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "archive/log_proofs.h"
#include "archive/standalone_verifier.h"
#include "cli/commands.h"
#include "cli/common.h"
#include "cli/exit_codes.h"
#include "core/text.h"

namespace custos::cli {
namespace {

struct VerifyInclusionArgs {
  std::string checkpoint;  // file
  std::string public_key;  // key or file
  std::string record;      // file with canonical bytes
  std::string leaf_hash;   // hex
  std::string proof_json;  // file
  std::string proof;       // HEX,HEX,...
  std::uint64_t index = 0;
  CLI::Option* proof_option = nullptr;
  CLI::Option* index_option = nullptr;
};

struct VerifyConsistencyArgs {
  std::string old_checkpoint;
  std::string new_checkpoint;
  std::string public_key;
  std::string proof_json;
  std::string proof;
  CLI::Option* proof_option = nullptr;
};

// The tree size line of a checkpoint note; nullopt when the note is too malformed to say (the
// verifier then reports what is wrong with it).
std::optional<std::uint64_t> NoteTreeSize(std::string_view note) {
  const std::size_t first = note.find('\n');
  if (first == std::string_view::npos) {
    return std::nullopt;
  }
  const std::string_view rest = note.substr(first + 1);
  const std::string_view line = rest.substr(0, rest.find('\n'));
  if (line.empty() || line.size() > 19 || line.find_first_not_of("0123456789") != line.npos) {
    return std::nullopt;
  }
  return std::stoull(std::string(line));
}

// kInvalidArgument when `note` states another tree size than the proof was issued for.
core::Status CheckSize(std::string_view note, std::uint64_t size, std::string_view which) {
  const std::optional<std::uint64_t> stated = NoteTreeSize(note);
  if (stated && *stated != size) {
    return core::InvalidArgument(std::string(which) + " is for tree size " +
                                 std::to_string(*stated) + ", but the proof is for tree size " +
                                 std::to_string(size));
  }
  return core::Status::Ok();
}

core::Result<archive::InclusionClaim> BuildInclusionClaim(const VerifyInclusionArgs& args) {
  archive::InclusionClaim claim;
  ASSIGN_OR_RETURN(claim.verifier_key, KeyArgument(args.public_key));
  if (!args.record.empty()) {
    ASSIGN_OR_RETURN(claim.record_bytes, ReadInput(args.record));
  } else {
    ASSIGN_OR_RETURN(claim.leaf_hash, archive::ParseHashHex(args.leaf_hash));
  }
  if (args.index_option->count() > 0) {
    claim.leaf_index = args.index;
  }
  if (!args.checkpoint.empty()) {
    ASSIGN_OR_RETURN(claim.checkpoint, CheckpointInput(args.checkpoint));
  }
  if (args.proof_option->count() > 0) {
    ASSIGN_OR_RETURN(claim.proof, archive::ParseHashList(core::TrimAscii(args.proof)));
    return claim;
  }
  ASSIGN_OR_RETURN(std::string json, ReadInput(args.proof_json));
  auto parsed = archive::ParseInclusionJson(json);
  if (!parsed.has_value()) {
    core::Status s = parsed.error();
    return s.WithContext(args.proof_json);
  }
  if (claim.checkpoint.empty()) {
    claim.checkpoint = parsed->checkpoint;
  } else {
    RETURN_IF_ERROR(CheckSize(claim.checkpoint, parsed->tree_size, "the checkpoint"));
  }
  if (claim.leaf_index && *claim.leaf_index != parsed->leaf_index) {
    return core::InvalidArgument("--index " + std::to_string(*claim.leaf_index) +
                                 " contradicts the proof's leaf_index " +
                                 std::to_string(parsed->leaf_index));
  }
  claim.leaf_index = parsed->leaf_index;
  if (claim.leaf_hash && *claim.leaf_hash != parsed->leaf_hash) {
    return core::DataLoss("the leaf hash given is not the one the proof was issued for (" +
                          archive::HashHex(parsed->leaf_hash) + ")");
  }
  claim.expected_leaf_hash = parsed->leaf_hash;
  claim.proof = std::move(parsed->proof);
  return claim;
}

int RunVerifyInclusion(const VerifyInclusionArgs& args) {
  constexpr const char* kWhat = "log verify-inclusion";
  if (args.checkpoint.empty() && args.proof_json.empty()) {
    std::fprintf(stderr, "custos: %s: --checkpoint is required with --proof\n", kWhat);
    return kExitUsage;
  }
  if (args.record.empty() && args.index_option->count() == 0 && args.proof_json.empty()) {
    std::fprintf(stderr, "custos: %s: --index is required with --leaf-hash and --proof\n", kWhat);
    return kExitUsage;
  }
  auto claim = BuildInclusionClaim(args);
  if (!claim.has_value()) {
    return FailVerification(kWhat, claim.error());
  }
  auto verified = archive::VerifyInclusionStandalone(*claim);
  if (!verified.has_value()) {
    return FailVerification(kWhat, verified.error());
  }
  const std::string leaf = claim->record_bytes
                               ? "record " + std::to_string(verified->leaf_index + 1) + " (leaf " +
                                     std::to_string(verified->leaf_index) + ")"
                               : "leaf " + std::to_string(verified->leaf_index);
  std::printf("OK: %s with leaf hash %s is in the log %s at tree size %llu (root %s)\n",
              leaf.c_str(), archive::HashHex(verified->leaf_hash).c_str(),
              verified->checkpoint.origin.c_str(),
              static_cast<unsigned long long>(verified->checkpoint.tree_size),
              archive::HashHex(verified->checkpoint.root_hash).c_str());
  return kExitOk;
}

core::Result<archive::ConsistencyClaim> BuildConsistencyClaim(const VerifyConsistencyArgs& args) {
  archive::ConsistencyClaim claim;
  ASSIGN_OR_RETURN(claim.verifier_key, KeyArgument(args.public_key));
  if (!args.old_checkpoint.empty()) {
    ASSIGN_OR_RETURN(claim.old_checkpoint, CheckpointInput(args.old_checkpoint));
  }
  if (!args.new_checkpoint.empty()) {
    ASSIGN_OR_RETURN(claim.new_checkpoint, CheckpointInput(args.new_checkpoint));
  }
  if (args.proof_option->count() > 0) {
    ASSIGN_OR_RETURN(claim.proof, archive::ParseHashList(core::TrimAscii(args.proof)));
    return claim;
  }
  ASSIGN_OR_RETURN(std::string json, ReadInput(args.proof_json));
  auto parsed = archive::ParseConsistencyJson(json);
  if (!parsed.has_value()) {
    core::Status s = parsed.error();
    return s.WithContext(args.proof_json);
  }
  if (claim.old_checkpoint.empty()) {
    claim.old_checkpoint = parsed->old_checkpoint;
  } else {
    RETURN_IF_ERROR(CheckSize(claim.old_checkpoint, parsed->old_size, "the old checkpoint"));
  }
  if (claim.new_checkpoint.empty()) {
    claim.new_checkpoint = parsed->new_checkpoint;
  } else {
    RETURN_IF_ERROR(CheckSize(claim.new_checkpoint, parsed->new_size, "the new checkpoint"));
  }
  claim.proof = std::move(parsed->proof);
  return claim;
}

int RunVerifyConsistency(const VerifyConsistencyArgs& args) {
  constexpr const char* kWhat = "log verify-consistency";
  if (args.proof_json.empty() && (args.old_checkpoint.empty() || args.new_checkpoint.empty())) {
    std::fprintf(stderr,
                 "custos: %s: --old-checkpoint and --new-checkpoint are required with "
                 "--proof\n",
                 kWhat);
    return kExitUsage;
  }
  auto claim = BuildConsistencyClaim(args);
  if (!claim.has_value()) {
    return FailVerification(kWhat, claim.error());
  }
  auto verified = archive::VerifyConsistencyStandalone(*claim);
  if (!verified.has_value()) {
    return FailVerification(kWhat, verified.error());
  }
  std::printf("OK: in the log %s, tree size %llu (root %s) extends tree size %llu (root %s)\n",
              verified->new_checkpoint.origin.c_str(),
              static_cast<unsigned long long>(verified->new_checkpoint.tree_size),
              archive::HashHex(verified->new_checkpoint.root_hash).c_str(),
              static_cast<unsigned long long>(verified->old_checkpoint.tree_size),
              archive::HashHex(verified->old_checkpoint.root_hash).c_str());
  return kExitOk;
}

constexpr const char* kExitFooter =
    "Exit status: 0 when it verifies; 3 when it does not (a signature, the record or a proof "
    "does not hold); 64-78 when the input cannot be read or is malformed.";

}  // namespace

void RegisterLogVerifyCommands(CLI::App& log, int* exit_code) {
  auto in = std::make_shared<VerifyInclusionArgs>();
  CLI::App* inclusion = log.add_subcommand(
      "verify-inclusion",
      "Check, without the archive, that a record (its canonical bytes) or a leaf hash is in a "
      "signed checkpoint");
  inclusion->footer(kExitFooter);
  inclusion
      ->add_option("--checkpoint", in->checkpoint,
                   "Signed checkpoint note file (`custos log checkpoint`, or the answer of GET "
                   "/api/v1/log/checkpoint, JSON or text); default: the one in --proof-json")
      ->type_name("FILE");
  inclusion
      ->add_option("--public-key", in->public_key,
                   "The log's verifier key (`custos log public-key`), or a file holding it or "
                   "the answer of GET /api/v1/log/public-key (JSON or text)")
      ->type_name("KEY|FILE")
      ->required();
  CLI::Option* record =
      inclusion
          ->add_option("--record", in->record,
                       "File with the record's canonical bytes (`custos record show ID "
                       "--canonical`)")
          ->type_name("FILE");
  CLI::Option* leaf =
      inclusion->add_option("--leaf-hash", in->leaf_hash, "The leaf hash, 64 hex digits")
          ->type_name("HEX");
  record->excludes(leaf);
  CLI::Option* json = inclusion
                          ->add_option("--proof-json", in->proof_json,
                                       "The output of `custos log proof inclusion ID --json`")
                          ->type_name("FILE");
  in->proof_option =
      inclusion
          ->add_option("--proof", in->proof,
                       "The audit path as comma-separated hex hashes, lowest level first")
          ->type_name("HEX,...");
  json->excludes(in->proof_option);
  in->index_option = inclusion->add_option("--index", in->index, "The leaf index (record id - 1)")
                         ->type_name("N")
                         ->check(IntegerArgument("--index", 0));
  inclusion->callback([in, record, leaf, json, exit_code] {
    if (record->count() + leaf->count() != 1 || json->count() + in->proof_option->count() != 1) {
      std::fprintf(stderr,
                   "custos: log verify-inclusion: give one of --record and --leaf-hash, and one "
                   "of --proof-json and --proof\n");
      *exit_code = kExitUsage;
      return;
    }
    *exit_code = RunVerifyInclusion(*in);
  });

  auto con = std::make_shared<VerifyConsistencyArgs>();
  CLI::App* consistency = log.add_subcommand(
      "verify-consistency",
      "Check, without the archive, that a newer signed checkpoint extends an older one");
  consistency->footer(kExitFooter);
  consistency
      ->add_option("--old-checkpoint", con->old_checkpoint,
                   "The older checkpoint note file; default: the one in --proof-json")
      ->type_name("FILE");
  consistency
      ->add_option("--new-checkpoint", con->new_checkpoint,
                   "The newer checkpoint note file; default: the one in --proof-json")
      ->type_name("FILE");
  consistency
      ->add_option("--public-key", con->public_key,
                   "The log's verifier key (`custos log public-key`), or a file holding it")
      ->type_name("KEY|FILE")
      ->required();
  CLI::Option* con_json =
      consistency
          ->add_option("--proof-json", con->proof_json,
                       "The output of `custos log proof consistency OLD NEW --json`")
          ->type_name("FILE");
  con->proof_option =
      consistency
          ->add_option("--proof", con->proof,
                       "The consistency proof as comma-separated hex hashes (\"\" for none)")
          ->type_name("HEX,...");
  con_json->excludes(con->proof_option);
  consistency->callback([con, con_json, exit_code] {
    if (con_json->count() + con->proof_option->count() != 1) {
      std::fprintf(stderr,
                   "custos: log verify-consistency: give one of --proof-json and --proof\n");
      *exit_code = kExitUsage;
      return;
    }
    *exit_code = RunVerifyConsistency(*con);
  });
}

}  // namespace custos::cli
