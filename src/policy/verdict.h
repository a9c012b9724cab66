// SPDX-License-Identifier: Apache-2.0
// The result of evaluating one message against a pack: which rules hit, why (evidence spans
// into the ORIGINAL text), the resulting action and the pack version. A plain value the
// caller stores with the message.
// Thread-safety: plain values.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "policy/detectors/detector.h"
#include "policy/types.h"

namespace custos::policy {

// Why a rule hit: one matched span.
struct Evidence {
  std::size_t begin = 0;  // byte offsets into the original text, half-open
  std::size_t end = 0;
  std::string text;  // the matched original text, or its masked form for sensitive detectors
  bool masked = false;
  std::string source;  // what matched: list:NAME, "phrase", regex "...", detect(NAME)
  std::string view;    // text, folded, leet (docs/policy-language.md §5); "" for detectors
  std::optional<Confidence> confidence;  // detectors only

  bool operator==(const Evidence&) const = default;
};

inline constexpr std::size_t kMaxEvidencePerHit = 16;

struct RuleHit {
  std::string rule_id;
  std::string clause;
  Severity severity = Severity::kMedium;
  Action action = Action::kFlag;
  std::vector<Evidence> evidence;  // in text order, at most kMaxEvidencePerHit
};

struct Verdict {
  Action action = Action::kAllow;  // the strictest action of the hits; allow without hits
  std::vector<RuleHit> hits;       // in pack order
  std::string pack_version;

  // The ids of the rules that hit, sorted.
  std::vector<std::string> RuleIds() const;

  // The spans redact rules ask to hide, merged and sorted.
  std::vector<Span> RedactionSpans() const;

  // A human explanation: the action, then one line per hit with clause and evidence.
  std::string ToText() const;

  // {"action", "pack_version", "hits": [{"rule", "clause", "severity", "action",
  //  "evidence": [{"begin", "end", "text", "masked", "source", "view", "confidence"?}]}]}
  std::string ToJson() const;
};

}  // namespace custos::policy
