// SPDX-License-Identifier: Apache-2.0
#include "policy/detectors/payment_card.h"

#include <array>
#include <string>
#include <vector>

#include "policy/detectors/internal/text_scan.h"

namespace custos::policy {
namespace {

using internal::IsDigit;

constexpr std::size_t kMinDigits = 13;
constexpr std::size_t kMaxDigits = 19;
constexpr std::size_t kFirstGroupDigits = 4;
constexpr std::size_t kMinMiddleGroup = 4;
constexpr std::size_t kMaxGroup = 6;
// A number written as "1.5" or "1,000" or "12/34" continues through these characters.
constexpr std::string_view kNumberJoiners = ".,/:";

constexpr std::array<std::string_view, 22> kKeywords = {
    "card",        "cards",       "credit",
    "debit",       "visa",        "mastercard",
    "master card", "amex",        "american express",
    "discover",    "jcb",         "diners",
    "unionpay",    "cvv",         "cvc",
    "cvv2",        "expiry",      "expiration",
    "exp",         "kreditkarte", "carte bancaire",
    "tarjeta"};

// The first `n` digits of `digits` as a number (digits.size() >= n).
int Prefix(std::string_view digits, std::size_t n) {
  int value = 0;
  for (std::size_t i = 0; i < n; ++i) {
    value = value * 10 + (digits[i] - '0');
  }
  return value;
}

bool InRange(int value, int lo, int hi) { return value >= lo && value <= hi; }

// Where one group of digits sits in the text.
struct Group {
  std::size_t begin;
  std::size_t end;

  std::size_t size() const { return end - begin; }
};

// The groups of one digit sequence, without heap allocation (this runs for every digit run).
class Groups {
 public:
  void Add(Group g) { items_[count_++] = g; }

  bool full() const { return count_ == items_.size(); }

  std::size_t size() const { return count_; }

  const Group& operator[](std::size_t i) const { return items_[i]; }

  const Group& back() const { return items_[count_ - 1]; }

 private:
  std::array<Group, 32> items_{};
  std::size_t count_ = 0;
};

class PaymentCard final : public Detector {
 public:
  PaymentCard()
      : Detector(DetectorTraits{.name = "payment_card",
                                .keywords = kKeywords,
                                .keyword_window = kDefaultKeywordWindow,
                                .confidence = kDefaultConfidence,
                                .needs = kNeedDigit}) {}

  void FindCandidates(std::string_view text, std::vector<Span>& out) const override {
    std::size_t i = 0;
    while (i < text.size()) {
      if (!IsDigit(text[i])) {
        ++i;
        continue;
      }
      // Collect a sequence of digit groups joined by one consistent separator.
      Groups groups;
      groups.Add({i, internal::SkipDigits(text, i)});
      char separator = 0;
      std::size_t j = groups.back().end;
      while (!groups.full() && j + 1 < text.size() && (text[j] == ' ' || text[j] == '-') &&
             (separator == 0 || text[j] == separator) && IsDigit(text[j + 1])) {
        separator = text[j];
        groups.Add({j + 1, internal::SkipDigits(text, j + 1)});
        j = groups.back().end;
      }
      const bool starts_clean =
          internal::NumberStartAt(text, i, kNumberJoiners) &&
          !(i >= 2 && (text[i - 1] == ' ' || text[i - 1] == '-') && IsDigit(text[i - 2]));
      for (std::size_t s = 0; s < groups.size(); ++s) {
        if (s == 0 && !starts_clean) {
          continue;
        }
        AddWindows(text, groups, s, out);
      }
      i = j;
    }
  }

  Validity Validate(std::string_view candidate) const override {
    std::string digits;
    for (char c : candidate) {
      if (IsDigit(c)) {
        digits.push_back(c);
      } else if (c != ' ' && c != '-') {
        return Validity::kInvalid;
      }
    }
    if (!CardBrandOf(digits) || !LuhnValid(digits)) {
      return Validity::kInvalid;
    }
    return Validity::kValid;
  }

