// SPDX-License-Identifier: Apache-2.0
// `custos import whatsapp|telegram|...|auto PATH`: opens PATH (a file, a zip or a directory) as
// a Bundle, opens the format's Source and streams its items through the Importer into the
// archive. Prints the summary (imported, duplicates, rejected, skipped by kind) and, on bad
// input, the position and how much was committed before it.
#include "cli/import_formats_command.h"

#include <cstdio>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "cli/common.h"
#include "cli/exit_codes.h"
#include "cli/importer.h"
#include "cli/progress.h"
#include "importers/bundle.h"
#include "importers/registry.h"

namespace custos::cli {
namespace {

struct FormatArgs {
  std::string format;  // "" = auto
  std::string path;
  std::string data_dir;
  bool json = false;
  std::size_t batch = 1000;
  importers::ImportOptions options;
};

void PrintSummary(const std::string& format, const ImportCounts& c, bool json,
                  core::Micros elapsed) {
  std::int64_t skipped = 0;
  for (const auto& [kind, n] : c.skipped) {
    skipped += n;
  }
  if (json) {
    nlohmann::json out = {{"format", format},           {"imported", c.imported},
                          {"duplicates", c.duplicates}, {"rejected", c.rejected},
                          {"skipped", skipped},         {"skipped_by_kind", c.skipped}};
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
  }
  std::fflush(stdout);
}

int RunFormatImport(const FormatArgs& args) {
  auto bundle = importers::Bundle::Open(args.path);
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
  auto source = format->open(**bundle, args.options);
  if (!source.has_value()) {
    return Fail("import " + std::string(format->name), source.error());
  }
  auto custos = OpenData(args.data_dir, /*read_only=*/false);
  if (!custos.has_value()) {
    return Fail("import", custos.error());
  }
  Progress progress((*source)->bytes_total());
  ImporterOptions options;
  options.batch = args.batch;
  Importer importer(&(*custos)->ingest(), options);
  const core::Micros start = core::SteadyNowMicros();
  const core::Status status = importer.Run(**source, progress, [](const importers::Item& item) {
    std::fprintf(stderr, "%s: skipped (%s): %s\n", item.position.ToString().c_str(),
                 item.skip_kind.c_str(), item.skip_reason.c_str());
  });
  (*custos)->ingest().Shutdown();
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
  }
  PrintSummary(std::string(format->name), importer.counts(), args.json,
               core::SteadyNowMicros() - start);
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
                "\"rejected\",\"skipped\",\"skipped_by_kind\":{kind:N}}");
  cmd->add_option("--custodian", args->options.custodian,
                  "Who exported it (phone, e-mail or handle); their messages are outbound");
  cmd->add_option("--self", args->options.self_identities,
                  "A name or id that also means the custodian in the export (repeatable)");
  cmd->add_option("--chat-name", args->options.chat_name,
                  "The conversation's name when the export has none (WhatsApp)");
  cmd->add_option("--region", args->options.default_region,
                  "Region for phone numbers without a country code")
      ->capture_default_str();
  cmd->add_option("--utc-offset", args->options.utc_offset_minutes,
                  "Minutes east of UTC of the export's local times (WhatsApp)")
      ->capture_default_str();
  cmd->add_option("--batch", args->batch, "Messages per submitted chunk")
      ->check(CLI::Range(1, 100'000))
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
