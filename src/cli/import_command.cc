// SPDX-License-Identifier: Apache-2.0
// `custos import jsonl FILE|-`: streams canonical JSONL into the archive (cli/importer.h), as an
// import run like every other importer (directory/import_runs.h): importer "jsonl", the file's
// name and SHA-256 (standard input: "<stdin>" and the SHA-256 of every byte it gave), the
// custodian when given, the counts, start and end; every message it stores carries the run's id.
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <string>

#include <sys/stat.h>

#include "capture/jsonl.h"
#include "cli/commands.h"
#include "cli/common.h"
#include "cli/exit_codes.h"
#include "cli/import_formats_command.h"
#include "cli/import_region.h"
#include "cli/importer.h"
#include "cli/line_reader.h"
#include "cli/progress.h"
#include "core/text.h"
#include "crypto/crypto.h"
#include "directory/import_runs.h"

namespace custos::cli {
namespace {

struct ImportArgs {
  std::string file;
  std::string data_dir;
  bool json = false;
  std::size_t batch = 1000;
  std::string commit_log;
  std::string custodian;
};

// Standard input read through a SHA-256 of every byte (fopencookie), for the run's source hash.
class HashedStdin {
 public:
  HashedStdin() {
    cookie_io_functions_t io{};
    io.read = &HashedStdin::Read;
    file_ = ::fopencookie(this, "r", io);
  }

  ~HashedStdin() {
    if (file_ != nullptr) {
      std::fclose(file_);
    }
  }

  HashedStdin(const HashedStdin&) = delete;
  HashedStdin& operator=(const HashedStdin&) = delete;

  std::FILE* file() const { return file_; }

  // Reads what is left of standard input (an import that stopped early), then the hex digest.
  std::string Finish() {
    char buffer[1 << 16];
    while (std::fread(buffer, 1, sizeof buffer, file_) > 0) {
    }
    return core::HexEncode(hasher_.Finish());
  }

 private:
  static ssize_t Read(void* cookie, char* buf, std::size_t size) {
    auto* self = static_cast<HashedStdin*>(cookie);
    const std::size_t n = std::fread(buf, 1, size, stdin);
    self->hasher_.Update(std::string_view(buf, n));
    return std::ferror(stdin) != 0 && n == 0 ? -1 : static_cast<ssize_t>(n);
  }

  crypto::Sha256Hasher hasher_;
  std::FILE* file_ = nullptr;
};

void PrintSummary(const ImportCounts& c, bool json, std::int64_t lines, core::Micros elapsed,
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

int RunImport(const ImportArgs& args) {
  const bool from_stdin = args.file == "-";
  const std::string name = from_stdin ? "<stdin>" : args.file;
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> owned(nullptr, &std::fclose);
  std::unique_ptr<HashedStdin> hashed;
  std::FILE* in = stdin;
  directory::ImportRun run;
  run.importer = "jsonl";
  run.version = std::string("custos ") + CUSTOS_VERSION + " importer jsonl/1";
  run.source_name = from_stdin ? name : std::filesystem::path(args.file).filename().string();
  if (from_stdin) {
    hashed = std::make_unique<HashedStdin>();
    in = hashed->file();
  } else {
    owned.reset(std::fopen(args.file.c_str(), "rb"));
    if (!owned) {
      return Fail("import",
                  core::NotFound("cannot open " + args.file + ": " + std::strerror(errno)));
    }
    in = owned.get();
    auto sha256 = directory::SourceSha256(args.file);
    if (!sha256.has_value()) {
      return Fail("import", sha256.error());
    }
    run.source_sha256 = *sha256;
  }

  struct stat st {};

  const std::int64_t total =
      ::fstat(::fileno(from_stdin ? stdin : in), &st) == 0 && S_ISREG(st.st_mode) ? st.st_size : -1;

  auto custos = OpenData(args.data_dir, /*read_only=*/false);
  if (!custos.has_value()) {
    return Fail("import", custos.error());
  }
  if (!args.custodian.empty()) {
    auto region = DefaultRegion(args.data_dir, "");
    if (!region.has_value()) {
      return Fail("import", region.error());
    }
    auto resolver = (*custos)->directory().LoadResolver(*region);
    if (!resolver.has_value()) {
      return Fail("import", resolver.error());
    }
    run.custodian = resolver->Resolve(args.custodian).identity;
  }
  if (const core::Status begun = (*custos)->import_runs().Begin(run); !begun.ok()) {
    return Fail("import", begun);
  }
  LineReader reader(in, capture::kMaxLineBytes);
  Progress progress(total);
  ImporterOptions options;
  options.batch = args.batch;
  options.commit_log = args.commit_log;
  options.import_run = run.id;
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
  if (hashed) {
    run.source_sha256 = hashed->Finish();
  }
  const ImportCounts& counts = importer.counts();
  run.status = !status.ok() ? "failed" : importer.bad_line() ? "stopped" : "completed";
  run.imported = counts.imported;
  run.duplicates = counts.duplicates;
  run.rejected = counts.rejected;
  if (const auto& bad = importer.bad_line()) {
    run.stopped_at = name + ":" + std::to_string(bad->line) + ": " +
                     (bad->field.empty() ? "" : "field \"" + bad->field + "\": ") + bad->message;
  }
  if (const core::Status finished = (*custos)->import_runs().Finish(run); !finished.ok()) {
    code = Fail("import: recording the import run", finished);
  }
  PrintSummary(counts, args.json, reader.line_number(), core::SteadyNowMicros() - start, run);
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
  jsonl->callback([args, exit_code] { *exit_code = RunImport(*args); });
  RegisterImportFormatCommands(import, exit_code);
  RegisterImportRunsCommand(import, exit_code);
}

}  // namespace custos::cli
