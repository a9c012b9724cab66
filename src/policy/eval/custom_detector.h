// SPDX-License-Identifier: Apache-2.0
// A detector defined in a pack (docs/policy-language.md §2.4): a primary pattern compiled into
// its own Vectorscan database (with start offsets, so each candidate span can be validated),
// or a built-in's scanner (`based_on`); a named validator; supporting keywords, window and
// confidence table as for built-ins (detector.h).
// Thread-safety: immutable after construction; Scan may be called concurrently.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "policy/detectors/detector.h"
#include "policy/eval/matchers.h"

namespace custos::policy::eval {

enum class ValidatorKind { kNone, kLuhn, kMod97, kBuiltin };

struct CustomDetectorSpec {
  std::string name;
  std::vector<std::string> keywords;  // lower case
  std::size_t window = kDefaultKeywordWindow;
  ConfidenceTable confidence;
  bool mask = true;
  ValidatorKind validator = ValidatorKind::kNone;
  const Detector* validator_builtin = nullptr;  // kBuiltin
  const Detector* based_on = nullptr;           // or a pattern
  std::unique_ptr<RegexSet> pattern;
};

namespace internal {
// Owns the strings DetectorTraits points at; a base class so it is built before Detector.
struct CustomDetectorStorage {
  explicit CustomDetectorStorage(CustomDetectorSpec spec);

  CustomDetectorSpec spec;
  std::vector<std::string_view> keyword_views;
};
}  // namespace internal

class CustomDetector final : private internal::CustomDetectorStorage, public Detector {
 public:
  explicit CustomDetector(CustomDetectorSpec spec);

  void FindCandidates(std::string_view text, std::vector<Span>& out) const override;

  Validity Validate(std::string_view candidate) const override;

  std::string Mask(std::string_view candidate) const override;

  bool Masks() const { return spec.mask; }
};

// The digits of `s` pass the Luhn check (at least two digits; other characters are ignored).
bool LuhnValid(std::string_view s);

// ISO 7064 MOD 97-10 over `s` without blanks, first four characters moved to the end,
// letters as 10..35 (IBAN style).
bool Mod97Valid(std::string_view s);

}  // namespace custos::policy::eval
