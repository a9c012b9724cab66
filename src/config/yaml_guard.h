// SPDX-License-Identifier: Apache-2.0
// The one gate in front of every yaml-cpp load in custos (policy pack files, DIR/custos.yaml,
// device policies, the nanomdm settings): a streaming pass over the YAML events, before any
// node tree is built, that refuses anchors and aliases and bounds the size, the number of nodes
// and the nesting depth. yaml-cpp's loader shares aliased nodes, but every consumer walks the
// tree, so a 300-byte "billion laughs" file (aliases of aliases) expands to gigabytes there;
// refusing aliases removes the amplification, and the bounds keep a plain large file from
// costing more than a small multiple of its size. Limits: docs/crash-safety.md.
// Thread-safety: pure function.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace custos::config {

struct YamlLimits {
  std::size_t max_bytes = 4u << 20;  // 4 MiB of YAML text
  std::size_t max_nodes = 100'000;   // scalars, sequences and mappings (keys included)
  int max_depth = 64;                // nested sequences and mappings
};

inline constexpr YamlLimits kDefaultYamlLimits{};

// What CheckYaml refused, at a 1-based line and column (0 when the position is unknown).
struct YamlProblem {
  int line = 0;
  int column = 0;
  std::string message;    // "YAML anchors and aliases are not allowed (&base)"
  std::size_t nodes = 0;  // nodes seen before the problem (a pack counts them across files)
};

// Checks `text` against `limits` without building a tree (memory stays bounded by the input);
// returns the first problem, or nullopt when the text may be loaded. A YAML syntax error is
// not a problem here: the loader that follows reports it with its own position. `nodes`, when
// given, receives the number of nodes of an accepted text.
std::optional<YamlProblem> CheckYaml(std::string_view text, const YamlLimits& limits = {},
                                     std::size_t* nodes = nullptr);

// "file:line:column: message" (or "file: message" when the position is unknown).
std::string FormatYamlProblem(std::string_view file, const YamlProblem& problem);

}  // namespace custos::config
