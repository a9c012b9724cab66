// SPDX-License-Identifier: Apache-2.0
#include "policy/detectors/uk_nino.h"

#include <array>
#include <string>
#include <vector>

#include "policy/detectors/internal/text_scan.h"

namespace custos::policy {
namespace {

using internal::DigitsAt;
using internal::IsAlpha;
using internal::ToUpper;

constexpr std::size_t kCompactLength = 9;
constexpr std::string_view kBadFirst = "DFIQUV";
constexpr std::string_view kBadSecond = "DFIOQUV";
constexpr std::array<std::string_view, 7> kUnallocatedPrefixes = {"BG", "GB", "KN", "NK",
                                                                  "NT", "TN", "ZZ"};

constexpr std::array<std::string_view, 9> kKeywords = {"national insurance",
                                                       "national insurance number",
                                                       "ni number",
                                                       "ni no",
                                                       "nino",
                                                       "nin",
                                                       "insurance number",
                                                       "hmrc",
                                                       "nic"};

bool CharAt(std::string_view text, std::size_t pos, char c) {
  return pos < text.size() && text[pos] == c;
}

// End of a NINO-shaped match starting at `i` (two letters already checked), or 0.
std::size_t MatchShape(std::string_view text, std::size_t i) {
  std::size_t pos = i + 2;
  const bool spaced = CharAt(text, pos, ' ');
  if (spaced) {
    ++pos;
  }
  if (DigitsAt(text, pos, 6)) {
    pos += 6;
  } else if (spaced && DigitsAt(text, pos, 2) && CharAt(text, pos + 2, ' ') &&
             DigitsAt(text, pos + 3, 2) && CharAt(text, pos + 5, ' ') &&
             DigitsAt(text, pos + 6, 2)) {
    pos += 8;
  } else {
    return 0;
  }
  if (spaced && CharAt(text, pos, ' ')) {
    ++pos;
  }
  if (pos >= text.size() || !IsAlpha(text[pos]) || !internal::WordEndAt(text, pos + 1)) {
    return 0;
  }
  return pos + 1;
}

class UkNino final : public Detector {
 public:
  UkNino()
      : Detector(DetectorTraits{.name = "uk_nino",
                                .keywords = kKeywords,
                                .keyword_window = kDefaultKeywordWindow,
                                .confidence = kDefaultConfidence,
                                .needs = kNeedDigit}) {}

  void FindCandidates(std::string_view text, std::vector<Span>& out) const override {
    for (std::size_t i = 0; i + kCompactLength <= text.size(); ++i) {
      if (!IsAlpha(text[i]) || !IsAlpha(text[i + 1]) || !internal::WordStartAt(text, i)) {
        continue;
      }
      if (const std::size_t end = MatchShape(text, i); end != 0) {
        out.push_back({i, end});
      }
    }
  }

  Validity Validate(std::string_view candidate) const override {
    return UkNinoValid(candidate) ? Validity::kValid : Validity::kInvalid;
  }
};

}  // namespace

bool UkNinoValid(std::string_view nino) {
  std::string s;
  for (char c : nino) {
    if (c != ' ') {
      s.push_back(ToUpper(c));
    }
  }
  if (s.size() != kCompactLength || !IsAlpha(s[0]) || !IsAlpha(s[1]) || !DigitsAt(s, 2, 6) ||
      !IsAlpha(s[8])) {
    return false;
  }
  if (kBadFirst.find(s[0]) != std::string_view::npos ||
      kBadSecond.find(s[1]) != std::string_view::npos) {
    return false;
  }
  const std::string_view prefix = std::string_view(s).substr(0, 2);
  for (std::string_view bad : kUnallocatedPrefixes) {
    if (prefix == bad) {
      return false;
    }
  }
  return s[8] >= 'A' && s[8] <= 'D';
}

const Detector& UkNinoDetector() {
  static const UkNino* const detector = new UkNino();
  return *detector;
}

}  // namespace custos::policy
