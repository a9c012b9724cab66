// SPDX-License-Identifier: Apache-2.0
// `custos import whatsapp|telegram|...|auto PATH`: parses the arguments and takes the export's
// import through app::ImportService step by step (app/format_import.h), asking on a terminal who
// exported it and who unknown sender names are (cli/import_prompt.h) between the steps. Prints
// the summary (imported, duplicates, rejected, skipped by kind) and, on bad input, the position
// and how much was committed before it.
#include "cli/import_formats_command.h"

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/format_import.h"
#include "app/import_service.h"
#include "cli/common.h"
#include "cli/exit_codes.h"
#include "cli/import_observer.h"
#include "cli/import_prompt.h"

namespace custos::cli {
namespace {

struct FormatArgs {
  std::string data_dir;
  bool json = false;
  bool no_input = false;
  // format ("" = auto), path, options, participants, region (app/import_region.h), batch and
  // min_free_mb as given; the limits are set from the two flags below.
  app::FormatImportRequest request;
  std::uint64_t max_uncompressed_mb = importers::ArchiveLimits{}.max_uncompressed_bytes >> 20;
  std::uint64_t max_expansion_ratio = importers::ArchiveLimits{}.max_expansion_ratio;
};

void PrintSummary(const std::string& format, const app::ImportCounts& c, bool json,
                  core::Micros elapsed, const directory::ImportRun& run) {
  std::int64_t skipped = 0;
  for (const auto& [kind, n] : c.skipped) {
    skipped += n;
  }
  if (json) {
    nlohmann::json out = {{"format", format},
                          {"imported", c.imported},
                          {"duplicates", c.duplicates},
                          {"rejected", c.rejected},
                          {"skipped", skipped},
                          {"skipped_by_kind", c.skipped},
                          {"import_run", run.id},
                          {"record_id", run.record_id},
                          {"source_sha256", run.source_sha256},
                          {"attachments_not_stored", run.attachments_not_stored}};
    std::printf("%s\n", out.dump().c_str());
  } else {
    std::string kinds;
    for (const auto& [kind, n] : c.skipped) {
      kinds += (kinds.empty() ? " (" : ", ") + kind + " " + std::to_string(n);
    }
    if (!kinds.empty()) {
      kinds += ")";
    }
    std::printf("%s: imported %lld, duplicates %lld, rejected %lld, skipped %lld%s in %.1f s\n",
                format.c_str(), static_cast<long long>(c.imported),
                static_cast<long long>(c.duplicates), static_cast<long long>(c.rejected),
                static_cast<long long>(skipped), kinds.c_str(),
                static_cast<double>(elapsed) / core::kMicrosPerSecond);
    if (!run.attachments_not_stored.empty()) {
      std::printf("%zu attachment(s) in the export not stored, recorded as missing:\n",
                  run.attachments_not_stored.size());
      for (const std::string& a : run.attachments_not_stored) {
        std::printf("  %s\n", a.c_str());
      }
    }
    std::printf("import run %lld (record %lld), source sha256 %s\n", static_cast<long long>(run.id),
                static_cast<long long>(run.record_id), run.source_sha256.c_str());
  }
  std::fflush(stdout);
}

// On a terminal: who the sender names the resolver does not know are (cli/import_prompt.h).
// True when a name turned out to be the custodian's: it is added to options.self_identities
// and the source must be opened again.
bool AskSenders(const importers::Source& source, directory::Resolver& resolver,
                importers::ImportOptions& options) {
  const std::string custodian =
      options.custodian.empty() ? "" : resolver.Resolve(options.custodian).identity;
  const ParticipantAnswers answers =
      AskParticipants(source.SenderNames(), options, custodian, resolver, stdin, stderr);
  for (const std::string& name : answers.custodian_names) {
    options.self_identities.push_back(name);
  }
  return !answers.custodian_names.empty();
}

int RunFormatImport(FormatArgs args) {
  app::FormatImportRequest& request = args.request;
  request.limits.max_uncompressed_bytes = args.max_uncompressed_mb << 20;
  request.limits.max_expansion_ratio = args.max_expansion_ratio;
  auto import = app::FormatImport::Open(request, args.data_dir);
  if (!import.has_value()) {
    return Fail("import", import.error());
  }
  const std::string format((*import)->format().name);
  importers::ImportOptions& options = (*import)->options();
  const bool ask = ShouldPrompt(args.json, args.no_input);
  if (ask && options.custodian.empty()) {
    options.custodian = AskCustodian(options.default_region, stdin, stderr);
  }
  if (const core::Status opened = (*import)->OpenSource(); !opened.ok()) {
    return Fail("import " + format, opened);
  }
  auto custos = OpenData(args.data_dir, /*read_only=*/false);
  if (!custos.has_value()) {
    return Fail("import", custos.error());
  }
  app::ImportService& imports = (*custos)->imports();
  if (const core::Status prepared = imports.Prepare(**import); !prepared.ok()) {
    return Fail("import", prepared);
  }
  if (ask && AskSenders((*import)->source(), (*import)->resolver(), options)) {
    // With the custodian's name as --self.
    if (const core::Status opened = (*import)->OpenSource(); !opened.ok()) {
      return Fail("import " + format, opened);
    }
  }
  TerminalImportObserver observer;
  auto report = imports.Run(**import, observer);
  if (!report.has_value()) {
    return Fail("import", report.error());
  }
  int code = kExitOk;
  if (const auto& bad = report->bad_line) {
    const std::string where = bad->where.empty() ? "" : bad->where + ": ";
    const std::string field = bad->field.empty() ? "" : "field \"" + bad->field + "\": ";
    std::fprintf(stderr, "%s%s%s\n", where.c_str(), field.c_str(), bad->message.c_str());
    std::fprintf(stderr,
                 "import stopped; %lld messages before it were committed, and a re-run after a "
                 "fix imports only the rest\n",
                 static_cast<long long>(report->counts.imported));
    code = kExitDataError;
  }
  if (!report->status.ok()) {
    code = Fail("import " + request.path, report->status);
  } else if (!report->linked.ok()) {
    code = Fail("import " + request.path, report->linked);
  } else if (!report->source_status.ok()) {
    code = Fail("import", report->source_status);
  }
  if (!report->recorded.ok()) {
    code = Fail("import: recording the import run", report->recorded);
  }
  PrintSummary(format, report->counts, args.json, report->elapsed, report->run);
  return code;
}

void AddCommand(CLI::App* import, const std::string& name, const std::string& help,
                int* exit_code) {
  auto args = std::make_shared<FormatArgs>();
  args->request.format = name == "auto" ? "" : name;
  CLI::App* cmd = import->add_subcommand(name, help);
  cmd->add_option("path", args->request.path, "The export: a file, a zip or a directory")
      ->required();
  AddDataOption(cmd, &args->data_dir);
  cmd->add_flag("--json", args->json,
                "Print the summary as JSON: {\"format\",\"imported\",\"duplicates\","
                "\"rejected\",\"skipped\",\"skipped_by_kind\":{kind:N},\"import_run\","
                "\"record_id\",\"source_sha256\"}");
  cmd->add_option("--custodian", args->request.options.custodian,
                  "Who exported it (phone, e-mail or handle); their messages are outbound. "
                  "Asked for on a terminal when missing");
  cmd->add_flag("--no-input", args->no_input,
                "Never ask (custodian, sender names); the default when stdin or stderr is not a "
                "terminal, or with --json");
  cmd->add_option("--self", args->request.options.self_identities,
                  "A name or id that also means the custodian in the export (repeatable)");
  cmd->add_option("--chat-name", args->request.options.chat_name,
                  "The conversation's name when the export has none (WhatsApp)");
  cmd->add_option("--participant", args->request.participants,
                  "NAME=HANDLE: a name in the export means this handle or directory person "
                  "(repeatable)");
  cmd->add_option("--region", args->request.region,
                  "Region (ISO 3166-1) for phone numbers without a country code; default: "
                  "directory.default_region of DIR/custos.yaml, else GB");
  cmd->add_option("--utc-offset", args->request.options.utc_offset_minutes,
                  "Minutes east of UTC of the export's local times (WhatsApp)")
      ->capture_default_str()
      ->check(IntegerArgument("--utc-offset", -14 * 60, 14 * 60));
  cmd->add_option("--batch", args->request.batch, "Messages per submitted chunk")
      ->check(IntegerArgument("--batch", 1, 100'000))
      ->capture_default_str();
  cmd->add_option("--max-uncompressed-mb", args->max_uncompressed_mb,
                  "Refuse a zip that expands to more than this many MiB in all")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->add_option("--max-expansion-ratio", args->max_expansion_ratio,
                  "Refuse a zip that expands to this many times its own size or more (a zip "
                  "bomb); zips expanding to under 1 MiB are exempt")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->add_option("--min-free-mb", args->request.min_free_mb,
                  "Refuse to start, and stop, when the data directory's file system has fewer "
                  "MiB free (0: no check)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  cmd->callback([args, exit_code] { *exit_code = RunFormatImport(*args); });
}

}  // namespace

void RegisterImportFormatCommands(CLI::App* import, int* exit_code) {
  for (const importers::Format* f : importers::Formats()) {
    AddCommand(import, std::string(f->name),
               std::string(f->description) + " (docs/formats/" + std::string(f->name) + ".md)",
               exit_code);
  }
  AddCommand(import, "auto",
             "Detect the export format (" + importers::FormatNames() + ") and import it",
             exit_code);
}

}  // namespace custos::cli
