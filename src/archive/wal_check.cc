// SPDX-License-Identifier: Apache-2.0
#include "archive/wal_check.h"

#include <array>
#include <cstdint>
#include <fstream>
#include <iterator>

namespace custos::archive {
namespace {

constexpr std::size_t kWalHeader = 32;
constexpr std::size_t kFrameHeader = 24;
constexpr std::uint32_t kWalMagic = 0x377f0682;  // | 1: checksum words are big-endian
constexpr std::uint32_t kWalVersion = 3007000;
constexpr std::size_t kDbPageSizeOffset = 16;

using Bytes = const unsigned char*;
using Sum = std::array<std::uint32_t, 2>;

std::uint32_t Be32(Bytes p) {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) |
         std::uint32_t{p[3]};
}

std::uint32_t Le32(Bytes p) {
  return (std::uint32_t{p[3]} << 24) | (std::uint32_t{p[2]} << 16) | (std::uint32_t{p[1]} << 8) |
         std::uint32_t{p[0]};
}

// SQLite's walChecksumBytes: `n` is a multiple of 8.
Sum Checksum(Sum s, Bytes p, std::size_t n, bool big_endian) {
  for (std::size_t i = 0; i + 8 <= n; i += 8) {
    s[0] += (big_endian ? Be32(p + i) : Le32(p + i)) + s[1];
    s[1] += (big_endian ? Be32(p + i + 4) : Le32(p + i + 4)) + s[0];
  }
  return s;
}

Sum Stored(Bytes p) { return {Be32(p), Be32(p + 4)}; }

bool ValidPageSize(std::uint32_t size) {
  return size >= 512 && size <= 65536 && (size & (size - 1)) == 0;
}

core::Result<std::string> Slurp(const std::string& path, std::size_t limit) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return std::string();
  }
  std::string data;
  if (limit == 0) {
    data.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  } else {
    data.resize(limit);
    in.read(data.data(), static_cast<std::streamsize>(limit));
    data.resize(static_cast<std::size_t>(in.gcount()));
  }
  if (in.bad()) {
    return core::Unavailable("cannot read " + path);
  }
  return data;
}

// The frames of one WAL, as SQLite and as this check see them.
class WalView {
 public:
  WalView(const std::string& wal, std::uint32_t page_size, bool big_endian)
      : wal_(reinterpret_cast<Bytes>(wal.data())),
        page_size_(page_size),
        big_endian_(big_endian),
        frames_((wal.size() - kWalHeader) / (kFrameHeader + page_size)) {}

  std::size_t frames() const { return frames_; }

  Bytes Frame(std::size_t i) const { return wal_ + kWalHeader + i * (kFrameHeader + page_size_); }

  bool IsCommit(std::size_t i) const { return Be32(Frame(i) + 4) != 0; }

  bool HeaderValid() const {
    return (Be32(wal_) & ~1U) == kWalMagic && Be32(wal_ + 4) == kWalVersion &&
           Be32(wal_ + 8) == page_size_ &&
           Checksum({0, 0}, wal_, 24, big_endian_) == Stored(wal_ + 24);
  }

  // Frame i checks out against the running checksum its predecessor stores and `salts`.
  bool FrameValid(std::size_t i, Bytes salts) const {
    const Bytes f = Frame(i);
    if (Be32(f + 8) != Be32(salts) || Be32(f + 12) != Be32(salts + 4)) {
      return false;
    }
    const Sum before = i == 0 ? Stored(wal_ + 24) : Stored(Frame(i - 1) + 16);
    const Sum sum =
        Checksum(Checksum(before, f, 8, big_endian_), f + kFrameHeader, page_size_, big_endian_);
    return sum == Stored(f + 16);
  }

  // What is lost: "" when SQLite's view keeps every intact commit.
  std::string Lost() const {
    const bool header = HeaderValid();
    const Bytes salts = header ? wal_ + 16 : (frames_ > 0 ? Frame(0) + 8 : wal_ + 16);
    std::size_t first_bad = 0;  // SQLite ignores frames from here on
    if (header) {
      while (first_bad < frames_ && FrameValid(first_bad, salts)) {
        ++first_bad;
      }
    }
    std::size_t commits = 0;
    for (std::size_t j = header ? first_bad + 1 : 0; j < frames_; ++j) {
      commits += FrameValid(j, salts) && IsCommit(j) ? 1 : 0;
    }
    if (commits == 0) {
      return "";
    }
    const std::string where = header ? "frame " + std::to_string(first_bad + 1) + " of " +
                                           std::to_string(frames_) + " is damaged"
                                     : "its header is damaged";
    return where + ": SQLite ignores it and the " + std::to_string(commits) +
           " intact committed transaction(s) after it, so the archive would silently lose them"
           " (a byte changed at rest; after a power loss also a write interrupted before its"
           " commit returned)";
  }

 private:
  Bytes wal_;
  std::uint32_t page_size_;
  bool big_endian_;
  std::size_t frames_;
};

}  // namespace

core::Result<std::optional<std::string>> CheckWal(const std::string& wal_path,
                                                  const std::string& db_path) {
  ASSIGN_OR_RETURN(const std::string wal, Slurp(wal_path, 0));
  if (wal.size() < kWalHeader) {
    return std::optional<std::string>();
  }
  const auto* h = reinterpret_cast<Bytes>(wal.data());
  std::uint32_t page_size = Be32(h + 8);
  if (!ValidPageSize(page_size)) {
    ASSIGN_OR_RETURN(const std::string db, Slurp(db_path, kDbPageSizeOffset + 2));
    if (db.size() < kDbPageSizeOffset + 2) {
      return std::optional<std::string>();
    }
    const auto* d = reinterpret_cast<Bytes>(db.data()) + kDbPageSizeOffset;
    page_size = d[0] == 0 && d[1] == 1 ? 65536 : (std::uint32_t{d[0]} << 8) | d[1];
    if (!ValidPageSize(page_size)) {
      return std::optional<std::string>();
    }
  }
  const bool big_endian = (Be32(h) & 1U) != 0;
  std::string lost = WalView(wal, page_size, big_endian).Lost();
  if (lost.empty() && !WalView(wal, page_size, big_endian).HeaderValid()) {
    lost = WalView(wal, page_size, !big_endian).Lost();  // the magic's byte-order bit may be hit
  }
  if (lost.empty()) {
    return std::optional<std::string>();
  }
  return std::optional<std::string>(lost);
}

}  // namespace custos::archive
