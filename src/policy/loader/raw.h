// SPDX-License-Identifier: Apache-2.0
// The reader's output: pack files and their YAML as a plain tree with positions, so that the
// collector and compiler never see yaml-cpp (YAML stays at the edge).
// Every scalar remembers where it starts in its file, so a position *inside* a scalar (a
// condition's syntax error at character 17) can be mapped back to a file line and column.
// Thread-safety: plain values.
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "policy/diagnostics.h"

namespace custos::policy::loader {

// A file of the pack: path relative to the pack root ('/' separated) and its bytes.
struct PackFile {
  std::string path;
  std::shared_ptr<const std::string> content;
};

struct RawNode {
  enum class Kind { kNull, kScalar, kSequence, kMap };

  // Declared here and defaulted in source_map.cc, where RawNode is complete: a member
  // std::vector<std::pair<RawNode, RawNode>> makes clang (14, with libstdc++ 12) instantiate
  // std::pair<RawNode, RawNode> while RawNode is still incomplete if these are implicit.
  RawNode();
  ~RawNode();
  RawNode(const RawNode&);
  RawNode(RawNode&&) noexcept;
  RawNode& operator=(const RawNode&);
  RawNode& operator=(RawNode&&) noexcept;

  Kind kind = Kind::kNull;
  std::string scalar;          // kScalar: the value
  bool plain = true;           // kScalar: written without quotes or block indicators
  std::vector<RawNode> items;  // kSequence
  std::vector<std::pair<RawNode, RawNode>> members;  // kMap: key, value, in file order
  SourcePos pos;                                     // where the node starts
  std::size_t byte_offset = 0;                       // of `pos` in the file
  std::shared_ptr<const std::string> file_text;      // the whole file, for PositionIn

  bool IsScalar() const { return kind == Kind::kScalar; }

  bool IsMap() const { return kind == Kind::kMap; }

  bool IsSequence() const { return kind == Kind::kSequence; }

  // The value of member `key` of a map, or nullptr.
  const RawNode* Find(std::string_view key) const;

  // "a string", "a list", "a mapping", "nothing": for messages.
  std::string_view KindName() const;
};

// One item of a pack file: a mapping whose first key names its kind.
struct RawItem {
  std::string kind;  // "pack", "list", "macro", "detector", "rule"
  std::string name;  // the value of the first key (may be empty when it is not a string)
  RawNode node;      // the whole mapping
};

// The file position of byte `offset` of the value of scalar `node`: for plain, quoted and
// block scalars the value's characters are aligned with the file text (skipping quotes,
// escapes, indentation and folded line breaks). Falls back to the node's own position.
SourcePos PositionIn(const RawNode& node, std::size_t offset);

}  // namespace custos::policy::loader
