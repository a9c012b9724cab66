// SPDX-License-Identifier: Apache-2.0
// ImportService::ImportJsonl: canonical JSON Lines as an import run (importer "jsonl"), the input
// read once through a SHA-256 and checked afterwards not to have changed while it was read.
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <optional>
#include <string>

#include <sys/stat.h>
#include <unistd.h>

#include "app/import_region.h"
#include "app/import_service.h"
#include "app/line_reader.h"
#include "capture/jsonl.h"
#include "core/text.h"
#include "crypto/crypto.h"

namespace custos::app {
namespace {

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

}  // namespace

core::Result<ImportReport> ImportService::ImportJsonl(const JsonlImportRequest& request,
                                                      ImportObserver& observer) {
  ImportReport report;
  report.format = "jsonl";
  directory::ImportRun& run = report.run;
  run.importer = "jsonl";
  run.version = std::string("custos ") + CUSTOS_VERSION + " importer jsonl/1";
  run.source_name = request.source_name;
  std::FILE* const source = request.input;
  // Read once, hashed as it is read: a pipe or /dev/stdin works like a file, never seeked.
  auto hashed = std::make_unique<HashedInput>(source);

  struct stat st {};

  const std::optional<FileStamp> stamp =
      ::fstat(::fileno(source), &st) == 0 ? StampOf(::fileno(source), st) : std::nullopt;
  if (!request.custodian.empty()) {
    ASSIGN_OR_RETURN(const std::string region, DefaultRegion(data_dir_, ""));
    ASSIGN_OR_RETURN(const directory::Resolver resolver, directory_->LoadResolver(region));
    run.custodian = resolver.Resolve(request.custodian).identity;
  }
  RETURN_IF_ERROR(CheckFreeSpace(data_dir_, request.min_free_mb));
  RETURN_IF_ERROR(runs_->Begin(run));
  LineReader reader(hashed->file(), capture::kMaxLineBytes);
  observer.Started(stamp ? std::int64_t{stamp->size - stamp->start} : -1);
  ImportPipelineOptions options;
  options.batch = request.batch;
  options.commit_log = request.commit_log;
  options.import_run = run.id;
  options.before_submit = [this, &request] {
    return CheckFreeSpace(data_dir_, request.min_free_mb);
  };
  ImportPipeline pipeline(ingest_, options);
  const core::Micros start = core::SteadyNowMicros();
  report.status = pipeline.Run(reader, observer);
  report.counts = pipeline.counts();
  report.bad_line = pipeline.bad_line();
  report.lines = reader.line_number();
  run.source_sha256 = hashed->Finish();
  if (hashed->failed()) {
    report.source_status =
        core::DataLoss("reading " + request.name + " failed: " + std::strerror(errno));
  } else if (stamp) {
    report.source_status =
        CheckUnchanged(request.path, request.name, ::fileno(source), *stamp, hashed->bytes_read());
  }
  run.status = !report.status.ok() || !report.source_status.ok() ? "failed"
               : report.bad_line                                 ? "stopped"
                                                                 : "completed";
  if (!report.source_status.ok()) {
    run.stopped_at = report.source_status.message();
  }
  run.imported = report.counts.imported;
  run.duplicates = report.counts.duplicates;
  run.rejected = report.counts.rejected;
  if (const auto& bad = report.bad_line; bad && report.source_status.ok()) {
    run.stopped_at = request.name + ":" + std::to_string(bad->line) + ": " +
                     (bad->field.empty() ? "" : "field \"" + bad->field + "\": ") + bad->message;
  }
  report.recorded = runs_->Finish(run);
  report.elapsed = core::SteadyNowMicros() - start;
  return report;
}

}  // namespace custos::app
