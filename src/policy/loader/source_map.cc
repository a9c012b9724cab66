// SPDX-License-Identifier: Apache-2.0
// PositionIn: maps an offset inside a YAML scalar's value back to the file.
#include <string_view>

#include "policy/loader/raw.h"

namespace custos::policy::loader {
namespace {

constexpr bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

constexpr std::size_t kMaxSkip = 1024;

}  // namespace

RawNode::RawNode() = default;
RawNode::~RawNode() = default;
RawNode::RawNode(const RawNode&) = default;
RawNode::RawNode(RawNode&&) noexcept = default;
RawNode& RawNode::operator=(const RawNode&) = default;
RawNode& RawNode::operator=(RawNode&&) noexcept = default;

const RawNode* RawNode::Find(std::string_view key) const {
  for (const auto& [k, v] : members) {
    if (k.IsScalar() && k.scalar == key) {
      return &v;
    }
  }
  return nullptr;
}

std::string_view RawNode::KindName() const {
  switch (kind) {
    case Kind::kNull:
      return "nothing";
    case Kind::kScalar:
      return "a string";
    case Kind::kSequence:
      return "a list";
    case Kind::kMap:
      return "a mapping";
  }
  return "a value";
}

SourcePos PositionIn(const RawNode& node, std::size_t offset) {
  if (!node.file_text || node.byte_offset >= node.file_text->size() || node.pos.line == 0) {
    return node.pos;
  }
  const std::string_view file = *node.file_text;
  std::size_t raw = node.byte_offset;
  // Skip the opening quote, or a block scalar's header line.
  if (file[raw] == '"' || file[raw] == '\'') {
    ++raw;
  } else if (file[raw] == '|' || file[raw] == '>') {
    while (raw < file.size() && file[raw] != '\n') {
      ++raw;
    }
  }
  const std::string_view value = node.scalar;
  // Greedy alignment of value characters with file characters. A blank in the value consumes
  // one blank of the file, and the rest of a blank run when the value continues with a
  // non-blank (folded line breaks, indentation). Before a non-blank value character, blanks,
  // quotes and backslashes of the file (indentation, escapes) are skipped.
  auto align = [&](char want) {
    std::size_t skipped = 0;
    while (raw < file.size() && file[raw] != want && skipped < kMaxSkip &&
           (IsBlank(file[raw]) || file[raw] == '\\' || file[raw] == '\'' || file[raw] == '"')) {
      ++raw;
      ++skipped;
    }
    return raw < file.size() && file[raw] == want;
  };
  for (std::size_t v = 0; v < offset && v < value.size(); ++v) {
    const char want = value[v];
    if (IsBlank(want)) {
      if (raw < file.size() && IsBlank(file[raw])) {
        ++raw;
        if (v + 1 < value.size() && !IsBlank(value[v + 1])) {
          while (raw < file.size() && IsBlank(file[raw])) {
            ++raw;
          }
        }
      }
      continue;
    }
    if (!align(want)) {
      return node.pos;
    }
    ++raw;
  }
  if (offset < value.size() && !IsBlank(value[offset]) && !align(value[offset])) {
    return node.pos;
  }
  // Turn the byte offset into line and column (columns count bytes, from 1).
  SourcePos pos = node.pos;
  int line = node.pos.line;
  std::size_t line_start = node.byte_offset - static_cast<std::size_t>(node.pos.column - 1);
  for (std::size_t i = node.byte_offset; i < raw && i < file.size(); ++i) {
    if (file[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  }
  pos.line = line;
  pos.column = static_cast<int>(raw - line_start) + 1;
  return pos;
}

}  // namespace custos::policy::loader
