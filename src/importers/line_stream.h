// SPDX-License-Identifier: Apache-2.0
// Text lines from a ByteStream, for line-oriented export formats (WhatsApp). Strips "\n",
// "\r\n" and a leading UTF-8 byte order mark, counts lines (1-based) and bytes, and rejects a
// line that is not valid UTF-8 or longer than a limit with an error naming file and line.
// Thread-safety: one reader per thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "core/status.h"
#include "importers/bundle.h"

namespace custos::importers {

class LineStream {
 public:
  LineStream(std::unique_ptr<ByteStream> in, std::string display_name,
             std::size_t max_line_bytes = std::size_t{1} << 20);

  // The next line (without its terminator), or std::nullopt at the end.
  core::Result<std::optional<std::string>> Next();

  // The number of the line last returned.
  std::int64_t line_number() const { return line_; }

  std::int64_t bytes_consumed() const { return consumed_; }

  const std::string& display_name() const { return name_; }

 private:
  core::Status Fill();

  std::unique_ptr<ByteStream> in_;
  std::string name_;
  std::size_t max_line_;
  std::string buf_;
  std::size_t pos_ = 0;
  bool eof_ = false;
  std::int64_t line_ = 0;
  std::int64_t consumed_ = 0;
};

}  // namespace custos::importers
