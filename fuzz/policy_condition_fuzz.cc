// SPDX-License-Identifier: Apache-2.0
// The condition parser on arbitrary text: a tree or a syntax error, never a crash, and nesting
// is bounded (lang::kMaxDepth), so deep parentheses cannot exhaust the stack.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "policy/lang/parser.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view condition(reinterpret_cast<const char*>(data), size);
  (void)custos::policy::lang::Parse(condition);
  return 0;
}
