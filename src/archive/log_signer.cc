// SPDX-License-Identifier: Apache-2.0
#include "archive/log_signer.h"

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "archive/sql/settings.h"
#include "core/fs.h"
#include "core/text.h"
#include "crypto/crypto.h"

namespace custos::archive {
namespace {

constexpr std::size_t kMaxKeyFileBytes = 4096;
constexpr std::size_t kOriginRandomBytes = 4;

std::string ErrnoText() { return std::strerror(errno); }

// Closes a file descriptor on scope exit.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}

  ~Fd() {
    if (fd_ >= 0) {
      ::close(fd_);
    }
  }

  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;

  int get() const { return fd_; }

 private:
  int fd_;
};

core::Result<std::string> ReadSecretFile(const std::string& path) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) {
    if (errno == ENOENT) {
      return core::NotFound("log signing key " + path + " does not exist");
    }
    if (errno == EACCES) {
      return core::PermissionDenied("cannot open log signing key " + path + ": " + ErrnoText());
    }
    return core::Internal("cannot open log signing key " + path + ": " + ErrnoText());
  }

  struct stat st {};

  if (::fstat(fd.get(), &st) != 0) {
    return core::Internal("cannot stat log signing key " + path + ": " + ErrnoText());
  }
  if (!S_ISREG(st.st_mode)) {
    return core::InvalidArgument("log signing key " + path + " is not a regular file");
  }
  if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
    return core::PermissionDenied("log signing key " + path +
                                  ": group and others must have no access (chmod 600)");
  }
  std::string contents;
  char buf[1024];
  for (;;) {
    const ssize_t n = ::read(fd.get(), buf, sizeof(buf));
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n < 0) {
      return core::Internal("cannot read log signing key " + path + ": " + ErrnoText());
    }
    if (n == 0) {
      return contents;
    }
    contents.append(buf, static_cast<std::size_t>(n));
    if (contents.size() > kMaxKeyFileBytes) {
      return core::InvalidArgument("log signing key " + path + " is too large");
    }
  }
}

}  // namespace

core::Result<std::optional<std::string>> ReadLogOrigin(storage::Transaction& tx) {
  return sql::ReadSetting(tx, std::string(kLogOriginSetting));
}

core::Result<std::string> LoadOrCreateLogOrigin(storage::Transaction& tx) {
  ASSIGN_OR_RETURN(std::optional<std::string> stored, ReadLogOrigin(tx));
  if (stored) {
    return *stored;
  }
  ASSIGN_OR_RETURN(std::string random, crypto::RandomBytes(kOriginRandomBytes));
  std::string origin = "custos/" + core::HexEncode(random);
  RETURN_IF_ERROR(sql::InsertSetting(tx, std::string(kLogOriginSetting), origin));
  return origin;
}

core::Result<crypto::NoteSigner> LoadLogSigner(const std::string& path) {
  ASSIGN_OR_RETURN(std::string contents, ReadSecretFile(path));
  if (contents.empty() || contents.back() != '\n') {
    return core::InvalidArgument("log signing key " + path + " does not end in a newline");
  }
  contents.pop_back();
  auto signer = crypto::NoteSigner::FromKeyString(contents);
  if (!signer.has_value()) {
    // Never echo the file: it holds the private key.
    return core::InvalidArgument("log signing key " + path + " is not a valid signer key");
  }
  return std::move(signer).value();
}

core::Result<crypto::NoteSigner> LoadOrCreateLogSigner(const std::string& path,
                                                       std::string_view origin,
                                                       core::FileSystem& fs) {
  core::Result<crypto::NoteSigner> loaded = LoadLogSigner(path);
  if (!loaded.has_value() && loaded.error().code() == core::StatusCode::kNotFound) {
    ASSIGN_OR_RETURN(crypto::NoteSigner fresh, crypto::NoteSigner::Generate(std::string(origin)));
    core::Status created =
        fs.WriteFileAtomic(path, fresh.KeyString() + "\n", {.mode = 0600, .exclusive = true});
    if (created.ok()) {
      return fresh;
    }
    if (created.code() != core::StatusCode::kAlreadyExists) {
      return created;
    }
    loaded = LoadLogSigner(path);  // another process created it first: use theirs
  }
  if (loaded.has_value() && loaded->Name() != origin) {
    return core::FailedPrecondition("log signing key " + path + " signs for log \"" +
                                    loaded->Name() + "\", but this archive's log is \"" +
                                    std::string(origin) + "\"");
  }
  return loaded;
}

}  // namespace custos::archive
