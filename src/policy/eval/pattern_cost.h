// SPDX-License-Identifier: Apache-2.0
// Lint of regular expressions before Vectorscan sees them: the constructs it rejects (named,
// so the author learns why) and the ones that compile but cost every message (an unbounded
// repeat at the start, which makes the engine track a match from every byte; a huge
// alternation, which belongs in a list). Pure functions, thread-safe.
#ifndef CUSTOS_POLICY_EVAL_PATTERN_COST_H_
#define CUSTOS_POLICY_EVAL_PATTERN_COST_H_

#include <cstddef>
#include <string>
#include <string_view>

namespace custos::policy::eval {

// More alternatives than this in one pattern is a warning: use a list (`text matches list:N`),
// which compiles into the literal matcher and is checked for whole words.
inline constexpr std::size_t kMaxAlternatives = 32;

struct PatternCost {
  std::string costly;       // why the pattern is costly; empty when it is not
  std::string unsupported;  // the construct Vectorscan rejects (back-reference, look-around,
                            // conditional, recursion); empty when none was seen
};

PatternCost AnalyzePattern(std::string_view pattern);

}  // namespace custos::policy::eval

#endif  // CUSTOS_POLICY_EVAL_PATTERN_COST_H_
