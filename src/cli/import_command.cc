// SPDX-License-Identifier: Apache-2.0
// `custos import jsonl FILE|-`: streams canonical JSONL into the archive (cli/importer.h), as an
// import run like every other importer (directory/import_runs.h): importer "jsonl", the file's
// name and the SHA-256 of the bytes it read (standard input: "<stdin>"; any input is read once,
// so pipes work, and a file that changes while it is read fails the run), the
// custodian when given, the counts, start and end; every message it stores carries the run's id.
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include <sys/stat.h>
#include <unistd.h>

#include "capture/jsonl.h"
#include "cli/commands.h"
#include "cli/common.h"
#include "cli/disk_space.h"
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
  std::int64_t min_free_mb = kDefaultMinFreeMb;
};

// The input read through a SHA-256 of every byte (fopencookie): the run's source hash is of the
// bytes the import actually read, so a stream (standard input, a pipe, /dev/fd/63 from a shell's
// <(...)) is read once and a file that shrinks or grows meanwhile cannot pass for its old self.
class HashedInput {
 public:
  explicit HashedInput(std::FILE* source) : source_(source) {
    cookie_io_functions_t io{};
    io.read = &HashedInput::Read;
    file_ = ::fopencookie(this, "r", io);
  }

  ~HashedInput() {
    if (file_ != nullptr) {
      std::fclose(file_);
    }
  }

  HashedInput(const HashedInput&) = delete;
  HashedInput& operator=(const HashedInput&) = delete;

  std::FILE* file() const { return file_; }

  std::int64_t bytes_read() const { return bytes_; }

  // Reads what is left of the input (an import that stopped early), then the hex digest.
  std::string Finish() {
    char buffer[1 << 16];
    while (std::fread(buffer, 1, sizeof buffer, file_) > 0) {
    }
    return core::HexEncode(hasher_.Finish());
  }

  // A read error of the underlying input (not the end of it).
  bool failed() const { return failed_; }

 private:
  static ssize_t Read(void* cookie, char* buf, std::size_t size) {
    auto* self = static_cast<HashedInput*>(cookie);
    const std::size_t n = std::fread(buf, 1, size, self->source_);
    self->hasher_.Update(std::string_view(buf, n));
    self->bytes_ += static_cast<std::int64_t>(n);
    if (n == 0 && std::ferror(self->source_) != 0) {
      self->failed_ = true;
      return -1;
    }
    return static_cast<ssize_t>(n);
  }

  std::FILE* source_;
  crypto::Sha256Hasher hasher_;
  std::int64_t bytes_ = 0;
  bool failed_ = false;
  std::FILE* file_ = nullptr;
};

// What a regular file looked like when it was opened; nullopt for a stream.
struct FileStamp {
  dev_t device = 0;
  ino_t inode = 0;
  off_t size = 0;
  off_t start = 0;  // the offset reading began at (standard input may be part-read already)

  struct timespec mtime {};
};

std::optional<FileStamp> StampOf(int fd, const struct stat& st) {
  if (!S_ISREG(st.st_mode)) {
    return std::nullopt;
  }
  const off_t start = ::lseek(fd, 0, SEEK_CUR);
  return FileStamp{st.st_dev, st.st_ino, st.st_size, start > 0 ? start : 0, st.st_mtim};
}

// OK when the regular file open as `fd` is what it was at `before` and all of its bytes from
// where reading began were read (`read`); otherwise kDataLoss naming what changed. `path` is
// the name it was opened by, checked to still point to it; empty for standard input (a
// redirected file has no name of its own). `name` is how messages show it.
core::Status CheckUnchanged(const std::string& path, const std::string& name, int fd,
                            const FileStamp& before, std::int64_t read) {
  struct stat now {};

  struct stat named {};

  std::string why;
  if (::fstat(fd, &now) != 0) {
    why = std::string("cannot stat it: ") + std::strerror(errno);
  } else if (now.st_size != before.size) {
    why = "its size went from " + std::to_string(before.size) + " to " +
          std::to_string(now.st_size) + " bytes";
  } else if (now.st_mtim.tv_sec != before.mtime.tv_sec ||
             now.st_mtim.tv_nsec != before.mtime.tv_nsec) {
    why = "it was modified";
  } else if (!path.empty() && (::stat(path.c_str(), &named) != 0 || named.st_ino != before.inode ||
                               named.st_dev != before.device)) {
    why = "the name now points to another file";
  } else if (read != std::int64_t{before.size - before.start}) {
    why = "read " + std::to_string(read) + " of its " + std::to_string(before.size - before.start) +
          " bytes";
  }
  if (why.empty()) {
    return core::Status::Ok();
  }
  return core::DataLoss(name + " changed while it was being imported (" + why +
                        "); the import run is marked failed: import it again once it is "
                        "complete");
}

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
  directory::ImportRun run;
  run.importer = "jsonl";
  run.version = std::string("custos ") + CUSTOS_VERSION + " importer jsonl/1";
  run.source_name = from_stdin ? name : std::filesystem::path(args.file).filename().string();
  if (!from_stdin && own_fd > 0) {
    const int fd = ::dup(own_fd);
    owned.reset(fd >= 0 ? ::fdopen(fd, "rb") : nullptr);
    if (!owned) {
      if (fd >= 0) {
        ::close(fd);
      }
      return Fail("import",
                  core::NotFound("cannot read " + args.file + ": " + std::strerror(errno)));
    }
  } else if (!from_stdin) {
    owned.reset(std::fopen(args.file.c_str(), "rb"));
    if (!owned) {
      return Fail("import",
                  core::NotFound("cannot open " + args.file + ": " + std::strerror(errno)));
    }
  }
  std::FILE* const source = from_stdin ? stdin : owned.get();
  // Read once, hashed as it is read: a pipe or /dev/stdin works like a file, never seeked.
  auto hashed = std::make_unique<HashedInput>(source);
  std::FILE* in = hashed->file();

  struct stat st {};

  const std::optional<FileStamp> stamp =
      ::fstat(::fileno(source), &st) == 0 ? StampOf(::fileno(source), st) : std::nullopt;
  const std::int64_t total = stamp ? std::int64_t{stamp->size - stamp->start} : -1;

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
  if (const core::Status space = CheckFreeSpace(args.data_dir, args.min_free_mb); !space.ok()) {
    return Fail("import", space);
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
  options.before_submit = [&args] { return CheckFreeSpace(args.data_dir, args.min_free_mb); };
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
  run.source_sha256 = hashed->Finish();
  core::Status source_status = core::Status::Ok();
  if (hashed->failed()) {
    source_status = core::DataLoss("reading " + name + " failed: " + std::strerror(errno));
  } else if (stamp) {
    source_status = CheckUnchanged(from_stdin ? std::string() : args.file, name, ::fileno(source),
                                   *stamp, hashed->bytes_read());
  }
  int code = kExitOk;
  if (!status.ok()) {
    code = Fail("import " + name, status);
  } else if (!source_status.ok()) {
    code = Fail("import", source_status);
  } else if (importer.bad_line()) {
    code = kExitDataError;
  }
  const ImportCounts& counts = importer.counts();
  run.status = !status.ok() || !source_status.ok() ? "failed"
               : importer.bad_line()               ? "stopped"
                                                   : "completed";
  if (!source_status.ok()) {
    run.stopped_at = source_status.message();
  }
  run.imported = counts.imported;
  run.duplicates = counts.duplicates;
  run.rejected = counts.rejected;
  if (const auto& bad = importer.bad_line(); bad && source_status.ok()) {
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
