// SPDX-License-Identifier: Apache-2.0
// The folded and leet views (normalizer.h) built from the view below them.
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <string_view>

#include "policy/eval/offset_map.h"

namespace custos::policy::eval {

// The folded view joins runs of at least this many single letters ("f u c k").
inline constexpr std::size_t kMinJoinedLetters = 3;

// Writes the folded form of `in` to `out` (text and map relative to `in`); returns false when
// nothing changed (out is then unusable).
bool BuildFolded(std::string_view in, View& out);

// The same for the leet form.
bool BuildLeet(std::string_view in, View& out);

}  // namespace custos::policy::eval
