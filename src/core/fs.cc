// SPDX-License-Identifier: Apache-2.0
#include "core/fs.h"

#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <random>
#include <system_error>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace custos::core {
namespace {

Status OsError(const std::string& what, int err) {
  return Internal(what + ": " + std::strerror(err));
}

// A name for the temporary file next to `path` that no other writer picks: the process id, a
// per-process counter and random bits (the create is O_EXCL, so a clash fails, never shares).
std::string TempName(const std::string& path) {
  static std::atomic<std::uint64_t> counter{0};
  static const std::uint64_t salt = [] {
    std::random_device rd;
    return (static_cast<std::uint64_t>(rd()) << 32) ^ rd();
  }();
  char buf[64];
  std::snprintf(buf, sizeof buf, ".tmp-%ld-%llx-%llx", static_cast<long>(::getpid()),
                static_cast<unsigned long long>(counter.fetch_add(1)),
                static_cast<unsigned long long>(salt));
  return path + buf;
}

class LocalWritableFile final : public WritableFile {
 public:
  LocalWritableFile(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}

  ~LocalWritableFile() override {
    if (fd_ >= 0) {
      ::close(fd_);
    }
  }

  Status Append(std::string_view data) override {
    if (fd_ < 0) {
      return FailedPrecondition(path_ + " is closed");
    }
    while (!data.empty()) {
      const ssize_t n = ::write(fd_, data.data(), data.size());
      if (n < 0 && errno == EINTR) {
        continue;
      }
      if (n <= 0) {
        return OsError("cannot write " + path_, n < 0 ? errno : EIO);
      }
      data.remove_prefix(static_cast<std::size_t>(n));
    }
    return Status::Ok();
  }

  Status Sync() override {
    if (fd_ < 0) {
      return FailedPrecondition(path_ + " is closed");
    }
    if (::fsync(fd_) != 0) {
      return OsError("cannot fsync " + path_, errno);
    }
    return Status::Ok();
  }

  Status Close() override {
    if (fd_ < 0) {
      return FailedPrecondition(path_ + " is closed");
    }
    const int fd = fd_;
    fd_ = -1;
    if (::close(fd) != 0) {
      return OsError("cannot close " + path_, errno);
    }
    return Status::Ok();
  }

 private:
  std::string path_;
  int fd_;
};

class LocalFileSystemImpl final : public FileSystem {
 public:
  Result<std::string> ReadFile(const std::string& path, std::size_t max_bytes) override {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      const int err = errno;
      if (err == ENOENT) {
        return NotFound(path + " does not exist");
      }
      if (err == EACCES) {
        return PermissionDenied("cannot open " + path + ": " + std::strerror(err));
      }
      return OsError("cannot open " + path, err);
    }
    std::string out;
    char buf[1 << 14];
    Status status;
    for (;;) {
      const ssize_t n = ::read(fd, buf, sizeof buf);
      if (n < 0 && errno == EINTR) {
        continue;
      }
      if (n < 0) {
        status = OsError("cannot read " + path, errno);
        break;
      }
      if (n == 0) {
        break;
      }
      if (out.size() + static_cast<std::size_t>(n) > max_bytes) {
        status = InvalidArgument(path + " is longer than " + std::to_string(max_bytes) + " bytes");
        break;
      }
      out.append(buf, static_cast<std::size_t>(n));
    }
    ::close(fd);
    if (!status.ok()) {
      return status;
    }
    return out;
  }

  Status MakePrivateDir(const std::string& path) override {
    std::error_code ec;
    std::filesystem::create_directories(path, ec);
    if (ec) {
      return Internal("cannot create directory " + path + ": " + ec.message());
    }
    if (::chmod(path.c_str(), 0700) != 0) {
      return OsError("cannot chmod directory " + path, errno);
    }
    return Status::Ok();
  }

  Result<std::unique_ptr<WritableFile>> NewWritableFile(const std::string& path,
                                                        mode_t mode) override {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode);
    if (fd < 0) {
      return OsError("cannot create " + path, errno);
    }
    return std::unique_ptr<WritableFile>(std::make_unique<LocalWritableFile>(path, fd));
  }

  Status Rename(const std::string& from, const std::string& to) override {
    if (::rename(from.c_str(), to.c_str()) != 0) {
      return OsError("cannot rename " + from + " to " + to, errno);
    }
    return Status::Ok();
  }

  Status Link(const std::string& from, const std::string& to) override {
    if (::link(from.c_str(), to.c_str()) != 0) {
      const int err = errno;
      if (err == EEXIST) {
        return AlreadyExists(to + " already exists");
      }
      return OsError("cannot link " + from + " to " + to, err);
    }
    return Status::Ok();
  }

  Status Remove(const std::string& path) override {
    if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
      return OsError("cannot remove " + path, errno);
    }
    return Status::Ok();
  }

  Status SyncDir(const std::string& dir) override {
    const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
      return OsError("cannot open directory " + dir, errno);
    }
    const bool ok = ::fsync(fd) == 0;
    const int err = errno;
    ::close(fd);
    if (!ok) {
      return OsError("cannot fsync directory " + dir, err);
    }
    return Status::Ok();
  }
};

}  // namespace

Status FileSystem::WriteFileAtomic(const std::string& path, std::string_view bytes,
                                   const AtomicWriteOptions& options) {
  const std::string tmp = TempName(path);
  ASSIGN_OR_RETURN(std::unique_ptr<WritableFile> file, NewWritableFile(tmp, options.mode));
  Status status = file->Append(bytes);
  if (status.ok()) {
    status = file->Sync();
  }
  if (const Status closed = file->Close(); status.ok()) {
    status = closed;
  }
  if (status.ok()) {
    status = options.exclusive ? Link(tmp, path) : Rename(tmp, path);
  }
  // After a rename the temporary name is gone; after a link or a failure it is removed. A
  // failure to remove it does not change the outcome (the published file is what matters).
  if (options.exclusive || !status.ok()) {
    (void)Remove(tmp);
  }
  RETURN_IF_ERROR(status);
  return SyncDir(DirName(path));
}

FileSystem& LocalFileSystem() {
  static LocalFileSystemImpl* const fs = new LocalFileSystemImpl();
  return *fs;
}

std::string DirName(const std::string& path) {
  const std::size_t slash = path.rfind('/');
  if (slash == std::string::npos) {
    return ".";
  }
  return slash == 0 ? "/" : path.substr(0, slash);
}

}  // namespace custos::core
