// SPDX-License-Identifier: Apache-2.0
// `custos import whatsapp|telegram|...|auto PATH`: opens PATH (a file, a zip or a directory) as
// a Bundle, opens the format's Source and streams its items through the Importer into the
// archive. Prints the summary (imported, duplicates, rejected, skipped by kind) and, on bad
// input, the position and how much was committed before it.
#include "cli/import_formats_command.h"

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/common.h"
#include "cli/disk_space.h"
#include "cli/exit_codes.h"
#include "cli/import_identity.h"
#include "cli/import_prompt.h"
#include "cli/import_region.h"
#include "cli/importer.h"
#include "cli/progress.h"
#include "directory/import_runs.h"
#include "importers/bundle.h"
#include "importers/registry.h"

namespace custos::cli {
namespace {

struct FormatArgs {
  std::string format;  // "" = auto
  std::string path;
  std::string data_dir;
  bool json = false;
  bool no_input = false;
  std::size_t batch = 1000;
  importers::ImportOptions options;
  std::vector<std::string> participants;  // "NAME=HANDLE"
  std::string region;                     // --region; "" = DIR/custos.yaml (import_region.h)
  std::uint64_t max_uncompressed_mb = importers::ArchiveLimits{}.max_uncompressed_bytes >> 20;
  std::uint64_t max_expansion_ratio = importers::ArchiveLimits{}.max_expansion_ratio;
  std::int64_t min_free_mb = kDefaultMinFreeMb;
};

void PrintSummary(const std::string& format, const ImportCounts& c, bool json, core::Micros elapsed,
                  const directory::ImportRun& run) {
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

// After the messages are committed: external parties and conversation labels.
core::Status Link(app::Custos& custos, const IdentityStage& stage, std::int64_t run_id) {
  auto parties = custos.directory().RecordParties(stage.ExternalIdentities(), run_id);
  if (!parties.has_value()) {
    return parties.error();
  }
  return custos.directory().LabelConversations(stage.Labels(), run_id);
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
  auto region = DefaultRegion(args.data_dir, args.region);
  if (!region.has_value()) {
    return Fail("import", region.error());
  }
  args.options.default_region = *region;
  importers::ArchiveLimits limits;
  limits.max_uncompressed_bytes = args.max_uncompressed_mb << 20;
  limits.max_expansion_ratio = args.max_expansion_ratio;
  // The source as it was before it is hashed; compared again after the import.
  auto stamp_before = directory::SourceStamp(args.path);
  auto bundle = importers::Bundle::Open(args.path, limits);
  if (!bundle.has_value()) {
    return Fail("import", bundle.error());
  }
  const importers::Format* format = nullptr;
  if (args.format.empty()) {
    auto detected = importers::DetectFormat(**bundle);
    if (!detected.has_value()) {
      return Fail("import", detected.error());
    }
    format = *detected;
  } else {
    format = importers::FindFormat(args.format);
  }
  const bool ask = ShouldPrompt(args.json, args.no_input);
  if (ask && args.options.custodian.empty()) {
    args.options.custodian = AskCustodian(args.options.default_region, stdin, stderr);
  }
  auto source = format->open(**bundle, args.options);
  if (!source.has_value()) {
    return Fail("import " + std::string(format->name), source.error());
  }
  auto custos = OpenData(args.data_dir, /*read_only=*/false);
  if (!custos.has_value()) {
    return Fail("import", custos.error());
  }
  if (const core::Status space = CheckFreeSpace(args.data_dir, args.min_free_mb); !space.ok()) {
    return Fail("import", space);
  }
  if (!stamp_before.has_value()) {
    return Fail("import", stamp_before.error());
  }
  auto sha256 = directory::SourceSha256(args.path);
  if (!sha256.has_value()) {
    return Fail("import", sha256.error());
  }
  auto resolver = (*custos)->directory().LoadResolver(args.options.default_region);
  if (!resolver.has_value()) {
    return Fail("import", resolver.error());
  }
  for (const std::string& p : args.participants) {
    const std::size_t eq = p.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == p.size()) {
      return Fail("import",
                  core::InvalidArgument("--participant \"" + p + "\": expected NAME=HANDLE"));
    }
    resolver->AddAlias(p.substr(0, eq), p.substr(eq + 1));
  }
  if (ask && AskSenders(**source, *resolver, args.options)) {
    source = format->open(**bundle, args.options);  // with the custodian's name as --self
    if (!source.has_value()) {
      return Fail("import " + std::string(format->name), source.error());
    }
  }
  directory::ImportRun run;
  run.importer = std::string(format->name);
  run.version = std::string("custos ") + CUSTOS_VERSION + " importer " + run.importer + "/1";
  run.source_name = std::filesystem::path(args.path).filename().string();
  if (run.source_name.empty()) {  // "dir/"
    run.source_name = std::filesystem::path(args.path).parent_path().filename().string();
  }
  run.source_sha256 = *sha256;
  if (const core::Status begun = (*custos)->import_runs().Begin(run); !begun.ok()) {
    return Fail("import", begun);
  }
  const directory::Directory& dir = (*custos)->directory();
  IdentityStage stage(std::move(*resolver), args.options.custodian, run.id,
                      [&dir](const std::string& from_source, const std::vector<std::string>& ids) {
                        return dir.StoredSourceIds(from_source, ids);
                      });
  run.custodian = stage.custodian();
  Progress progress((*source)->bytes_total());
  ImporterOptions options;
  options.batch = args.batch;
  options.prepare = [&stage, &run](importers::Item& item) {
    for (const importers::AttachmentData& a : item.attachments) {
      if (!a.not_stored.empty()) {
        std::string where = item.position.ToString();
        run.attachments_not_stored.push_back((where.empty() ? "" : where + ": ") + a.not_stored);
        std::fprintf(stderr, "%s: attachment not stored, recorded as missing\n",
                     run.attachments_not_stored.back().c_str());
      }
    }
    return stage.Apply(item);
  };
  options.before_submit = [&args] { return CheckFreeSpace(args.data_dir, args.min_free_mb); };
  Importer importer(&(*custos)->ingest(), options);
  const core::Micros start = core::SteadyNowMicros();
  const core::Status status = importer.Run(**source, progress, [](const importers::Item& item) {
    std::fprintf(stderr, "%s: skipped (%s): %s\n", item.position.ToString().c_str(),
                 item.skip_kind.c_str(), item.skip_reason.c_str());
  });
  (*custos)->ingest().Shutdown();
  const core::Status linked = Link(**custos, stage, run.id);
  // The hash is of the source as it was when the import began; one that changed since is no
  // evidence of what was imported.
  core::Status source_status = core::Status::Ok();
  if (auto stamp_after = directory::SourceStamp(args.path);
      !stamp_after.has_value() || *stamp_after != *stamp_before) {
    source_status = core::DataLoss(args.path +
                                   " changed while it was being imported; the import run is "
                                   "marked failed: import it again once it is complete");
  }
  int code = kExitOk;
  if (const auto& bad = importer.bad_line()) {
    const std::string where = bad->where.empty() ? "" : bad->where + ": ";
    const std::string field = bad->field.empty() ? "" : "field \"" + bad->field + "\": ";
    std::fprintf(stderr, "%s%s%s\n", where.c_str(), field.c_str(), bad->message.c_str());
    std::fprintf(stderr,
                 "import stopped; %lld messages before it were committed, and a re-run after a "
                 "fix imports only the rest\n",
                 static_cast<long long>(importer.counts().imported));
    code = kExitDataError;
  }
  if (!status.ok()) {
    code = Fail("import " + args.path, status);
  } else if (!linked.ok()) {
    code = Fail("import " + args.path, linked);
  } else if (!source_status.ok()) {
    code = Fail("import", source_status);
  }
  const ImportCounts& counts = importer.counts();
  run.status = !status.ok() || !source_status.ok() ? "failed"
               : importer.bad_line()               ? "stopped"
                                                   : "completed";
  run.imported = counts.imported;
  run.duplicates = counts.duplicates;
  run.rejected = counts.rejected;
  run.skipped = counts.skipped;
  if (const auto& bad = importer.bad_line()) {  // "chat.txt:17: why" (position first)
    run.stopped_at = bad->where.empty() ? bad->message : bad->where + ": " + bad->message;
  } else if (!status.ok()) {
    run.stopped_at = status.message();
  } else if (!source_status.ok()) {
    run.stopped_at = source_status.message();
  }
  if (const core::Status finished = (*custos)->import_runs().Finish(run); !finished.ok()) {
    code = Fail("import: recording the import run", finished);
  }
  PrintSummary(std::string(format->name), counts, args.json, core::SteadyNowMicros() - start, run);
  return code;
}

void AddCommand(CLI::App* import, const std::string& name, const std::string& help,
                int* exit_code) {
  auto args = std::make_shared<FormatArgs>();
  args->format = name == "auto" ? "" : name;
  CLI::App* cmd = import->add_subcommand(name, help);
  cmd->add_option("path", args->path, "The export: a file, a zip or a directory")->required();
  AddDataOption(cmd, &args->data_dir);
  cmd->add_flag("--json", args->json,
                "Print the summary as JSON: {\"format\",\"imported\",\"duplicates\","
                "\"rejected\",\"skipped\",\"skipped_by_kind\":{kind:N},\"import_run\","
                "\"record_id\",\"source_sha256\"}");
  cmd->add_option("--custodian", args->options.custodian,
                  "Who exported it (phone, e-mail or handle); their messages are outbound. "
                  "Asked for on a terminal when missing");
  cmd->add_flag("--no-input", args->no_input,
                "Never ask (custodian, sender names); the default when stdin or stderr is not a "
                "terminal, or with --json");
  cmd->add_option("--self", args->options.self_identities,
                  "A name or id that also means the custodian in the export (repeatable)");
  cmd->add_option("--chat-name", args->options.chat_name,
                  "The conversation's name when the export has none (WhatsApp)");
  cmd->add_option("--participant", args->participants,
                  "NAME=HANDLE: a name in the export means this handle or directory person "
                  "(repeatable)");
  cmd->add_option("--region", args->region,
                  "Region (ISO 3166-1) for phone numbers without a country code; default: "
                  "directory.default_region of DIR/custos.yaml, else GB");
  cmd->add_option("--utc-offset", args->options.utc_offset_minutes,
                  "Minutes east of UTC of the export's local times (WhatsApp)")
      ->capture_default_str()
      ->check(IntegerArgument("--utc-offset", -14 * 60, 14 * 60));
  cmd->add_option("--batch", args->batch, "Messages per submitted chunk")
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
  cmd->add_option("--min-free-mb", args->min_free_mb,
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
