// SPDX-License-Identifier: Apache-2.0
#include "importers/line_stream.h"

#include <utility>

#include "core/text.h"

namespace custos::importers {

LineStream::LineStream(std::unique_ptr<ByteStream> in, std::string display_name,
                       std::size_t max_line_bytes)
    : in_(std::move(in)), name_(std::move(display_name)), max_line_(max_line_bytes) {}

core::Status LineStream::Fill() {
  if (pos_ > 0) {
    buf_.erase(0, pos_);
    pos_ = 0;
  }
  const std::size_t old = buf_.size();
  buf_.resize(old + (1 << 16));
  auto got = in_->Read(buf_.data() + old, 1 << 16);
  if (!got.has_value()) {
    buf_.resize(old);
    return got.error();
  }
  buf_.resize(old + *got);
  if (*got == 0) {
    eof_ = true;
  }
  return core::Status::Ok();
}

core::Result<std::optional<std::string>> LineStream::Next() {
  std::size_t scanned = pos_;
  for (;;) {
    const std::size_t nl = buf_.find('\n', scanned);
    if (nl != std::string::npos || (eof_ && pos_ < buf_.size())) {
      const std::size_t end = nl == std::string::npos ? buf_.size() : nl;
      std::string line = buf_.substr(pos_, end - pos_);
      consumed_ += static_cast<std::int64_t>(end - pos_ + (nl == std::string::npos ? 0 : 1));
      pos_ = nl == std::string::npos ? buf_.size() : nl + 1;
      ++line_;
      if (!line.empty() && line.back() == '\r') {
        line.pop_back();
      }
      if (line_ == 1 && line.rfind("\xEF\xBB\xBF", 0) == 0) {
        line.erase(0, 3);
      }
      if (!core::IsValidUtf8(line)) {
        return core::InvalidArgument(name_ + ":" + std::to_string(line_) +
                                     ": invalid UTF-8 (is the file in another encoding?)");
      }
      return std::optional<std::string>(std::move(line));
    }
    if (eof_) {
      return std::optional<std::string>();
    }
    if (buf_.size() - pos_ > max_line_) {
      return core::InvalidArgument(name_ + ":" + std::to_string(line_ + 1) + ": line longer than " +
                                   std::to_string(max_line_) + " bytes");
    }
    scanned = buf_.size() - pos_;
    RETURN_IF_ERROR(Fill());
    // Fill() moved the unread bytes to the front.
  }
}

}  // namespace custos::importers
