// SPDX-License-Identifier: Apache-2.0
// Uniform read access to an import input: a single file, a directory tree or a zip archive
// (libzip). Each is a `Bundle` of named entries (paths relative to the bundle, '/'-separated)
// that open as byte streams, so a parser reads "result.json" or "_chat.txt" the same way whether
// the user handed over the file, the unpacked folder or the zip.
//
// A single file is a bundle with one entry named by its base name. A zip that fails to open,
// or an entry whose data is corrupt (CRC mismatch, truncated), gives kInvalidArgument naming the
// zip and the entry; a missing path gives kNotFound.
//
// Thread-safety: a Bundle and its streams are used by one thread at a time. Streams opened from
// a bundle must be destroyed before the bundle.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace custos::importers {

// A forward-only byte stream.
class ByteStream {
 public:
  virtual ~ByteStream() = default;
  // Reads up to `n` bytes into `buf`; 0 at the end. Errors: kInvalidArgument (corrupt data),
  // kUnavailable (I/O error).
  virtual core::Result<std::size_t> Read(char* buf, std::size_t n) = 0;
};

struct BundleEntry {
  std::string name;       // relative path, '/'-separated
  std::int64_t size = 0;  // uncompressed size in bytes
};

// What a zip may expand to (docs/directory.md, "Import limits"; `custos import
// --max-uncompressed-mb / --max-expansion-ratio`). Checked from the central directory when the
// zip is opened, and enforced while each entry is read: an entry that inflates past the size
// its header declares is corrupt, so a lying header cannot get around the check.
struct ArchiveLimits {
  std::uint64_t max_uncompressed_bytes = std::uint64_t{16} << 30;  // 16 GiB in all
  // Uncompressed size / size of the zip file. Text compresses about 10:1, media not at all.
  std::uint64_t max_expansion_ratio = 100;
  // Zips expanding to less than this are not held to the ratio (harmless whatever it is).
  std::uint64_t ratio_floor_bytes = std::uint64_t{1} << 20;
};

class Bundle {
 public:
  enum class Kind { kFile, kDirectory, kZip };

  virtual ~Bundle() = default;

  // Opens `path`: a directory, a zip (by its "PK\3\4" signature, not its name) or any other file.
  // A zip over `limits` is kResourceExhausted naming the limit and the flag that raises it.
  static core::Result<std::unique_ptr<Bundle>> Open(const std::string& path,
                                                    const ArchiveLimits& limits = {});

  virtual Kind kind() const = 0;
  // The path given to Open().
  virtual const std::string& path() const = 0;
  // All regular files, sorted by name.
  virtual const std::vector<BundleEntry>& entries() const = 0;
  virtual core::Result<std::unique_ptr<ByteStream>> OpenEntry(std::string_view name) const = 0;

  // The entry named `name`, or nullptr.
  const BundleEntry* Find(std::string_view name) const;
  // The entry whose base name is `base` (first in name order), or nullptr.
  const BundleEntry* FindBaseName(std::string_view base) const;
  // Reads an entry completely; kResourceExhausted when it is larger than `max_bytes`.
  core::Result<std::string> ReadEntry(std::string_view name, std::size_t max_bytes) const;
  // Up to `n` first bytes of an entry (for format sniffing).
  core::Result<std::string> Peek(std::string_view name, std::size_t n) const;
  // "path" for a file, "path/entry" (or "path!entry" for a zip) otherwise: for positions.
  std::string DisplayName(std::string_view entry) const;
};

// A bundle over an open zip archive held in memory or on disk is built by Bundle::Open; these
// are exposed for tests and for parsers that find a zip inside a directory.
core::Result<std::unique_ptr<Bundle>> OpenZipBundle(const std::string& path,
                                                    const ArchiveLimits& limits = {});
core::Result<std::unique_ptr<Bundle>> OpenDirectoryBundle(const std::string& path);
core::Result<std::unique_ptr<Bundle>> OpenFileBundle(const std::string& path);

// The base name of a '/'-separated path.
std::string_view BaseName(std::string_view path);

}  // namespace custos::importers
