// SPDX-License-Identifier: Apache-2.0
#include "policy/detectors/iban.h"

#include <algorithm>
#include <array>
#include <string>
#include <vector>

#include "policy/detectors/internal/text_scan.h"

namespace custos::policy {
namespace {

using internal::IsAlnum;
using internal::IsAlpha;
using internal::IsDigit;
using internal::ToUpper;

struct CountryLength {
  std::string_view country;
  int length;
};

// SWIFT IBAN registry: country code and total IBAN length. Sorted by code for binary search.
// Dependent territories (AX, GF, GP, IM, JE, ...) use their parent's code and are covered.
constexpr std::array<CountryLength, 89> kCountries = {{
    {"AD", 24}, {"AE", 23}, {"AL", 28}, {"AT", 20}, {"AZ", 28}, {"BA", 20}, {"BE", 16}, {"BG", 22},
    {"BH", 22}, {"BI", 27}, {"BR", 29}, {"BY", 28}, {"CH", 21}, {"CR", 22}, {"CY", 28}, {"CZ", 24},
    {"DE", 22}, {"DJ", 27}, {"DK", 18}, {"DO", 28}, {"EE", 20}, {"EG", 29}, {"ES", 24}, {"FI", 18},
    {"FK", 18}, {"FO", 18}, {"FR", 27}, {"GB", 22}, {"GE", 22}, {"GI", 23}, {"GL", 18}, {"GR", 27},
    {"GT", 28}, {"HN", 28}, {"HR", 21}, {"HU", 28}, {"IE", 22}, {"IL", 23}, {"IQ", 23}, {"IS", 26},
    {"IT", 27}, {"JO", 30}, {"KW", 30}, {"KZ", 20}, {"LB", 28}, {"LC", 32}, {"LI", 21}, {"LT", 20},
    {"LU", 20}, {"LV", 21}, {"LY", 25}, {"MC", 27}, {"MD", 24}, {"ME", 22}, {"MK", 19}, {"MN", 20},
    {"MR", 27}, {"MT", 31}, {"MU", 30}, {"NI", 28}, {"NL", 18}, {"NO", 15}, {"OM", 23}, {"PK", 24},
    {"PL", 28}, {"PS", 29}, {"PT", 25}, {"QA", 29}, {"RO", 24}, {"RS", 22}, {"RU", 33}, {"SA", 24},
    {"SC", 31}, {"SD", 18}, {"SE", 24}, {"SI", 19}, {"SK", 24}, {"SM", 27}, {"SO", 23}, {"ST", 25},
    {"SV", 28}, {"TL", 23}, {"TN", 24}, {"TR", 26}, {"UA", 29}, {"VA", 22}, {"VG", 24}, {"XK", 20},
    {"YE", 30},
}};

constexpr std::size_t kGroup = 4;
constexpr int kMinCheckDigits = 2;
constexpr int kMaxCheckDigits = 98;

constexpr std::array<std::string_view, 18> kKeywords = {
    "iban",        "bank",   "account",  "acct",     "bic",         "swift",
    "sepa",        "wire",   "transfer", "konto",    "kontonummer", "bankverbindung",
    "überweisung", "compte", "rib",      "virement", "cuenta",      "transferencia"};

class Iban final : public Detector {
 public:
  Iban()
      : Detector(DetectorTraits{.name = "iban",
                                .keywords = kKeywords,
                                .keyword_window = kDefaultKeywordWindow,
                                .confidence = kDefaultConfidence,
                                .needs = kNeedDigit}) {}

  void FindCandidates(std::string_view text, std::vector<Span>& out) const override {
    for (std::size_t i = 0; i + 4 <= text.size(); ++i) {
      if (!IsAlpha(text[i]) || !IsAlpha(text[i + 1]) || !IsDigit(text[i + 2]) ||
          !IsDigit(text[i + 3]) || !internal::WordStartAt(text, i)) {
        continue;
      }
      const char country[2] = {ToUpper(text[i]), ToUpper(text[i + 1])};
      const int length = IbanLengthForCountry(std::string_view(country, 2));
      if (length == 0) {
        continue;
      }
      const auto want = static_cast<std::size_t>(length);
      // Unbroken form: the whole alphanumeric run has the country's length.
      std::size_t j = i;
      while (j < text.size() && IsAlnum(text[j])) {
        ++j;
      }
      if (j - i == want && internal::WordEndAt(text, j)) {
        out.push_back({i, j});
        continue;
      }
      // Grouped form: groups of four separated by one space, the last one shorter or equal.
      if (j - i != kGroup) {
        continue;
      }
      std::size_t pos = i;
      std::size_t taken = 0;
      bool ok = true;
      while (ok && taken < want) {
        if (taken > 0) {
          ok = pos < text.size() && text[pos] == ' ';
          ++pos;
        }
        const std::size_t k = std::min(kGroup, want - taken);
        for (std::size_t g = 0; ok && g < k; ++g) {
          ok = pos + g < text.size() && IsAlnum(text[pos + g]);
        }
        pos += k;
        taken += k;
      }
      if (ok && internal::WordEndAt(text, pos)) {
        out.push_back({i, pos});
      }
    }
  }

  Validity Validate(std::string_view candidate) const override {
    return IbanValid(candidate) ? Validity::kValid : Validity::kInvalid;
  }
};

}  // namespace

int IbanLengthForCountry(std::string_view country) {
  const auto it = std::lower_bound(
      kCountries.begin(), kCountries.end(), country,
      [](const CountryLength& entry, std::string_view key) { return entry.country < key; });
  return it != kCountries.end() && it->country == country ? it->length : 0;
}

int IbanMod97(std::string_view iban) {
  if (iban.size() < 4) {
    return -1;
  }
  int remainder = 0;
  for (std::size_t n = 0; n < iban.size(); ++n) {
    const char c = ToUpper(iban[(n + 4) % iban.size()]);
    if (IsDigit(c)) {
      remainder = (remainder * 10 + (c - '0')) % 97;
    } else if (c >= 'A' && c <= 'Z') {
      remainder = (remainder * 100 + (c - 'A' + 10)) % 97;
    } else {
      return -1;
    }
  }
  return remainder;
}

bool IbanValid(std::string_view iban) {
  std::string compact;
  compact.reserve(iban.size());
  for (char c : iban) {
    if (c != ' ') {
      compact.push_back(ToUpper(c));
    }
  }
  if (compact.size() < 4 || !IsDigit(compact[2]) || !IsDigit(compact[3])) {
    return false;
  }
  const int length = IbanLengthForCountry(std::string_view(compact).substr(0, 2));
  if (length == 0 || compact.size() != static_cast<std::size_t>(length)) {
    return false;
  }
  const int check = (compact[2] - '0') * 10 + (compact[3] - '0');
  if (check < kMinCheckDigits || check > kMaxCheckDigits) {
    return false;
  }
  return IbanMod97(compact) == 1;
}

const Detector& IbanDetector() {
  static const Iban* const detector = new Iban();
  return *detector;
}

}  // namespace custos::policy
