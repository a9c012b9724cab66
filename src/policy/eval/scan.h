// SPDX-License-Identifier: Apache-2.0
// The matching half of an evaluation: normalises one message, scans each view once with the
// pack's literal matcher, the text view with its regex set, runs the detectors rules use, and
// records every occurrence in ORIGINAL text offsets, grouped per atom (term set, contains
// string, regex, detector). Word boundaries and wildcards of terms are checked here, on the
// view where the literal was found.
// Bounds: at most kMaxOccurrencesPerAtom occurrences are kept per atom (later ones are
// dropped, so counts saturate), and a scan stops after kMaxMatchesPerScan raw matches.
// Thread-safety: MessageMatches belongs to one evaluation.
#pragma once

#include <cstddef>
#include <vector>

#include "policy/eval/compiled.h"
#include "policy/eval/normalizer.h"

namespace custos::policy::eval {

inline constexpr std::size_t kMaxMatchesPerScan = 2'000'000;

struct Occurrence {
  std::size_t begin = 0;  // original offsets
  std::size_t end = 0;
  ViewId view = ViewId::kText;
};

struct MessageMatches {
  std::vector<std::vector<Occurrence>> sets;        // per term set; sorted, distinct spans
  std::vector<std::vector<Occurrence>> contains;    // per contains string
  std::vector<std::vector<Occurrence>> regexes;     // per regex
  std::vector<std::vector<DetectorHit>> detectors;  // per detector; original offsets
  std::vector<bool> fired;                          // per signal
};

// Fills `out` for `text`. `normalized` must have been built from the same text with the
// folded view (and the leet view when pack.any_leet).
void MatchMessage(const CompiledPack& pack, Normalized& normalized, MessageMatches& out);

}  // namespace custos::policy::eval
