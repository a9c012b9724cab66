// SPDX-License-Identifier: Apache-2.0
#include "policy/detectors/us_ssn.h"

#include <array>
#include <string>
#include <vector>

#include "policy/detectors/internal/text_scan.h"

namespace custos::policy {
namespace {

using internal::DigitsAt;
using internal::IsDigit;

constexpr std::size_t kDigits = 9;
constexpr std::string_view kNumberJoiners = ".,/:-";

// Numbers that follow the rules but are known to be invalid or are published samples.
constexpr std::array<std::string_view, 3> kKnownInvalid = {"078051120", "219099999", "123456789"};

constexpr std::array<std::string_view, 12> kKeywords = {"ssn",
                                                        "ssns",
                                                        "ss#",
                                                        "ssn#",
                                                        "social security",
                                                        "social security number",
                                                        "social security no",
                                                        "soc sec",
                                                        "ss no",
                                                        "ssa",
                                                        "tax id",
                                                        "taxpayer id"};

constexpr ConfidenceTable kSsnConfidence{
    .valid_with_keyword = Confidence::kHigh,
    .valid_alone = Confidence::kLow,
    .plausible_with_keyword = Confidence::kMedium,
    .plausible_alone = std::nullopt,
};

// The digits of a candidate when its shape is AAA?GG?SSSS (same separator) or 9 digits.
std::string Digits(std::string_view s) {
  if (s.size() == kDigits && DigitsAt(s, 0, kDigits)) {
    return std::string(s);
  }
  if (s.size() == kDigits + 2 && (s[3] == '-' || s[3] == ' ') && s[6] == s[3] &&
      DigitsAt(s, 0, 3) && DigitsAt(s, 4, 2) && DigitsAt(s, 7, 4)) {
    return std::string(s.substr(0, 3)) + std::string(s.substr(4, 2)) + std::string(s.substr(7, 4));
  }
  return {};
}

class UsSsn final : public Detector {
 public:
  UsSsn()
      : Detector(DetectorTraits{.name = "us_ssn",
                                .keywords = kKeywords,
                                .keyword_window = kDefaultKeywordWindow,
                                .confidence = kSsnConfidence,
                                .needs = kNeedDigit}) {}

  void FindCandidates(std::string_view text, std::vector<Span>& out) const override {
    std::size_t i = 0;
    while (i < text.size()) {
      if (!IsDigit(text[i])) {
        ++i;
        continue;
      }
      const std::size_t run_end = internal::SkipDigits(text, i);
      if (internal::NumberStartAt(text, i, kNumberJoiners) &&
          !(i >= 2 && text[i - 1] == ' ' && IsDigit(text[i - 2]))) {
        if (run_end - i == kDigits && internal::NumberEndAt(text, run_end, kNumberJoiners)) {
          out.push_back({i, run_end});
        } else if (run_end - i == 3) {
          const char sep = run_end < text.size() ? text[run_end] : 0;
          const std::size_t end = i + kDigits + 2;
          if ((sep == '-' || sep == ' ') && DigitsAt(text, i + 4, 2) && end <= text.size() &&
              text[i + 6] == sep && DigitsAt(text, i + 7, 4) &&
              internal::NumberEndAt(text, end, kNumberJoiners) &&
              !(end + 1 < text.size() && text[end] == ' ' && IsDigit(text[end + 1]))) {
            out.push_back({i, end});
          }
        }
      }
      i = run_end;
    }
  }

  Validity Validate(std::string_view candidate) const override {
    if (!UsSsnValid(candidate)) {
      return Validity::kInvalid;
    }
    return candidate.size() == kDigits ? Validity::kPlausible : Validity::kValid;
  }
};

}  // namespace

bool UsSsnValid(std::string_view ssn) {
  const std::string d = Digits(ssn);
  if (d.empty()) {
    return false;
  }
  const std::string_view area = std::string_view(d).substr(0, 3);
  if (area == "000" || area == "666" || area[0] == '9') {
    return false;
  }
  if (d.compare(3, 2, "00") == 0 || d.compare(5, 4, "0000") == 0) {
    return false;
  }
  if (d.find_first_not_of(d[0]) == std::string::npos) {
    return false;
  }
  for (std::string_view bad : kKnownInvalid) {
    if (d == bad) {
      return false;
    }
  }
  return true;
}

const Detector& UsSsnDetector() {
  static const UsSsn* const detector = new UsSsn();
  return *detector;
}

}  // namespace custos::policy
