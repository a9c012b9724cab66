// SPDX-License-Identifier: Apache-2.0
// Reads a stream line by line in bounded memory, for imports of JSON Lines (app/import_pipeline.h):
// the file is never loaded whole, and a line longer than the limit is an error rather than an
// allocation of unbounded size. Strips "\n", a "\r" before it, and a UTF-8 byte-order mark on
// line 1. Thread-safety: one reader per thread.
#pragma once

#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"

namespace custos::app {

class LineReader {
 public:
  // Reads from `file`, which must stay open while the reader is used (not owned).
  LineReader(std::FILE* file, std::size_t max_line_bytes);

  // The next line, valid until the next call; nullopt at the end of the input. Fails with
  // kInvalidArgument when the line is longer than the limit, kUnavailable on a read error.
  core::Result<std::optional<std::string_view>> Next();

  // The number of the line last returned (or failed), from 1; blank lines count.
  std::int64_t line_number() const { return line_number_; }

  // Bytes of input consumed by the lines returned so far.
  std::uint64_t bytes_consumed() const { return consumed_; }

 private:
  // Reads more input into buf_; false at end of input.
  core::Result<bool> Fill();

  std::FILE* file_;
  std::size_t max_line_bytes_;
  std::string buf_;
  std::size_t pos_ = 0;  // start of the unread part of buf_
  bool eof_ = false;
  std::int64_t line_number_ = 0;
  std::uint64_t consumed_ = 0;
};

}  // namespace custos::app
