// SPDX-License-Identifier: Apache-2.0
#include "crypto/keyring.h"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <string>
#include <system_error>
#include <vector>

#include <fcntl.h>
#include <openssl/crypto.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/fs.h"
#include "core/text.h"
#include "crypto/crypto.h"

namespace custos::crypto {
namespace {

constexpr std::string_view kHeaderLine = "custos-keyring 1";
constexpr std::size_t kMaxKeyFileBytes = 1 << 20;

// std::error_code's message, unlike std::strerror, is thread-safe.
std::string ErrnoText(int err) { return std::error_code(err, std::generic_category()).message(); }

// Overwrites key material before the buffer is released.
void Wipe(std::string& s) { OPENSSL_cleanse(s.data(), s.size()); }

// Closes a file descriptor on scope exit.
class FdCloser {
 public:
  explicit FdCloser(int fd) : fd_(fd) {}

  ~FdCloser() {
    if (fd_ >= 0) {
      ::close(fd_);
    }
  }

  FdCloser(const FdCloser&) = delete;
  FdCloser& operator=(const FdCloser&) = delete;

 private:
  int fd_;
};

core::Result<std::string> ReadKeyFile(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    const int err = errno;
    if (err == ENOENT) {
      return core::NotFound("key ring " + path + " does not exist");
    }
    if (err == EACCES) {
      return core::PermissionDenied("cannot open key ring " + path + ": " + ErrnoText(err));
    }
    return core::Internal("cannot open key ring " + path + ": " + ErrnoText(err));
  }
  FdCloser closer(fd);

  struct stat st {};

  if (::fstat(fd, &st) != 0) {
    return core::Internal("cannot stat key ring " + path + ": " + ErrnoText(errno));
  }
  if (!S_ISREG(st.st_mode)) {
    return core::InvalidArgument("key ring " + path + " is not a regular file");
  }
  if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
    char mode[8];
    std::snprintf(mode, sizeof(mode), "%04o", st.st_mode & 07777U);
    return core::PermissionDenied("key ring " + path + " has mode " + mode +
                                  "; group and others must have no access (chmod 600)");
  }
  if (static_cast<std::uintmax_t>(st.st_size) > kMaxKeyFileBytes) {
    return core::InvalidArgument("key ring " + path + " is too large");
  }
  std::string contents;
  char buf[4096];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof(buf));
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n < 0) {
      return core::Internal("cannot read key ring " + path + ": " + ErrnoText(errno));
    }
    if (n == 0) {
      break;
    }
    contents.append(buf, static_cast<std::size_t>(n));
    if (contents.size() > kMaxKeyFileBytes) {
      return core::InvalidArgument("key ring " + path + " is too large");
    }
  }
  return contents;
}

core::Result<std::string> FreshKey() { return RandomBytes(kAesKeyBytes); }

// Big-endian uint32 of the key version, appended to the caller's associated data so that a
// record cannot be opened as if it were wrapped by another KEK version.
std::string BindVersion(std::string_view aad, int version) {
  const auto v = static_cast<std::uint32_t>(version);
  std::string bound(aad);
  bound.push_back(static_cast<char>((v >> 24) & 0xffU));
  bound.push_back(static_cast<char>((v >> 16) & 0xffU));
  bound.push_back(static_cast<char>((v >> 8) & 0xffU));
  bound.push_back(static_cast<char>(v & 0xffU));
  return bound;
}

}  // namespace

core::Result<KeyRing> KeyRing::LoadOrCreate(const std::string& path) {
  core::Result<KeyRing> loaded = Load(path);
  if (loaded.has_value() || loaded.error().code() != core::StatusCode::kNotFound) {
    return loaded;
  }
  KeyRing ring;
  ring.path_ = path;
  ring.current_version_ = 1;
  ASSIGN_OR_RETURN(ring.keks_[1], FreshKey());
  ASSIGN_OR_RETURN(ring.index_key_, FreshKey());
  core::Status status = core::LocalFileSystem().WriteFileAtomic(path, ring.Serialize(),
                                                                {.mode = 0600, .exclusive = true});
  if (status.code() == core::StatusCode::kAlreadyExists) {
    return Load(path);  // Another process created it first; use theirs.
  }
  RETURN_IF_ERROR(status);
  return ring;
}

core::Result<KeyRing> KeyRing::Load(const std::string& path) {
  ASSIGN_OR_RETURN(std::string contents, ReadKeyFile(path));
  KeyRing ring;
  ring.path_ = path;
  core::Status status = ring.Parse(contents);
  Wipe(contents);
  RETURN_IF_ERROR(status);
  return ring;
}

