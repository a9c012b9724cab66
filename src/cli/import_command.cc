// SPDX-License-Identifier: Apache-2.0
// `custos import jsonl FILE|-`: parses the arguments, opens the input and the data directory,
// calls app::ImportService::ImportJsonl (the import run, the pipeline, the source hash: see
// app/import_service.h) and prints the outcome.
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <string>
#include <system_error>

#include <unistd.h>

#include "app/import_service.h"
#include "cli/commands.h"
#include "cli/common.h"
#include "cli/exit_codes.h"
#include "cli/import_formats_command.h"
#include "cli/import_observer.h"

namespace custos::cli {
namespace {

struct ImportArgs {
  std::string file;
  std::string data_dir;
  bool json = false;
  std::size_t batch = 1000;
  std::string commit_log;
  std::string custodian;
  std::int64_t min_free_mb = app::kDefaultMinFreeMb;
};

void PrintSummary(const app::ImportCounts& c, bool json, std::int64_t lines, core::Micros elapsed,
                  const directory::ImportRun& run) {
  if (json) {
    std::printf("{\"imported\":%lld,\"duplicates\":%lld,\"rejected\":%lld}\n",
                static_cast<long long>(c.imported), static_cast<long long>(c.duplicates),
                static_cast<long long>(c.rejected));
  } else {
    const double seconds = static_cast<double>(elapsed) / core::kMicrosPerSecond;
    std::printf("imported %lld, duplicates %lld, rejected %lld (%lld lines in %.1f s)\n",
                static_cast<long long>(c.imported), static_cast<long long>(c.duplicates),
                static_cast<long long>(c.rejected), static_cast<long long>(lines), seconds);
    std::printf("import run %lld (record %lld), source sha256 %s\n", static_cast<long long>(run.id),
                static_cast<long long>(run.record_id), run.source_sha256.c_str());
  }
  std::fflush(stdout);
}

// The descriptor a path names when it is one of this process's own open descriptors
// (/dev/stdin, /dev/fd/N, /proc/self/fd/N), or -1. Such a path is read through the descriptor
// itself: opening it again would, for a FIFO whose writer has already finished, wait for ever for
// a new writer.
int OwnDescriptor(const std::string& path) {
  if (path == "/dev/stdin") {
    return 0;
  }
  for (const std::string_view prefix : {"/dev/fd/", "/proc/self/fd/"}) {
    if (path.rfind(prefix, 0) == 0 && path.size() > prefix.size() &&
        path.size() - prefix.size() <= 6 &&
        path.find_first_not_of("0123456789", prefix.size()) == std::string::npos) {
      return std::stoi(path.substr(prefix.size()));
    }
  }
  return -1;
}

int RunImport(const ImportArgs& args) {
  const int own_fd = OwnDescriptor(args.file);
  const bool from_stdin = args.file == "-" || own_fd == 0;
  const std::string name = from_stdin ? "<stdin>" : args.file;
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> owned(nullptr, &std::fclose);
  if (!from_stdin && own_fd > 0) {
    const int fd = ::dup(own_fd);
    owned.reset(fd >= 0 ? ::fdopen(fd, "rb") : nullptr);
    if (!owned) {
      if (fd >= 0) {
        ::close(fd);
      }
      return Fail("import",
                  core::NotFound("cannot read " + args.file + ": " +
                                 std::error_code(errno, std::generic_category()).message()));
    }
  } else if (!from_stdin) {
    owned.reset(std::fopen(args.file.c_str(), "rb"));
    if (!owned) {
      return Fail("import",
                  core::NotFound("cannot open " + args.file + ": " +
                                 std::error_code(errno, std::generic_category()).message()));
    }
  }
  app::JsonlImportRequest request;
  request.input = from_stdin ? stdin : owned.get();
  request.name = name;
  request.path = from_stdin ? std::string() : args.file;
  request.source_name = from_stdin ? name : std::filesystem::path(args.file).filename().string();
  request.custodian = args.custodian;
  request.batch = args.batch;
  request.commit_log = args.commit_log;
  request.min_free_mb = args.min_free_mb;

  auto custos = OpenData(args.data_dir, /*read_only=*/false);
  if (!custos.has_value()) {
    return Fail("import", custos.error());
  }
  TerminalImportObserver observer;
  auto report = (*custos)->imports().ImportJsonl(request, observer);
  if (!report.has_value()) {
    return Fail("import", report.error());
  }
  if (const auto& bad = report->bad_line) {
    if (bad->field.empty()) {
      std::fprintf(stderr, "%s:%lld: %s\n", name.c_str(), static_cast<long long>(bad->line),
                   bad->message.c_str());
    } else {
      std::fprintf(stderr, "%s:%lld: field \"%s\": %s\n", name.c_str(),
                   static_cast<long long>(bad->line), bad->field.c_str(), bad->message.c_str());
    }
  }
  int code = kExitOk;
  if (!report->status.ok()) {
    code = Fail("import " + name, report->status);
  } else if (!report->source_status.ok()) {
    code = Fail("import", report->source_status);
  } else if (report->bad_line) {
    code = kExitDataError;
  }
  if (!report->recorded.ok()) {
    code = Fail("import: recording the import run", report->recorded);
  }
  PrintSummary(report->counts, args.json, report->lines, report->elapsed, report->run);
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
      ->check(IntegerArgument("--batch", 1, 100'000))
      ->capture_default_str();
  jsonl
      ->add_option("--commit-log", args->commit_log,
                   "Append \"committed N\" (fsynced) whenever lines 1..N are all committed")
      ->type_name("FILE");
  jsonl->add_option("--custodian", args->custodian,
                    "Who the file came from (phone, e-mail or handle), recorded in the import run");
  jsonl
      ->add_option("--min-free-mb", args->min_free_mb,
                   "Refuse to start, and stop, when the data directory's file system has fewer "
                   "MiB free (0: no check)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  jsonl->callback([args, exit_code] { *exit_code = RunImport(*args); });
  RegisterImportFormatCommands(import, exit_code);
  RegisterImportRunsCommand(import, exit_code);
}

}  // namespace custos::cli
