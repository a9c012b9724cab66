// SPDX-License-Identifier: Apache-2.0
// `custos import jsonl FILE|-`: streams canonical JSONL into the archive (cli/importer.h).
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>

#include <sys/stat.h>

#include "capture/jsonl.h"
#include "cli/commands.h"
#include "cli/common.h"
#include "cli/exit_codes.h"
#include "cli/import_formats_command.h"
#include "cli/importer.h"
#include "cli/line_reader.h"
#include "cli/progress.h"

namespace custos::cli {
namespace {

struct ImportArgs {
  std::string file;
  std::string data_dir;
  bool json = false;
  std::size_t batch = 1000;
  std::string commit_log;
};

void PrintSummary(const ImportCounts& c, bool json, std::int64_t lines, core::Micros elapsed) {
  if (json) {
    std::printf("{\"imported\":%lld,\"duplicates\":%lld,\"rejected\":%lld}\n",
                static_cast<long long>(c.imported), static_cast<long long>(c.duplicates),
                static_cast<long long>(c.rejected));
  } else {
    const double seconds = static_cast<double>(elapsed) / core::kMicrosPerSecond;
    std::printf("imported %lld, duplicates %lld, rejected %lld (%lld lines in %.1f s)\n",
                static_cast<long long>(c.imported), static_cast<long long>(c.duplicates),
                static_cast<long long>(c.rejected), static_cast<long long>(lines), seconds);
  }
  std::fflush(stdout);
}

int RunImport(const ImportArgs& args) {
  const bool from_stdin = args.file == "-";
  const std::string name = from_stdin ? "<stdin>" : args.file;
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> owned(nullptr, &std::fclose);
  std::FILE* in = stdin;
  if (!from_stdin) {
    owned.reset(std::fopen(args.file.c_str(), "rb"));
    if (!owned) {
      return Fail("import",
                  core::NotFound("cannot open " + args.file + ": " + std::strerror(errno)));
    }
    in = owned.get();
  }

  struct stat st {};

  const std::int64_t total =
      ::fstat(::fileno(in), &st) == 0 && S_ISREG(st.st_mode) ? st.st_size : -1;

  auto custos = OpenData(args.data_dir, /*read_only=*/false);
  if (!custos.has_value()) {
    return Fail("import", custos.error());
  }
  LineReader reader(in, capture::kMaxLineBytes);
  Progress progress(total);
  ImporterOptions options;
  options.batch = args.batch;
  options.commit_log = args.commit_log;
  Importer importer(&(*custos)->ingest(), options);
  const core::Micros start = core::SteadyNowMicros();
  const core::Status status = importer.Run(reader, progress);
  (*custos)->ingest().Shutdown();

  if (const auto& bad = importer.bad_line()) {
    if (bad->field.empty()) {
      std::fprintf(stderr, "%s:%lld: %s\n", name.c_str(), static_cast<long long>(bad->line),
                   bad->message.c_str());
    } else {
      std::fprintf(stderr, "%s:%lld: field \"%s\": %s\n", name.c_str(),
                   static_cast<long long>(bad->line), bad->field.c_str(), bad->message.c_str());
    }
  }
  int code = kExitOk;
  if (!status.ok()) {
    code = Fail("import " + name, status);
  } else if (importer.bad_line()) {
    code = kExitDataError;
  }
  PrintSummary(importer.counts(), args.json, reader.line_number(), core::SteadyNowMicros() - start);
  return code;
}

}  // namespace

void RegisterImportCommand(CLI::App& root, int* exit_code) {
  CLI::App* import = root.add_subcommand("import", "Import messages from files");
  import->require_subcommand(1);
  auto args = std::make_shared<ImportArgs>();
  CLI::App* jsonl = import->add_subcommand(
      "jsonl",
      "Import canonical JSON Lines (docs/formats/message-jsonl.md). Stops at the first bad "
      "line; everything before it is committed, so a re-run after fixing it imports the rest.");
  jsonl->add_option("file", args->file, "Input file, or - for stdin")->required();
  AddDataOption(jsonl, &args->data_dir);
  jsonl->add_flag("--json", args->json,
                  "Print the summary as {\"imported\":N,\"duplicates\":N,\"rejected\":N}");
  jsonl->add_option("--batch", args->batch, "Messages per submitted chunk")
      ->check(CLI::Range(1, 100'000))
      ->capture_default_str();
  jsonl
      ->add_option("--commit-log", args->commit_log,
                   "Append \"committed N\" (fsynced) whenever lines 1..N are all committed")
      ->type_name("FILE");
  jsonl->callback([args, exit_code] { *exit_code = RunImport(*args); });
  RegisterImportFormatCommands(import, exit_code);
  RegisterImportRunsCommand(import, exit_code);
}

}  // namespace custos::cli
