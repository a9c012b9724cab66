// SPDX-License-Identifier: Apache-2.0
#include "importers/json_scanner.h"

#include <utility>

namespace custos::importers {
namespace {

bool IsSpace(int c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

}  // namespace

JsonScanner::JsonScanner(std::unique_ptr<ByteStream> in, std::string display_name,
                         std::size_t max_value_bytes)
    : in_(std::move(in)), name_(std::move(display_name)), max_value_(max_value_bytes) {}

Position JsonScanner::Here() const {
  Position p = Position::AtLine(name_, line_, column_);
  p.offset = offset_;
  return p;
}

core::Status JsonScanner::Error(std::string_view why) const { return BadInput(Here(), why); }

core::Result<int> JsonScanner::Peek() {
  if (pos_ >= buf_.size()) {
    if (eof_) {
      return -1;
    }
    buf_.resize(1 << 16);
    auto got = in_->Read(buf_.data(), buf_.size());
    if (!got.has_value()) {
      return got.error();
    }
    buf_.resize(*got);
    pos_ = 0;
    if (*got == 0) {
      eof_ = true;
      return -1;
    }
  }
  return static_cast<unsigned char>(buf_[pos_]);
}

core::Result<int> JsonScanner::Get() {
  ASSIGN_OR_RETURN(int c, Peek());
  if (c < 0) {
    return c;
  }
  ++pos_;
  ++offset_;
  if (c == '\n') {
    ++line_;
    column_ = 1;
  } else {
    ++column_;
  }
  return c;
}

core::Result<char> JsonScanner::PeekToken() {
  for (;;) {
    ASSIGN_OR_RETURN(int c, Peek());
    if (c < 0) {
      return '\0';
    }
    if (!IsSpace(c)) {
      return static_cast<char>(c);
    }
    RETURN_IF_ERROR(Get().status());
  }
}

core::Status JsonScanner::Expect(char c, std::string_view context) {
  ASSIGN_OR_RETURN(char next, PeekToken());
  if (next != c) {
    const std::string found =
        next == '\0' ? "the end of the file (truncated?)" : std::string("'") + next + "'";
    return Error(std::string("expected '") + c + "' " + std::string(context) + ", found " + found);
  }
  return Get().status();
}

core::Result<std::string> JsonScanner::ReadKey() {
  ASSIGN_OR_RETURN(char next, PeekToken());
  if (next != '"') {
    return Error("expected a quoted key");
  }
  std::string key;
  RETURN_IF_ERROR(Value(&key));
  return key.substr(1, key.size() - 2);
}

core::Status JsonScanner::CaptureValue(std::string* out) {
  out->clear();
  RETURN_IF_ERROR(PeekToken().status());
  return Value(out);
}

core::Status JsonScanner::SkipValue() {
  RETURN_IF_ERROR(PeekToken().status());
  return Value(nullptr);
}

core::Status JsonScanner::ExpectEnd() {
  ASSIGN_OR_RETURN(char next, PeekToken());
  if (next != '\0') {
    return Error("unexpected data after the end of the JSON document");
  }
  return core::Status::Ok();
}

// Scans one value: strings with escapes, brackets balanced; the detailed grammar of the value
// is checked by the parser it is handed to.
core::Status JsonScanner::Value(std::string* out) {
  const Position start = Here();
  int depth = 0;
  bool in_string = false;
  bool escape = false;
  std::size_t size = 0;
  for (;;) {
    ASSIGN_OR_RETURN(int c, Peek());
    if (c < 0) {
      return BadInput(start,
                      "the value starting here is cut off by the end of the file "
                      "(truncated export?)");
    }
    if (!in_string && depth == 0 && size > 0 &&
        (c == ',' || c == '}' || c == ']' || c == ':' || IsSpace(c))) {
      return core::Status::Ok();
    }
    RETURN_IF_ERROR(Get().status());
    if (++size > max_value_) {
      return BadInput(start,
                      "a single value is larger than " + std::to_string(max_value_) + " bytes");
    }
    if (out != nullptr) {
      out->push_back(static_cast<char>(c));
    }
    if (in_string) {
      if (escape) {
        escape = false;
      } else if (c == '\\') {
        escape = true;
      } else if (c == '"') {
        in_string = false;
        if (depth == 0) {
          return core::Status::Ok();
        }
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      if (++depth > kMaxValueDepth) {
        return BadInput(Here(), "a value nested deeper than " + std::to_string(kMaxValueDepth) +
                                    " levels (starting at line " + std::to_string(start.line) +
                                    ")");
      }
    } else if (c == '}' || c == ']') {
      if (--depth < 0) {
        return BadInput(start, "unbalanced brackets");
      }
      if (depth == 0) {
        return core::Status::Ok();
      }
    }
  }
}

}  // namespace custos::importers
