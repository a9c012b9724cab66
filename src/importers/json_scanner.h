// SPDX-License-Identifier: Apache-2.0
// A pull-style JSON scanner over a ByteStream for exports too large to parse at once
// (Telegram result.json). The caller walks the outer structure token by token and captures
// each inner value (one message) as raw text to parse on its own, so memory stays at one value.
// Every error names the line and column. Thread-safety: one thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "core/status.h"
#include "importers/bundle.h"
#include "importers/source.h"

namespace custos::importers {

class JsonScanner {
 public:
  // A captured or skipped value nested deeper than this is bad input (the value is parsed by
  // the bounded reader, core/json_reader.h, with the same depth).
  static constexpr int kMaxValueDepth = 64;

  JsonScanner(std::unique_ptr<ByteStream> in, std::string display_name,
              std::size_t max_value_bytes = std::size_t{64} << 20);

  // Skips whitespace and returns the next byte without consuming it; '\0' at the end.
  core::Result<char> PeekToken();
  // Consumes `c` after whitespace, or fails with "expected 'c' <context>".
  core::Status Expect(char c, std::string_view context);
  // Reads a JSON string (after whitespace) and returns its raw content (escapes kept; keys
  // in exports are plain ASCII).
  core::Result<std::string> ReadKey();
  // Copies the next value (object, array, string, number, literal) into `*out`, raw.
  core::Status CaptureValue(std::string* out);
  // Skips the next value.
  core::Status SkipValue();
  // Fails unless only whitespace is left.
  core::Status ExpectEnd();

  // The position of the next unread byte (after PeekToken: of the token).
  Position Here() const;

  std::int64_t offset() const { return offset_; }

  // An error at the current position.
  core::Status Error(std::string_view why) const;

 private:
  core::Result<int> Get();  // the next byte, or -1 at the end
  core::Result<int> Peek();
  core::Status Value(std::string* out);  // out == nullptr: skip

  std::unique_ptr<ByteStream> in_;
  std::string name_;
  std::size_t max_value_;
  std::string buf_;
  std::size_t pos_ = 0;
  bool eof_ = false;
  std::int64_t offset_ = 0;
  std::int64_t line_ = 1;
  std::int64_t column_ = 1;
};

}  // namespace custos::importers
