// SPDX-License-Identifier: Apache-2.0
#include "app/line_reader.h"

#include <cerrno>
#include <cstring>

namespace custos::app {
namespace {

constexpr std::size_t kChunkBytes = std::size_t{1} << 20;
constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";

}  // namespace

LineReader::LineReader(std::FILE* file, std::size_t max_line_bytes)
    : file_(file), max_line_bytes_(max_line_bytes) {}

core::Result<bool> LineReader::Fill() {
  if (eof_) {
    return false;
  }
  if (pos_ > 0) {
    buf_.erase(0, pos_);
    pos_ = 0;
  }
  const std::size_t old_size = buf_.size();
  buf_.resize(old_size + kChunkBytes);
  const std::size_t n = std::fread(buf_.data() + old_size, 1, kChunkBytes, file_);
  buf_.resize(old_size + n);
  if (n < kChunkBytes) {
    if (std::ferror(file_) != 0) {
      return core::Unavailable(std::string("read error: ") + std::strerror(errno));
    }
    eof_ = true;
  }
  return n > 0;
}

core::Result<std::optional<std::string_view>> LineReader::Next() {
  std::size_t scanned = pos_;
  while (true) {
    const std::size_t nl = buf_.find('\n', scanned);
    const bool at_end = nl == std::string::npos && eof_;
    if (nl != std::string::npos || at_end) {
      const std::size_t end = nl != std::string::npos ? nl : buf_.size();
      if (at_end && end == pos_) {
        return std::optional<std::string_view>();
      }
      std::string_view line(buf_.data() + pos_, end - pos_);
      ++line_number_;
      consumed_ += line.size() + (nl != std::string::npos ? 1 : 0);
      pos_ = nl != std::string::npos ? nl + 1 : buf_.size();
      if (line.size() > max_line_bytes_) {
        return core::InvalidArgument("line is " + std::to_string(line.size()) +
                                     " bytes, over the limit of " +
                                     std::to_string(max_line_bytes_));
      }
      if (!line.empty() && line.back() == '\r') {
        line.remove_suffix(1);
      }
      if (line_number_ == 1 && line.substr(0, kByteOrderMark.size()) == kByteOrderMark) {
        line.remove_prefix(kByteOrderMark.size());
      }
      return std::optional<std::string_view>(line);
    }
    if (buf_.size() - pos_ > max_line_bytes_ + 1) {
      ++line_number_;
      return core::InvalidArgument("line is longer than " + std::to_string(max_line_bytes_) +
                                   " bytes");
    }
    scanned = buf_.size() - pos_;  // relative: Fill() moves the unread part to the front
    ASSIGN_OR_RETURN(const bool more, Fill());
    (void)more;
    scanned = scanned + pos_;
  }
}

}  // namespace custos::app
