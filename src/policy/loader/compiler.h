// SPDX-License-Identifier: Apache-2.0
// The last stage of loading a pack (falco's rule_loader_compiler): turns checked definitions
// into a CompiledPack (eval/compiled.h): each rule's condition, scope-free, with its exceptions
// appended as `and not (e1 or e2 ...)` and macros expanded, becomes a program whose leaves
// point at atoms; every atom is compiled into the pack's matchers; and rules are indexed by
// the atoms they need (a rule only runs when an atom it needs fired).
// Runs only on a collection without errors; adds errors for what Vectorscan rejects and for
// conditions that grow too large when macros are expanded.
// Thread-safety: pure functions.
#pragma once

#include <memory>
#include <string>

#include "policy/diagnostics.h"
#include "policy/eval/compiled.h"
#include "policy/loader/checker.h"
#include "policy/loader/definitions.h"

namespace custos::policy::loader {

inline constexpr std::size_t kMaxProgramNodes = 100'000;

struct CompileOptions {
  // false: the straightforward literal matcher (find per literal) instead of Vectorscan; the
  // reference implementation tests compare against.
  bool vectorscan = true;
};

// The compiled pack, or nullptr when `diags` has errors (before or during compilation).
std::unique_ptr<eval::CompiledPack> Compile(const Collection& collection, const Resolved& resolved,
                                            const std::string& version,
                                            const CompileOptions& options, Diagnostics& diags);

}  // namespace custos::policy::loader
