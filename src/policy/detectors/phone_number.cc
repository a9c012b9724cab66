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

// "+" then `digits` (the candidate's digits): split into a country calling code (E.164 codes
// are prefix-free, 1 to 3 digits) and the national number, and checked against that
// country's numbering plan. Building the number directly skips Parse's full-string regular
// expressions, which cost far more than the check itself. A national number that starts with
// 0 may carry a trunk prefix written after the country code ("+44 0 20 ..."), which only Parse
// knows how to strip: those go to Parse when the direct check fails.
bool ValidInternational(const PhoneNumberUtil& util, std::string_view number,
                        const std::string& digits) {
  if (digits.size() < kMinDigits || digits.size() > kMaxDigits) {
    return false;
  }
  for (std::size_t cc_len = 1; cc_len <= 3 && cc_len < digits.size(); ++cc_len) {
    const int country_code = std::stoi(digits.substr(0, cc_len));
    std::string region;
    util.GetRegionCodeForCountryCode(country_code, &region);
    if (region == "ZZ") {
      continue;
    }
    const std::string national = digits.substr(cc_len);
    i18n::phonenumbers::PhoneNumber parsed;
    parsed.set_country_code(country_code);
    parsed.set_national_number(std::stoull(national));
    const std::size_t zeros = national.find_first_not_of('0');
    if (zeros != 0 && zeros != std::string::npos) {
      parsed.set_italian_leading_zero(true);
      if (zeros > 1) {
        parsed.set_number_of_leading_zeros(static_cast<int>(zeros));
      }
    }
    // The country's main region first: IsValidNumber finds the region of the number and then
    // checks it again, twice the work for the common case.
    if (util.IsValidNumberForRegion(parsed, region) || util.IsValidNumber(parsed)) {
      return true;
    }
    return national.starts_with('0') && ValidIn(util, std::string(number), "ZZ");
  }
  return false;
}

class PhoneNumber final : public Detector {
 public:
  PhoneNumber()
      : Detector(DetectorTraits{.name = "phone_number",
                                .keywords = kKeywords,
                                .keyword_window = kDefaultKeywordWindow,
                                .confidence = kPhoneConfidence,
                                .needs = kNeedDigit}) {}

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

  // Only an international number ("+44 ...") can be valid; a national one is plausible at
  // best, reported only near a keyword: the costly libphonenumber check waits for one.
  Validity BestCase(std::string_view candidate) const override {
    return candidate.starts_with('+') ? Validity::kValid : Validity::kPlausible;
  }
};

}  // namespace

Validity PhoneNumberCheck(std::string_view number) {
  const PhoneNumberUtil& util = *PhoneNumberUtil::GetInstance();
  std::string digits;
  for (char c : number) {
    if (IsDigit(c)) {
      digits.push_back(c);
    }
  }
  if (number.starts_with('+')) {
    return ValidInternational(util, number, digits) ? Validity::kValid : Validity::kInvalid;
  }
  const std::string text(number);
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
