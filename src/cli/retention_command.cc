// SPDX-License-Identifier: Apache-2.0
// `custos retention run [--dry-run] [--json]`: disposes of every message whose retention class
// has expired and that no legal hold covers, by crypto-shredding, with a disposition record
// for each (docs/retention.md). --dry-run lists what would go and changes nothing (it opens
// the data directory read-only).
#include <cstdio>
#include <map>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/common.h"
#include "cli/exit_codes.h"
#include "core/time.h"
#include "http/resource_json.h"

namespace custos::cli {
namespace {

struct RetentionArgs {
  std::string data_dir;
  bool dry_run = false;
  bool json = false;
};

void PrintText(const app::RetentionReport& report) {
  std::map<std::string, std::size_t> per_class;
  for (const archive::Expired& e : report.items) {
    std::printf("message %-6lld record %-6lld %-8s %-9s sent %s  class %s (%s): %s",
                static_cast<long long>(e.message_id), static_cast<long long>(e.record_id),
                e.channel.c_str(), e.kind.c_str(), core::FormatRfc3339(e.sent_at).c_str(),
                e.class_name.c_str(), e.period.c_str(), e.legal_basis.c_str());
    if (e.disposition_record_id != 0) {
      std::printf("  -> disposition record %lld", static_cast<long long>(e.disposition_record_id));
    }
    std::printf("\n");
    ++per_class[e.class_name];
  }
  std::printf("%s as of %s: %zu message%s %s", report.dry_run ? "dry run" : "retention run",
              core::FormatRfc3339(report.as_of).c_str(), report.items.size(),
              report.items.size() == 1 ? "" : "s",
              report.dry_run ? "would be disposed of" : "disposed of");
  const char* sep = " (";
  for (const auto& [name, count] : per_class) {
    std::printf("%s%s: %zu", sep, name.c_str(), count);
    sep = ", ";
  }
  std::printf("%s\n", per_class.empty() ? "" : ")");
}

int RunRetention(const RetentionArgs& args) {
  auto custos = OpenData(args.data_dir, /*read_only=*/args.dry_run);
  if (!custos.has_value()) {
    return Fail("retention run", custos.error());
  }
  auto report = (*custos)->retention().Run({.dry_run = args.dry_run});
  if (!report.has_value()) {
    return Fail("retention run", report.error());
  }
  if (args.json) {
    const std::string out = http::RetentionReportJson(*report).dump(
        -1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
    std::printf("%s\n", out.c_str());
  } else {
    PrintText(*report);
  }
  return kExitOk;
}

}  // namespace

void RegisterRetentionCommand(CLI::App& root, int* exit_code) {
  CLI::App* retention = root.add_subcommand(
      "retention", "Retention: dispose of what has expired (classes in DIR/custos.yaml)");
  retention->require_subcommand(1);
  auto args = std::make_shared<RetentionArgs>();
  CLI::App* run = retention->add_subcommand(
      "run",
      "Dispose of every expired message no legal hold covers (crypto-shredding; the Merkle leaf "
      "stays and a disposition record is written)");
  run->add_flag("--dry-run", args->dry_run, "List what would be disposed of; change nothing");
  run->add_flag("--json", args->json, "Print the report as JSON");
  AddDataOption(run, &args->data_dir);
  run->callback([args, exit_code] { *exit_code = RunRetention(*args); });
}

}  // namespace custos::cli
