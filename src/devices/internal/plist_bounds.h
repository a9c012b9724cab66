// SPDX-License-Identifier: Apache-2.0
// Internal: bounds a property list before libplist sees it. libplist 2.2 parses XML
// recursively (300,000 nested <array> elements overflow the stack) and copies a binary plist's
// shared objects at every reference (a small file can expand exponentially, or loop for
// seconds on deep chains). The check is linear in the input and never recurses.
// Thread-safety: pure function.
#pragma once

#include <cstddef>
#include <string_view>

#include "core/status.h"

namespace custos::devices::internal {

struct PlistBounds {
  std::size_t max_bytes = std::size_t{1} << 24;
  int max_depth = 64;                 // elements (XML) or containers (binary) open at once
  std::size_t max_nodes = 1'000'000;  // XML elements, or binary values once expanded
};

// kInvalidArgument naming the limit (and, for depth, the byte) when `bytes` exceeds `bounds`,
// or when a binary plist's structure is broken (offsets or references outside the file, a
// container that contains itself). It does not validate XML; libplist does that next.
core::Status CheckPlistBounds(std::string_view bytes, const PlistBounds& bounds = {});

}  // namespace custos::devices::internal
