// SPDX-License-Identifier: Apache-2.0
// Field tests and rule scopes against a message's Facts (docs/policy-language.md §3.4 and
// §2.5). String comparisons are ASCII case-insensitive; a field with several values passes
// when any value passes, and fails when it has none.
// Thread-safety: pure functions.
#pragma once

#include "policy/eval/compiled.h"

namespace custos::policy::eval {

bool EvalField(const CompiledPack& pack, const Facts& facts, const Node& node);

bool InScope(const CompiledPack& pack, const Scope& scope, const Facts& facts);

// Whether the message counts as sent inside work hours: the override in `facts`, else the
// pack's work hours at facts.sent_at, else true.
bool InWorkHours(const CompiledPack& pack, const Facts& facts);

// `text` matches the case-insensitive glob `pattern` (`*` any run, `?` one byte).
bool GlobMatch(std::string_view pattern, std::string_view text);

}  // namespace custos::policy::eval
