// SPDX-License-Identifier: Apache-2.0
// `custos import runs [--json]`: every import run (the chain of custody of imported history:
// importer and version, source file name and SHA-256, custodian, counts, start and end, and the
// record that states it), oldest first.
#include <cstdio>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "cli/common.h"
#include "cli/exit_codes.h"
#include "cli/import_formats_command.h"
#include "directory/json.h"

namespace custos::cli {
namespace {

struct RunsArgs {
  std::string data_dir;
  bool json = false;
};

int ListRuns(const RunsArgs& args) {
  auto custos = OpenData(args.data_dir, /*read_only=*/true);
  if (!custos.has_value()) {
    return Fail("import runs", custos.error());
  }
  auto runs = (*custos)->import_runs().List();
  if (!runs.has_value()) {
    return Fail("import runs", runs.error());
  }
  if (args.json) {
    nlohmann::json out = nlohmann::json::array();
    for (const directory::ImportRun& run : *runs) {
      out.push_back(directory::ImportRunJson(run));
    }
    std::printf("%s\n", nlohmann::json{{"runs", out}}.dump().c_str());
    return kExitOk;
  }
  if (runs->empty()) {
    std::printf("no import runs in %s\n", args.data_dir.c_str());
    return kExitOk;
  }
  for (const directory::ImportRun& run : *runs) {
    std::printf(
        "%lld  %-10s %-9s %s  %s  sha256 %s  imported %lld, duplicates %lld, rejected "
        "%lld, skipped %lld  record %lld\n",
        static_cast<long long>(run.id), run.importer.c_str(), run.status.c_str(),
        core::FormatRfc3339(run.started_at).c_str(),
        run.source_name.empty() ? "-" : run.source_name.c_str(), run.source_sha256.c_str(),
        static_cast<long long>(run.imported), static_cast<long long>(run.duplicates),
        static_cast<long long>(run.rejected), static_cast<long long>(run.SkippedTotal()),
        static_cast<long long>(run.record_id));
  }
  return kExitOk;
}

}  // namespace

void RegisterImportRunsCommand(CLI::App* import, int* exit_code) {
  auto args = std::make_shared<RunsArgs>();
  CLI::App* cmd = import->add_subcommand(
      "runs", "List the import runs with their source hashes (docs/directory.md)");
  AddDataOption(cmd, &args->data_dir);
  cmd->add_flag("--json", args->json, "Print {\"runs\":[...]} (docs/api/openapi.yaml ImportRun)");
  cmd->callback([args, exit_code] { *exit_code = ListRuns(*args); });
}

}  // namespace custos::cli
