// SPDX-License-Identifier: Apache-2.0
// Bundle helpers and the file and directory bundles (the zip bundle is in zip_bundle.cc).
#include "importers/bundle.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <system_error>
#include <utility>

namespace custos::importers {
namespace {

namespace fs = std::filesystem;

class FileStream final : public ByteStream {
 public:
  FileStream(std::FILE* f, std::string path) : f_(f), path_(std::move(path)) {}

  ~FileStream() override { std::fclose(f_); }

  FileStream(const FileStream&) = delete;
  FileStream& operator=(const FileStream&) = delete;

  core::Result<std::size_t> Read(char* buf, std::size_t n) override {
    const std::size_t got = std::fread(buf, 1, n, f_);
    if (got == 0 && std::ferror(f_)) {
      return core::Unavailable("cannot read " + path_ + ": " + std::strerror(errno));
    }
    return got;
  }

 private:
  std::FILE* f_;
  std::string path_;
};

core::Result<std::unique_ptr<ByteStream>> OpenFileStream(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) {
    return core::NotFound("cannot open " + path + ": " + std::strerror(errno));
  }
  return std::unique_ptr<ByteStream>(std::make_unique<FileStream>(f, path));
}

// A directory tree (or a single file, as a tree of one entry).
class FsBundle final : public Bundle {
 public:
  FsBundle(Kind kind, std::string path, std::string root, std::vector<BundleEntry> entries)
      : kind_(kind), path_(std::move(path)), root_(std::move(root)), entries_(std::move(entries)) {}

  Kind kind() const override { return kind_; }

  const std::string& path() const override { return path_; }

  const std::vector<BundleEntry>& entries() const override { return entries_; }

  core::Result<std::unique_ptr<ByteStream>> OpenEntry(std::string_view name) const override {
    if (Find(name) == nullptr) {
      return core::NotFound("no entry " + std::string(name) + " in " + path_);
    }
    return OpenFileStream(kind_ == Kind::kFile ? path_ : root_ + "/" + std::string(name));
  }

 private:
  Kind kind_;
  std::string path_;
  std::string root_;
  std::vector<BundleEntry> entries_;
};

}  // namespace

std::string_view BaseName(std::string_view path) {
  const std::size_t slash = path.find_last_of('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

const BundleEntry* Bundle::Find(std::string_view name) const {
  for (const BundleEntry& e : entries()) {
    if (e.name == name) {
      return &e;
    }
  }
  return nullptr;
}

const BundleEntry* Bundle::FindBaseName(std::string_view base) const {
  for (const BundleEntry& e : entries()) {
    if (BaseName(e.name) == base) {
      return &e;
    }
  }
  return nullptr;
}

core::Result<std::string> Bundle::ReadEntry(std::string_view name, std::size_t max_bytes) const {
  ASSIGN_OR_RETURN(std::unique_ptr<ByteStream> in, OpenEntry(name));
  std::string out;
  char buf[1 << 16];
  for (;;) {
    ASSIGN_OR_RETURN(std::size_t got, in->Read(buf, sizeof buf));
    if (got == 0) {
      return out;
    }
    if (out.size() + got > max_bytes) {
      return core::ResourceExhausted(DisplayName(name) + " is larger than " +
                                     std::to_string(max_bytes) + " bytes");
    }
    out.append(buf, got);
  }
}

core::Result<std::string> Bundle::Peek(std::string_view name, std::size_t n) const {
  ASSIGN_OR_RETURN(std::unique_ptr<ByteStream> in, OpenEntry(name));
  std::string out(n, '\0');
  std::size_t have = 0;
  while (have < n) {
    ASSIGN_OR_RETURN(std::size_t got, in->Read(out.data() + have, n - have));
    if (got == 0) {
      break;
    }
    have += got;
  }
  out.resize(have);
  return out;
}

std::string Bundle::DisplayName(std::string_view entry) const {
  switch (kind()) {
    case Kind::kFile:
      return path();
    case Kind::kDirectory:
      return path() + "/" + std::string(entry);
    case Kind::kZip:
      return path() + "!" + std::string(entry);
  }
  return path();
}

core::Result<std::unique_ptr<Bundle>> OpenFileBundle(const std::string& path) {
  std::error_code ec;
  const auto size = fs::file_size(path, ec);
  if (ec) {
    return core::NotFound("cannot open " + path + ": " + ec.message());
  }
  std::vector<BundleEntry> entries{{std::string(BaseName(path)), static_cast<std::int64_t>(size)}};
  return std::unique_ptr<Bundle>(
      std::make_unique<FsBundle>(Bundle::Kind::kFile, path, "", std::move(entries)));
}

core::Result<std::unique_ptr<Bundle>> OpenDirectoryBundle(const std::string& path) {
  std::error_code ec;
  std::vector<BundleEntry> entries;
  fs::recursive_directory_iterator it(path, ec);
  if (ec) {
    return core::NotFound("cannot open directory " + path + ": " + ec.message());
  }
  for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) {
      return core::Unavailable("cannot list " + path + ": " + ec.message());
    }
    if (!it->is_regular_file(ec)) {
      continue;
    }
    const std::string rel = fs::relative(it->path(), path, ec).generic_string();
    entries.push_back({rel, static_cast<std::int64_t>(it->file_size(ec))});
  }
  std::sort(entries.begin(), entries.end(),
            [](const BundleEntry& a, const BundleEntry& b) { return a.name < b.name; });
  std::string root = path;
  while (root.size() > 1 && root.back() == '/') {
    root.pop_back();
  }
  return std::unique_ptr<Bundle>(
      std::make_unique<FsBundle>(Bundle::Kind::kDirectory, root, root, std::move(entries)));
}

core::Result<std::unique_ptr<Bundle>> Bundle::Open(const std::string& path,
                                                   const ArchiveLimits& limits) {
  std::error_code ec;
  const fs::file_status st = fs::status(path, ec);
  if (ec || !fs::exists(st)) {
    return core::NotFound("cannot open " + path + ": no such file or directory");
  }
  if (fs::is_directory(st)) {
    return OpenDirectoryBundle(path);
  }
  if (!fs::is_regular_file(st)) {
    return core::InvalidArgument(
        path +
        " is not a regular file or a directory (a pipe, a device?): an export is read "
        "more than once (detection, sender names, then the import), so save it to a file "
        "first; `custos import jsonl` reads a stream");
  }
  char magic[4] = {};
  if (std::FILE* f = std::fopen(path.c_str(), "rb")) {
    const std::size_t got = std::fread(magic, 1, sizeof magic, f);
    std::fclose(f);
    if (got == 4 && std::memcmp(magic, "PK\x03\x04", 4) == 0) {
      return OpenZipBundle(path, limits);
    }
  }
  return OpenFileBundle(path);
}

}  // namespace custos::importers
