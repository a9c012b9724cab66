// SPDX-License-Identifier: Apache-2.0
// `custos verify [--json] [--public-key KEY|FILE]`: re-checks the whole archive from what is
// stored (archive/verifier.h) and repairs nothing. Opens the data directory read-only, so it
// can run beside a live server (it checks one consistent snapshot).
// Exit 0 when everything holds; kExitIntegrity (3) when anything does not (the report names
// the first bad record and what is wrong); the sysexits codes when verification cannot run.
//
// Beside the archive itself it checks two things only the data directory shows: that the
// write-ahead log loses no committed transaction to a damaged frame (archive/wal_check.h; run
// before the database is opened), and that every installed policy pack (DIR/policy/packs/V,
// DIR/policy/active links to one) still hashes to its version V, so a pack in force cannot be
// altered on disk unnoticed.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>

#include "archive/verifier.h"
#include "archive/wal_check.h"
#include "cli/commands.h"
#include "cli/common.h"
#include "cli/exit_codes.h"
#include "cli/progress.h"
#include "core/text.h"
#include "core/time.h"
#include "policy/loader/reader.h"
#include "policy/policy.h"

namespace custos::cli {
namespace {

constexpr std::size_t kProblemsShown = 20;
constexpr std::uint64_t kProgressEvery = 256;  // records between reports (drawn at most 5/s)

struct VerifyArgs {
  std::string data_dir;
  bool json = false;
  std::string public_key;
};

// Problems of the data directory (see the file comment), headline first.
void AddProblem(archive::VerifyReport* report, std::string subject, std::string problem) {
  report->problems.insert(report->problems.begin(), {std::move(subject), std::move(problem), 0});
  ++report->problem_count;
}

// Every DIR/policy/packs/V whose files do not hash to V.
std::vector<std::pair<std::string, std::string>> DamagedPacks(const std::string& data_dir) {
  namespace fs = std::filesystem;
  std::vector<std::pair<std::string, std::string>> damaged;
  const fs::path packs = fs::path(data_dir) / "policy" / "packs";
  std::error_code ec;
  for (const fs::directory_entry& e : fs::directory_iterator(packs, ec)) {
    const std::string name = e.path().filename().string();
    if (!e.is_directory() || name.starts_with(".")) {
      continue;  // staging directories of an apply in progress
    }
    const std::string subject = "policy/packs/" + name;
    auto files = policy::ReadPackFiles(e.path());
    if (!files.has_value()) {
      damaged.emplace_back(subject, "cannot be read: " + files.error().message());
      continue;
    }
    std::vector<policy::loader::PackFile> sorted;
    for (auto& [path, content] : *files) {
      sorted.push_back({path, std::make_shared<const std::string>(std::move(content))});
    }
    std::sort(sorted.begin(), sorted.end(),
              [](const auto& a, const auto& b) { return a.path < b.path; });
    const std::string version = policy::loader::PackVersion(sorted);
    if (version != name) {
      damaged.emplace_back(subject, "its files hash to " + version +
                                        ", not to its version: a file of the pack was altered");
    }
  }
  return damaged;
}

double Seconds(core::Micros micros) {
  return static_cast<double>(micros) / static_cast<double>(core::kMicrosPerSecond);
}

void PrintText(const archive::VerifyReport& report) {
  const double seconds = Seconds(report.elapsed_micros);
  const double rate = seconds > 0 ? static_cast<double>(report.records) / seconds : 0;
  std::printf(
      "checked %llu records (%llu decrypted, %llu disposed of), %llu Merkle nodes, %llu "
      "checkpoints, %llu messages in %.2f s (%.0f records/s)\n",
      static_cast<unsigned long long>(report.records),
      static_cast<unsigned long long>(report.decrypted),
      static_cast<unsigned long long>(report.disposed),
      static_cast<unsigned long long>(report.merkle_nodes),
      static_cast<unsigned long long>(report.checkpoints),
      static_cast<unsigned long long>(report.messages), seconds, rate);
  std::printf("root hash %s\n", core::HexEncode(report.root_hash).c_str());
  if (report.ok()) {
    std::printf("OK: the archive is intact\n");
    return;
  }
  std::printf("FAILED: %llu problem%s\n", static_cast<unsigned long long>(report.problem_count),
              report.problem_count == 1 ? "" : "s");
  for (std::size_t i = 0; i < report.problems.size() && i < kProblemsShown; ++i) {
    std::printf("  %s: %s\n", report.problems[i].subject.c_str(),
                report.problems[i].problem.c_str());
  }
  if (report.problem_count > kProblemsShown) {
    std::printf("  ... and %llu more (--json lists up to %zu)\n",
                static_cast<unsigned long long>(report.problem_count - kProblemsShown),
                report.problems.size());
  }
}

int RunVerify(const VerifyArgs& args) {
  constexpr const char* kWhat = "verify";
  std::string key;
  if (!args.public_key.empty()) {
    auto resolved = KeyArgument(args.public_key);
    if (!resolved.has_value()) {
      return Fail(kWhat, resolved.error());
    }
    key = std::move(resolved).value();
  }
  const std::string db_path = args.data_dir + "/custos.db";
  auto wal = archive::CheckWal(db_path + "-wal", db_path);  // before anything opens it
  if (!wal.has_value()) {
    return FailVerification(kWhat, wal.error());
  }
  auto custos = OpenData(args.data_dir, /*read_only=*/true);
  if (!custos.has_value()) {
    return FailVerification(kWhat, custos.error());  // a corrupt database file is kDataLoss
  }
  Progress progress(/*total_bytes=*/-1, "records", "records/s");
  archive::VerifyOptions options;
  options.progress_every = kProgressEvery;
  options.progress = [&progress](const archive::VerifyProgress& p) {
    progress.SetTotal(static_cast<std::int64_t>(p.records_total));
    progress.Update(static_cast<std::int64_t>(p.records_done), p.records_done);
  };
  auto report = (*custos)->log().Verify(options, key, &(*custos)->index());
  progress.Finish();
  if (!report.has_value()) {
    return FailVerification(kWhat, report.error());
  }
  for (auto& [subject, problem] : DamagedPacks(args.data_dir)) {
    AddProblem(&*report, subject, problem);
  }
  if (*wal) {
    AddProblem(&*report, "custos.db-wal", **wal);
  }
  if (args.json) {
    std::printf("%s\n", archive::VerifyReportJson(*report).c_str());
  } else {
    PrintText(*report);
  }
  std::fflush(stdout);
  if (!report->ok()) {
    return FailVerification(kWhat, report->status());
  }
  return kExitOk;
}

}  // namespace

void RegisterVerifyCommand(CLI::App& root, int* exit_code) {
  auto args = std::make_shared<VerifyArgs>();
  CLI::App* verify = root.add_subcommand(
      "verify",
      "Check the whole archive: decrypt every record, recompute every leaf, rebuild the Merkle "
      "tree, check every checkpoint's signature and root (repairs nothing)");
  verify->footer(
      "Exit status: 0 when everything holds; 3 when the archive fails a check (the report "
      "names the first bad record and what is wrong); 64-78 (sysexits) when verification "
      "could not run, e.g. 66 for a missing data directory.");
  AddDataOption(verify, &args->data_dir);
  verify->add_flag("--json", args->json,
                   "Print the report as JSON {\"ok\",\"records\",...,\"problems\":[...]}");
  verify
      ->add_option("--public-key", args->public_key,
                   "Check checkpoint signatures with this verifier key (or a file holding it) "
                   "instead of the archive's own signing key")
      ->type_name("KEY|FILE");
  verify->callback([args, exit_code] { *exit_code = RunVerify(*args); });
}

}  // namespace custos::cli
