// SPDX-License-Identifier: Apache-2.0
// `custos log checkpoint | public-key | proof inclusion | proof consistency`: the archive's
// Merkle log as an examiner needs it (docs/formats/checkpoint.md). All read-only: they open
// the data directory read-only and print what is stored.
#include <cstdint>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>

#include "archive/log_proofs.h"
#include "cli/commands.h"
#include "cli/common.h"
#include "cli/exit_codes.h"

namespace custos::cli {
namespace {

struct LogArgs {
  std::string data_dir;
  bool json = false;
  std::int64_t record_id = 0;
  std::uint64_t tree_size = 0;  // 0: the latest checkpoint
  std::uint64_t old_size = 0;
  std::uint64_t new_size = 0;
};

int RunCheckpoint(const LogArgs& args) {
  auto custos = OpenData(args.data_dir, /*read_only=*/true);
  if (!custos.has_value()) {
    return Fail("log checkpoint", custos.error());
  }
  auto checkpoint = (*custos)->log().Checkpoint();
  if (!checkpoint.has_value()) {
    return Fail("log checkpoint", checkpoint.error());
  }
  // Verbatim: the signed note already ends in a newline.
  const core::Status written = WriteStdout(checkpoint->note);
  return written.ok() ? kExitOk : Fail("log checkpoint", written);
}

int RunPublicKey(const LogArgs& args) {
  auto custos = OpenData(args.data_dir, /*read_only=*/true);
  if (!custos.has_value()) {
    return Fail("log public-key", custos.error());
  }
  auto key = (*custos)->log().PublicKey();
  if (!key.has_value()) {
    return Fail("log public-key", key.error());
  }
  std::printf("%s\n", key->c_str());
  return kExitOk;
}

void PrintHashes(const char* label, const std::vector<std::string>& hashes) {
  if (hashes.empty()) {
    std::printf("%-11s(none)\n", label);
  }
  for (std::size_t i = 0; i < hashes.size(); ++i) {
    std::printf("%-11s%s\n", i == 0 ? label : "", archive::HashHex(hashes[i]).c_str());
  }
}

int RunProveInclusion(const LogArgs& args) {
  auto custos = OpenData(args.data_dir, /*read_only=*/true);
  if (!custos.has_value()) {
    return Fail("log proof inclusion", custos.error());
  }
  std::optional<std::uint64_t> tree_size;
  if (args.tree_size > 0) {
    tree_size = args.tree_size;
  }
  auto proof = (*custos)->log().ProveInclusion(args.record_id, tree_size);
  if (!proof.has_value()) {
    return Fail("log proof inclusion", proof.error());
  }
  if (args.json) {
    std::printf("%s\n", archive::InclusionJson(*proof).c_str());
    return kExitOk;
  }
  std::printf("record %lld is leaf %llu of the tree of size %llu\n",
              static_cast<long long>(proof->record_id),
              static_cast<unsigned long long>(proof->leaf_index),
              static_cast<unsigned long long>(proof->tree_size));
  std::printf("%-11s%s\n", "leaf hash", archive::HashHex(proof->leaf_hash).c_str());
  std::printf("%-11s%s\n", "root hash", archive::HashHex(proof->root_hash).c_str());
  PrintHashes("proof", proof->proof);
  std::printf("checkpoint:\n%s", proof->checkpoint.c_str());
  return kExitOk;
}

int RunProveConsistency(const LogArgs& args) {
  auto custos = OpenData(args.data_dir, /*read_only=*/true);
  if (!custos.has_value()) {
    return Fail("log proof consistency", custos.error());
  }
  auto proof = (*custos)->log().ProveConsistency(args.old_size, args.new_size);
  if (!proof.has_value()) {
    return Fail("log proof consistency", proof.error());
  }
  if (args.json) {
    std::printf("%s\n", archive::ConsistencyJson(*proof).c_str());
    return kExitOk;
  }
  std::printf("the tree of size %llu extends the tree of size %llu\n",
              static_cast<unsigned long long>(proof->new_size),
              static_cast<unsigned long long>(proof->old_size));
  std::printf("%-11s%s\n", "old root", archive::HashHex(proof->old_root).c_str());
  std::printf("%-11s%s\n", "new root", archive::HashHex(proof->new_root).c_str());
  PrintHashes("proof", proof->proof);
  std::printf("old checkpoint:\n%s", proof->old_checkpoint.c_str());
  std::printf("new checkpoint:\n%s", proof->new_checkpoint.c_str());
  return kExitOk;
}

}  // namespace

CLI::App* RegisterLogCommand(CLI::App& root, int* exit_code) {
  CLI::App* log = root.add_subcommand(
      "log",
      "The archive's signed Merkle log: checkpoints, the public key, proofs, and checking "
      "them without access to the archive");
  log->require_subcommand(1);
  auto args = std::make_shared<LogArgs>();

  CLI::App* checkpoint = log->add_subcommand(
      "checkpoint", "Print the latest signed checkpoint (a C2SP tlog-checkpoint note), verbatim");
  AddDataOption(checkpoint, &args->data_dir);
  checkpoint->callback([args, exit_code] { *exit_code = RunCheckpoint(*args); });

  CLI::App* public_key = log->add_subcommand(
      "public-key", "Print the log's verifier key (<origin>+<key id>+<base64>, Go note format)");
  AddDataOption(public_key, &args->data_dir);
  public_key->callback([args, exit_code] { *exit_code = RunPublicKey(*args); });

  CLI::App* proof = log->add_subcommand("proof", "Prove a record's inclusion or the log's growth");
  proof->require_subcommand(1);
  CLI::App* inclusion = proof->add_subcommand(
      "inclusion", "Prove that a record is in a signed checkpoint (RFC 6962 audit path)");
  inclusion->add_option("record_id", args->record_id, "The record id (leaf index + 1)")
      ->required()
      ->check(IntegerArgument("record id"));
  inclusion
      ->add_option("--tree-size", args->tree_size,
                   "Prove against the checkpoint of this size (default: the latest)")
      ->type_name("N")
      ->check(IntegerArgument("--tree-size"));
  inclusion->add_flag("--json", args->json,
                      "Print {\"checkpoint\",\"leaf_hash\",\"leaf_index\",\"proof\",\"record_id\","
                      "\"root_hash\",\"tree_size\"} (input of `custos log verify-inclusion`)");
  AddDataOption(inclusion, &args->data_dir);
  inclusion->callback([args, exit_code] { *exit_code = RunProveInclusion(*args); });

  CLI::App* consistency = proof->add_subcommand(
      "consistency", "Prove that the checkpoint of NEW_SIZE extends the one of OLD_SIZE");
  consistency->add_option("old_size", args->old_size, "The older checkpoint's tree size")
      ->required()
      ->check(IntegerArgument("old size"));
  consistency->add_option("new_size", args->new_size, "The newer checkpoint's tree size")
      ->required()
      ->check(IntegerArgument("new size"));
  consistency->add_flag("--json", args->json,
                        "Print {\"new_checkpoint\",\"new_root\",\"new_size\",\"old_checkpoint\","
                        "\"old_root\",\"old_size\",\"proof\"} (input of `custos log "
                        "verify-consistency`)");
  AddDataOption(consistency, &args->data_dir);
  consistency->callback([args, exit_code] { *exit_code = RunProveConsistency(*args); });
  return log;
}

}  // namespace custos::cli
