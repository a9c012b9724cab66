// SPDX-License-Identifier: Apache-2.0
// The checking half of the compiler stage: resolves what conditions refer to and reports
// every problem with its position inside the condition (mapped to the file):
//   - lists: unknown includes, include cycles; each list's terms flattened;
//   - macros: unknown macros, cycles (the whole cycle is named);
//   - conditions of macros, rules and exceptions: unknown lists, macros and detectors, field
//     types and values, `near` distances, regular expressions (Vectorscan's verdict),
//     unknown channel names (warning);
//   - custom detectors' patterns; test expectations naming unknown rules;
//   - lists, macros and custom detectors nothing uses (warnings).
// Thread-safety: pure functions.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "policy/diagnostics.h"
#include "policy/eval/matchers.h"
#include "policy/loader/definitions.h"

namespace custos::policy::loader {

struct FlatTerm {
  const TermDef* term;
  bool leet;  // of the list that defines it
};

struct Resolved {
  std::map<std::string, const ListDef*> lists;
  std::map<std::string, std::vector<FlatTerm>> list_terms;  // flattened through includes
  std::map<std::string, const MacroDef*> macros;            // only those safe to expand
  std::map<std::string, const DetectorDef*> detectors;      // custom ones
  std::map<std::string, eval::RegexCheck> regexes;          // by pattern
};

Resolved Check(const Collection& collection, Diagnostics& diags);

// Parts of Check, in checker_refs.cc: list includes (flattening `r.list_terms`), custom
// detector patterns, and macro cycles (filling `r.macros` with the macros safe to expand).
void CheckLists(const Collection& c, Resolved& r, Diagnostics& diags);
void CheckDetectors(const Collection& c, Resolved& r, Diagnostics& diags);
void CheckMacroCycles(const Collection& c, Resolved& r, Diagnostics& diags);

}  // namespace custos::policy::loader
