// SPDX-License-Identifier: Apache-2.0
#include "policy/detectors/date_of_birth.h"

#include <array>
#include <vector>

#include "policy/detectors/internal/date_parse.h"
#include "policy/detectors/internal/text_scan.h"

namespace custos::policy {
namespace {

constexpr int kMinYear = 1900;
constexpr int kMaxYear = 2099;
// Month names start with one of these letters; other words cannot start a date.
constexpr std::string_view kMonthInitials = "jfmasondeJFMASONDE";
constexpr std::string_view kJoiners = "/-.:";

constexpr auto kKeywords = std::to_array<std::string_view>({
    "dob",
    "d.o.b",
    "date of birth",
    "birth date",
    "birthdate",
    "birthday",
    "born",
    "né",
    "née",
    "date de naissance",
    "naissance",
    "geboren",
    "geburtsdatum",
    "geburtstag",
    "fecha de nacimiento",
    "nacimiento",
    "nacido",
    "nacida",
});

constexpr ConfidenceTable kDateOfBirthConfidence{
    .valid_with_keyword = Confidence::kHigh,
    .valid_alone = std::nullopt,
    .plausible_with_keyword = Confidence::kMedium,
    .plausible_alone = std::nullopt,
};

class DateOfBirth final : public Detector {
 public:
  DateOfBirth()
      : Detector(DetectorTraits{.name = "date_of_birth",
                                .keywords = kKeywords,
                                .keyword_window = kDateOfBirthWindow,
                                .confidence = kDateOfBirthConfidence,
                                .needs = kNeedDigit}) {}

  void FindCandidates(std::string_view text, std::vector<Span>& out) const override {
    for (std::size_t i = 0; i < text.size(); ++i) {
      const char c = text[i];
      const bool digit = internal::IsDigit(c);
      if (!digit && kMonthInitials.find(c) == std::string_view::npos) {
        continue;
      }
      if (!(digit ? internal::NumberStartAt(text, i, kJoiners) : internal::WordStartAt(text, i))) {
        continue;
      }
      if (const auto date = internal::ParseDateAt(text, i)) {
        out.push_back({i, date->end});
      }
    }
  }

  Validity Validate(std::string_view candidate) const override {
    const auto date = internal::ParseDateAt(candidate, 0);
    if (!date || date->end != candidate.size() || !internal::IsRealDate(*date)) {
      return Validity::kInvalid;
    }
    if (!date->four_digit_year) {
      return Validity::kPlausible;
    }
    return date->year >= kMinYear && date->year <= kMaxYear ? Validity::kValid : Validity::kInvalid;
  }
};

}  // namespace

const Detector& DateOfBirthDetector() {
  static const DateOfBirth* const detector = new DateOfBirth();
  return *detector;
}

}  // namespace custos::policy
