// SPDX-License-Identifier: Apache-2.0
// Builds the atoms of a compiled pack (eval/compiled.h) while rule programs are compiled:
// terms and term sets, `contains` strings, regular expressions, detectors and string sets get
// stable indexes on first use; Finish builds the per-view literal tables and matchers, the
// regex database and the custom detectors.
// Thread-safety: used by one compilation.
#pragma once

#include <map>
#include <string>

#include "policy/diagnostics.h"
#include "policy/eval/compiled.h"
#include "policy/lang/ast.h"
#include "policy/loader/checker.h"

namespace custos::policy::loader {

class AtomTable {
 public:
  AtomTable(const Resolved& resolved, eval::CompiledPack& pack)
      : resolved_(resolved), pack_(pack) {}

  std::int32_t TermSet(const lang::Term& term);
  std::int32_t Contains(const std::string& pattern);
  std::int32_t Regex(const std::string& pattern);
  std::int32_t Detector(const std::string& name);
  std::int32_t StringSet(const std::string& list);

  // Builds matchers and detectors; Vectorscan failures become kBadPattern diagnostics.
  void Finish(bool vectorscan, Diagnostics& diags);

 private:
  std::uint32_t AddTerm(const std::string& raw, bool leet);

  const Resolved& resolved_;
  eval::CompiledPack& pack_;
  std::map<std::string, std::uint32_t> term_ids_;
  std::map<std::string, std::int32_t> set_ids_;
  std::map<std::string, std::int32_t> contains_ids_;
  std::map<std::string, std::int32_t> regex_ids_;
  std::map<std::string, std::int32_t> detector_ids_;
  std::map<std::string, std::int32_t> string_set_ids_;
};

}  // namespace custos::policy::loader
