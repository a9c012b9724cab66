// SPDX-License-Identifier: Apache-2.0
#include "policy/eval/custom_detector.h"

#include <string>

namespace custos::policy::eval {
namespace internal {

CustomDetectorStorage::CustomDetectorStorage(CustomDetectorSpec s) : spec(std::move(s)) {
  for (const std::string& k : spec.keywords) {
    keyword_views.push_back(k);
  }
}

}  // namespace internal

namespace {

DetectorTraits TraitsOf(const internal::CustomDetectorStorage& s) {
  return DetectorTraits{s.spec.name, s.keyword_views, s.spec.window, s.spec.confidence};
}

bool IsBlank(char c) { return c == ' ' || c == '-' || c == '.' || c == '\t'; }

}  // namespace

CustomDetector::CustomDetector(CustomDetectorSpec s)
    : internal::CustomDetectorStorage(std::move(s)), Detector(TraitsOf(*this)) {}

void CustomDetector::FindCandidates(std::string_view text, std::vector<Span>& out) const {
  if (spec.based_on != nullptr) {
    spec.based_on->FindCandidates(text, out);
    return;
  }
  if (!spec.pattern) {
    return;
  }
  spec.pattern->Scan(text, [&](unsigned /*id*/, std::size_t begin, std::size_t end) {
    if (end > begin) {
      out.push_back(Span{begin, end});
    }
    return out.size() < 100'000;
  });
}

Validity CustomDetector::Validate(std::string_view candidate) const {
  switch (spec.validator) {
    case ValidatorKind::kLuhn:
      return LuhnValid(candidate) ? Validity::kValid : Validity::kInvalid;
    case ValidatorKind::kMod97:
      return Mod97Valid(candidate) ? Validity::kValid : Validity::kInvalid;
    case ValidatorKind::kBuiltin:
      return spec.validator_builtin->Validate(candidate);
    case ValidatorKind::kNone:
      break;
  }
  if (spec.based_on != nullptr) {
    return spec.based_on->Validate(candidate);
  }
  return Validity::kPlausible;
}

std::string CustomDetector::Mask(std::string_view candidate) const {
  if (!spec.mask) {
    return std::string(candidate);
  }
  return spec.based_on != nullptr ? spec.based_on->Mask(candidate) : MaskAllButLast(candidate, 4);
}

bool LuhnValid(std::string_view s) {
  int sum = 0;
  int digits = 0;
  for (auto it = s.rbegin(); it != s.rend(); ++it) {
    const char c = *it;
    if (c >= '0' && c <= '9') {
      int d = c - '0';
      if (digits % 2 == 1) {
        d *= 2;
        if (d > 9) {
          d -= 9;
        }
      }
      sum += d;
      ++digits;
    }
  }
  return digits >= 2 && sum % 10 == 0;
}

bool Mod97Valid(std::string_view s) {
  std::string compact;
  for (char c : s) {
    if (IsBlank(c)) {
      continue;
    }
    if (c >= 'a' && c <= 'z') {
      c = static_cast<char>(c - 'a' + 'A');
    }
    if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z'))) {
      return false;
    }
    compact.push_back(c);
  }
  if (compact.size() < 5) {
    return false;
  }
  const std::string rotated = compact.substr(4) + compact.substr(0, 4);
  int remainder = 0;
  for (char c : rotated) {
    const int value = c <= '9' ? c - '0' : c - 'A' + 10;
    remainder = value >= 10 ? (remainder * 100 + value) % 97 : (remainder * 10 + value) % 97;
  }
  return remainder == 1;
}

}  // namespace custos::policy::eval