core::Status KeyRing::Parse(std::string_view contents) {
  if (contents.empty() || contents.back() != '\n') {
    return core::InvalidArgument(path_ + ": file is empty or does not end in a newline");
  }
  contents.remove_suffix(1);
  const std::vector<std::string_view> lines = core::Split(contents, '\n');
  bool have_index = false;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::string where = path_ + ":" + std::to_string(i + 1) + ": ";
    if (i == 0) {
      if (lines[i] != kHeaderLine) {
        return core::InvalidArgument(where + "expected header \"" + std::string(kHeaderLine) +
                                     "\"");
      }
      continue;
    }
    const std::vector<std::string_view> fields = core::Split(lines[i], ' ');
    if (fields[0] == "kek" && fields.size() == 3) {
      int version = 0;
      const std::string_view text = fields[1];
      const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), version);
      if (ec != std::errc() || end != text.data() + text.size() || version <= 0 || text[0] == '0') {
        return core::InvalidArgument(where + "kek version must be a positive decimal integer");
      }
      if (keks_.count(version) != 0) {
        return core::InvalidArgument(where + "duplicate kek version " + std::to_string(version));
      }
      core::Result<std::string> key = Base64Decode(fields[2]);
      if (!key.has_value() || key->size() != kAesKeyBytes) {
        return core::InvalidArgument(where + "kek must be 32 bytes in base64");
      }
      keks_[version] = std::move(key).value();
      current_version_ = std::max(current_version_, version);
    } else if (fields[0] == "index" && fields.size() == 2) {
      if (have_index) {
        return core::InvalidArgument(where + "duplicate index key");
      }
      core::Result<std::string> key = Base64Decode(fields[1]);
      if (!key.has_value() || key->size() != kAesKeyBytes) {
        return core::InvalidArgument(where + "index key must be 32 bytes in base64");
      }
      index_key_ = std::move(key).value();
      have_index = true;
    } else {
      // Never echo the line: it may hold key material.
      return core::InvalidArgument(where +
                                   "expected \"kek <version> <base64>\" or \"index <base64>\"");
    }
  }
  if (keks_.empty()) {
    return core::InvalidArgument(path_ + ": no kek line");
  }
  if (!have_index) {
    return core::InvalidArgument(path_ + ": no index line");
  }
  index_hasher_ = std::make_shared<const HmacSha256Key>(index_key_);
  return core::Status::Ok();
}

std::string KeyRing::Serialize() const {
  std::string out(kHeaderLine);
  out += '\n';
  for (const auto& [version, key] : keks_) {
    out += "kek " + std::to_string(version) + " " + Base64Encode(key) + "\n";
  }
  out += "index " + Base64Encode(index_key_) + "\n";
  return out;
}

std::string KeyRing::IndexHash(std::string_view data) const {
  if (index_hasher_ == nullptr) {
    return HmacSha256(index_key_, data);
  }
  return index_hasher_->Hash(data);
}

core::Result<Envelope> KeyRing::SealEnvelope(std::string_view plaintext,
                                             std::string_view aad) const {
  const auto kek = keks_.find(current_version_);
  if (kek == keks_.end()) {
    return core::FailedPrecondition("key ring has no current kek");
  }
  const std::string bound = BindVersion(aad, current_version_);
  ASSIGN_OR_RETURN(std::string data_key, FreshKey());
  Envelope envelope;
  envelope.key_version = current_version_;
  ASSIGN_OR_RETURN(envelope.wrapped_key, Seal(kek->second, data_key, bound));
  ASSIGN_OR_RETURN(envelope.ciphertext, Seal(data_key, plaintext, bound));
  Wipe(data_key);
  return envelope;
}

core::Result<std::string> KeyRing::OpenEnvelope(const Envelope& envelope,
                                                std::string_view aad) const {
  const auto kek = keks_.find(envelope.key_version);
  if (kek == keks_.end()) {
    return core::NotFound("no kek version " + std::to_string(envelope.key_version) +
                          " in key ring " + path_);
  }
  const std::string bound = BindVersion(aad, envelope.key_version);
  core::Result<std::string> data_key = Open(kek->second, envelope.wrapped_key, bound);
  if (!data_key.has_value()) {
    core::Status status = data_key.error();
    return status.WithContext("while unwrapping the data key");
  }
  if (data_key->size() != kAesKeyBytes) {
    return core::DataLoss("unwrapped data key has the wrong length");
  }
  core::Result<std::string> plaintext = Open(*data_key, envelope.ciphertext, bound);
  Wipe(*data_key);
  return plaintext;
}

core::Status KeyRing::Rotate() {
  if (path_.empty()) {
    return core::FailedPrecondition("key ring was not loaded from a file");
  }
  if (current_version_ == std::numeric_limits<int>::max()) {
    return core::FailedPrecondition("key ring has no kek version left to rotate to");
  }
  const int next = current_version_ + 1;
  ASSIGN_OR_RETURN(keks_[next], FreshKey());
  core::Status status = core::LocalFileSystem().WriteFileAtomic(path_, Serialize(), {.mode = 0600});
  if (!status.ok()) {
    keks_.erase(next);  // Memory stays in step with the file on disk.
    return status.WithContext("while rotating the key ring");
  }
  current_version_ = next;
  return core::Status::Ok();
}

}  // namespace custos::crypto
