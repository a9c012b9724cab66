// SPDX-License-Identifier: Apache-2.0
// The file-system seam (leveldb's Env, reduced to what custos needs): every file custos writes
// outside SQLite — the key ring, the log signing key, the log head, the admin token, policy
// pack files — goes through a FileSystem, so that one durable atomic write exists and tests
// can run the real callers against a fault-injecting fake (tests/testing/fault_file_system.h).
//
// WriteFileAtomic() is the only routine in custos that publishes a file atomically: a fresh
// temporary file in the same directory, every byte written, fsync, rename (or link, for an
// exclusive create), then fsync of the directory. Readers see the old file or the new one,
// never a mixture; after it returns OK the new file survives a power loss.
//
// Errors: every failure of the operating system (open, write, fsync, rename, link, directory
// fsync, mkdir) is kInternal, and its message names the path and the errno text. One code for
// all of them, fsync failures included (before this seam some copies said kUnavailable): a
// failed fsync is not a transient condition a retry cures (the kernel may already have dropped
// the dirty pages), so it must not look like "busy, try again". The old file is left in place.
// The exceptions are stated on each function (kAlreadyExists for an exclusive create onto an
// existing file, kNotFound / kPermissionDenied / kInvalidArgument when reading).
//
// Thread-safety: LocalFileSystem() is safe to use from any thread; implementations of the
// primitives must be too. Two concurrent atomic writes to one path leave one of the two files.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include <sys/types.h>

#include "core/status.h"

namespace custos::core {

// An open file being written. Closes itself (without syncing) when destroyed.
class WritableFile {
 public:
  WritableFile() = default;
  WritableFile(const WritableFile&) = delete;
  WritableFile& operator=(const WritableFile&) = delete;
  virtual ~WritableFile() = default;

  // Writes all of `data` at the end of the file (retrying short writes).
  [[nodiscard]] virtual Status Append(std::string_view data) = 0;
  // Makes everything appended so far durable (fsync).
  [[nodiscard]] virtual Status Sync() = 0;
  // Closes the file; later calls fail with kFailedPrecondition.
  [[nodiscard]] virtual Status Close() = 0;
};

struct AtomicWriteOptions {
  // Permission bits of the new file (before the umask is applied by the kernel).
  mode_t mode = 0600;
  // false: replace `path` when it exists (rename). true: create it only when absent (link),
  // kAlreadyExists otherwise, and `path` is left untouched.
  bool exclusive = false;
};

class FileSystem {
 public:
  FileSystem() = default;
  FileSystem(const FileSystem&) = delete;
  FileSystem& operator=(const FileSystem&) = delete;
  virtual ~FileSystem() = default;

  // Publishes `bytes` as `path` (see the file comment). On any failure the temporary file is
  // removed and `path` keeps its previous content (or stays absent). The directory of `path`
  // must exist.
  [[nodiscard]] Status WriteFileAtomic(const std::string& path, std::string_view bytes,
                                       const AtomicWriteOptions& options = {});

  // Reads all of `path`. kNotFound when it does not exist, kPermissionDenied when it may not be
  // read, kInvalidArgument when it is longer than `max_bytes` (nothing beyond the limit is
  // read), kInternal on other errors.
  [[nodiscard]] virtual Result<std::string> ReadFile(const std::string& path,
                                                     std::size_t max_bytes) = 0;

  // Creates `path` and its missing parents; a directory created here gets mode 0700, and
  // `path` itself is chmod-ed to 0700 even when it existed. kInternal on failure.
  [[nodiscard]] virtual Status MakePrivateDir(const std::string& path) = 0;

  // The primitives WriteFileAtomic() is made of; a fake overrides them to inject faults.

  // Creates `path`, which must not exist (O_EXCL, no symlink followed), for writing.
  [[nodiscard]] virtual Result<std::unique_ptr<WritableFile>> NewWritableFile(
      const std::string& path, mode_t mode) = 0;
  // rename(2): atomically replaces `to`.
  [[nodiscard]] virtual Status Rename(const std::string& from, const std::string& to) = 0;
  // link(2): kAlreadyExists when `to` exists.
  [[nodiscard]] virtual Status Link(const std::string& from, const std::string& to) = 0;
  // unlink(2); removing a file that does not exist is OK.
  [[nodiscard]] virtual Status Remove(const std::string& path) = 0;
  // Makes the entries of directory `dir` durable (fsync of the directory).
  [[nodiscard]] virtual Status SyncDir(const std::string& dir) = 0;
};

// The operating system's file system. The returned object lives for the whole program.
FileSystem& LocalFileSystem();

// The directory part of `path`: "." when there is none, "/" for a file in the root.
std::string DirName(const std::string& path);

}  // namespace custos::core
