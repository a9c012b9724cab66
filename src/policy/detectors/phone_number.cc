// SPDX-License-Identifier: Apache-2.0
#include "policy/detectors/phone_number.h"

#include <array>
#include <span>
#include <string>
#include <vector>

#include <phonenumbers/phonenumberutil.h>

#include "policy/detectors/internal/text_scan.h"

namespace custos::policy {
namespace {

using i18n::phonenumbers::PhoneNumberUtil;
using internal::IsDigit;

constexpr std::size_t kMinDigits = 7;
constexpr std::size_t kMaxDigits = 15;
constexpr std::string_view kSeparators = " -./()";
constexpr std::string_view kJoiners = ".,/:-";

// Regions tried for numbers written without a country code, by the shape of the digits:
// a trunk prefix 0, ten digits (North America) or nine digits from 6 (Spain).
constexpr std::array<const char*, 6> kTrunkZeroRegions = {"GB", "DE", "FR", "IT", "NL", "CH"};
constexpr std::array<const char*, 1> kNanpRegions = {"US"};
constexpr std::array<const char*, 1> kSpainRegions = {"ES"};
constexpr std::size_t kNanpDigits = 10;
constexpr std::size_t kSpainDigits = 9;

constexpr auto kKeywords = std::to_array<std::string_view>({
    "phone",     "tel",      "telephone", "call",  "mobile",  "cell",  "number",
    "whatsapp",  "signal",   "text me",   "sms",   "telefon", "handy", "rufnummer",
    "téléphone", "portable", "teléfono",  "móvil", "celular",
});

// National numbers are too easily confused with other numbers to report without a keyword.
constexpr ConfidenceTable kPhoneConfidence{
    .valid_with_keyword = Confidence::kHigh,
    .valid_alone = Confidence::kMedium,
    .plausible_with_keyword = Confidence::kMedium,
    .plausible_alone = std::nullopt,
};

bool IsSeparator(char c) { return kSeparators.find(c) != std::string_view::npos; }

bool ValidIn(const PhoneNumberUtil& util, const std::string& number, const char* region) {
  i18n::phonenumbers::PhoneNumber parsed;
  return util.Parse(number, region, &parsed) == PhoneNumberUtil::NO_PARSING_ERROR &&
         util.IsValidNumber(parsed);
}

class PhoneNumber final : public Detector {
 public:
  PhoneNumber()
      : Detector(DetectorTraits{.name = "phone_number",
                                .keywords = kKeywords,
                                .keyword_window = kDefaultKeywordWindow,
                                .confidence = kPhoneConfidence,
                                .needs_ascii_digit = true}) {}

  void FindCandidates(std::string_view text, std::vector<Span>& out) const override {
    std::size_t i = 0;
    while (i < text.size()) {
      const char c = text[i];
      const bool opener = (c == '+' || c == '(') && i + 1 < text.size() && IsDigit(text[i + 1]);
      if (!(opener ? internal::WordStartAt(text, i)
                   : IsDigit(c) && internal::NumberStartAt(text, i, kJoiners) &&
                         !(i > 0 && (text[i - 1] == '+' || text[i - 1] == '(')))) {
        ++i;
        continue;
      }
      // Digits with single separators; a separator must be followed by a digit (or by '('
      // or ')' and then a digit, as in "(0) 20" or "415) 555").
      std::size_t pos = i + (opener ? 1 : 0);
      std::size_t digits = 0;
      std::size_t end = pos;
      while (pos < text.size()) {
        if (IsDigit(text[pos])) {
          ++digits;
          end = ++pos;
          continue;
        }
        std::size_t next = pos;
        while (next < text.size() && next - pos < 2 && IsSeparator(text[next])) {
          ++next;
        }
        if (next == pos || next >= text.size() || !IsDigit(text[next]) ||
            (next - pos == 2 && text[pos] == text[pos + 1])) {
          break;
        }
        pos = next;
      }
      if (digits >= kMinDigits && digits <= kMaxDigits &&
          internal::NumberEndAt(text, end, kJoiners)) {
        out.push_back({i, end});
      }
      i = end > i ? end : i + 1;
    }
  }

  Validity Validate(std::string_view candidate) const override {
    return PhoneNumberCheck(candidate);
  }
};

}  // namespace

Validity PhoneNumberCheck(std::string_view number) {
  const PhoneNumberUtil& util = *PhoneNumberUtil::GetInstance();
  const std::string text(number);
  if (number.starts_with('+')) {
    return ValidIn(util, text, "ZZ") ? Validity::kValid : Validity::kInvalid;
  }
  std::string digits;
  for (char c : number) {
    if (IsDigit(c)) {
      digits.push_back(c);
    }
  }
  std::span<const char* const> regions;
  if (digits.starts_with('0')) {
    regions = kTrunkZeroRegions;
  } else if (digits.size() == kNanpDigits) {
    regions = kNanpRegions;
  } else if (digits.size() == kSpainDigits && digits[0] >= '6') {
    regions = kSpainRegions;
  }
  for (const char* region : regions) {
    if (ValidIn(util, text, region)) {
      return Validity::kPlausible;
    }
  }
  return Validity::kInvalid;
}

const Detector& PhoneNumberDetector() {
  static const Detector* const detector = new PhoneNumber();
  return *detector;
}

}  // namespace custos::policy