 private:
  // Emits every run of groups starting at `s` that has a card's shape and digit count.
  static void AddWindows(std::string_view text, const Groups& groups, std::size_t s,
                         std::vector<Span>& out) {
    std::size_t digits = 0;
    for (std::size_t e = s; e < groups.size(); ++e) {
      digits += groups[e].size();
      if (digits > kMaxDigits) {
        return;
      }
      const bool last_in_sequence = e + 1 == groups.size();
      const bool ends_clean =
          !last_in_sequence || internal::NumberEndAt(text, groups[e].end, kNumberJoiners);
      if (e == s) {
        // An unbroken number: the whole group is the candidate.
        if (digits >= kMinDigits && ends_clean) {
          out.push_back({groups[s].begin, groups[e].end});
        }
        if (groups[s].size() != kFirstGroupDigits) {
          return;  // cannot start a grouped number
        }
        continue;
      }
      if (groups[e].size() > kMaxGroup) {
        return;
      }
      if (digits >= kMinDigits && ends_clean) {
        out.push_back({groups[s].begin, groups[e].end});
      }
      if (groups[e].size() < kMinMiddleGroup) {
        return;  // a short group can only be the last one
      }
    }
  }
};

}  // namespace

std::string_view CardBrandName(CardBrand brand) {
  switch (brand) {
    case CardBrand::kVisa:
      return "Visa";
    case CardBrand::kMastercard:
      return "Mastercard";
    case CardBrand::kAmex:
      return "American Express";
    case CardBrand::kDiscover:
      return "Discover";
    case CardBrand::kJcb:
      return "JCB";
    case CardBrand::kDiners:
      return "Diners Club";
    case CardBrand::kUnionPay:
      return "UnionPay";
  }
  return "unknown";
}

bool LuhnValid(std::string_view digits) {
  if (digits.size() < 2) {
    return false;
  }
  int sum = 0;
  bool double_it = false;
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
    if (!IsDigit(*it)) {
      return false;
    }
    int d = *it - '0';
    if (double_it) {
      d *= 2;
      if (d > 9) {
        d -= 9;
      }
    }
    sum += d;
    double_it = !double_it;
  }
  return sum % 10 == 0;
}

std::optional<CardBrand> CardBrandOf(std::string_view digits) {
  const std::size_t n = digits.size();
  if (n < kMinDigits || n > kMaxDigits) {
    return std::nullopt;
  }
  for (char c : digits) {
    if (!IsDigit(c)) {
      return std::nullopt;
    }
  }
  const int p1 = Prefix(digits, 1);
  const int p2 = Prefix(digits, 2);
  const int p3 = Prefix(digits, 3);
  const int p4 = Prefix(digits, 4);
  const bool len16to19 = n >= 16;
  if (p1 == 4) {
    return (n == 13 || n == 16 || n == 19) ? std::optional(CardBrand::kVisa) : std::nullopt;
  }
  if (InRange(p2, 51, 55) || InRange(p4, 2221, 2720)) {
    return n == 16 ? std::optional(CardBrand::kMastercard) : std::nullopt;
  }
  if (p2 == 34 || p2 == 37) {
    return n == 15 ? std::optional(CardBrand::kAmex) : std::nullopt;
  }
  if (p4 == 6011 || InRange(p3, 644, 649) || p2 == 65) {
    return len16to19 ? std::optional(CardBrand::kDiscover) : std::nullopt;
  }
  if (p2 == 62) {
    return len16to19 ? std::optional(CardBrand::kUnionPay) : std::nullopt;
  }
  if (InRange(p4, 3528, 3589)) {
    return len16to19 ? std::optional(CardBrand::kJcb) : std::nullopt;
  }
  if (InRange(p3, 300, 305) || p4 == 3095 || p2 == 36 || p2 == 38 || p2 == 39) {
    return n >= 14 ? std::optional(CardBrand::kDiners) : std::nullopt;
  }
  return std::nullopt;
}

const Detector& PaymentCardDetector() {
  static const PaymentCard* const detector = new PaymentCard();
  return *detector;
}

}  // namespace custos::policy
