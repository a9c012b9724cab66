// SPDX-License-Identifier: Apache-2.0
#include "policy/detectors/email.h"

#include <array>
#include <vector>

#include "policy/detectors/internal/text_scan.h"

namespace custos::policy {
namespace {

using internal::IsAlnum;
using internal::IsAlpha;

constexpr std::size_t kMaxLocal = 64;
constexpr std::size_t kMaxDomain = 253;
constexpr std::size_t kMaxLabel = 63;

constexpr std::array<std::string_view, 10> kKeywords = {
    "email",   "e-mail",   "mail",   "mailto",  "contact",
    "address", "courriel", "correo", "adresse", "mailadresse"};

bool IsLocalChar(char c) {
  return IsAlnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
}

bool IsDomainChar(char c) { return IsAlnum(c) || c == '.' || c == '-'; }

bool ValidLabel(std::string_view label) {
  if (label.empty() || label.size() > kMaxLabel || label.front() == '-' || label.back() == '-') {
    return false;
  }
  for (char c : label) {
    if (!IsAlnum(c) && c != '-') {
      return false;
    }
  }
  return true;
}

bool ValidTopLevel(std::string_view label) {
  if (label.size() > 4 && internal::ToLower(label[0]) == 'x' &&
      internal::ToLower(label[1]) == 'n' && label[2] == '-' && label[3] == '-') {
    return true;
  }
  if (label.size() < 2) {
    return false;
  }
  for (char c : label) {
    if (!IsAlpha(c)) {
      return false;
    }
  }
  return true;
}

class Email final : public Detector {
 public:
  Email()
      : Detector(DetectorTraits{.name = "email",
                                .keywords = kKeywords,
                                .keyword_window = kDefaultKeywordWindow,
                                .confidence = kDefaultConfidence,
                                .needs = kNeedAt}) {}

  void FindCandidates(std::string_view text, std::vector<Span>& out) const override {
    std::size_t search_from = 0;
    for (std::size_t at = text.find('@'); at != std::string_view::npos;
         at = text.find('@', at + 1)) {
      std::size_t begin = at;
      while (begin > search_from && IsLocalChar(text[begin - 1])) {
        --begin;
      }
      while (begin < at && text[begin] == '.') {
        ++begin;
      }
      std::size_t end = at + 1;
      while (end < text.size() && IsDomainChar(text[end])) {
        ++end;
      }
      while (end > at + 1 && (text[end - 1] == '.' || text[end - 1] == '-')) {
        --end;
      }
      if (begin == at || end == at + 1 || !internal::WordStartAt(text, begin) ||
          !internal::WordEndAt(text, end)) {
        continue;
      }
      out.push_back({begin, end});
      search_from = end;
    }
  }

  Validity Validate(std::string_view candidate) const override {
    return EmailValid(candidate) ? Validity::kValid : Validity::kInvalid;
  }
};

}  // namespace

bool EmailValid(std::string_view address) {
  const std::size_t at = address.find('@');
  if (at == std::string_view::npos || address.find('@', at + 1) != std::string_view::npos) {
    return false;
  }
  const std::string_view local = address.substr(0, at);
  const std::string_view domain = address.substr(at + 1);
  if (local.empty() || local.size() > kMaxLocal || local.front() == '.' || local.back() == '.' ||
      local.find("..") != std::string_view::npos) {
    return false;
  }
  for (char c : local) {
    if (!IsLocalChar(c)) {
      return false;
    }
  }
  if (domain.empty() || domain.size() > kMaxDomain) {
    return false;
  }
  std::size_t labels = 0;
  std::string_view last;
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = domain.find('.', start);
    const std::string_view label = domain.substr(start, dot - start);
    if (!ValidLabel(label)) {
      return false;
    }
    ++labels;
    last = label;
    if (dot == std::string_view::npos) {
      break;
    }
    start = dot + 1;
  }
  return labels >= 2 && ValidTopLevel(last);
}

const Detector& EmailDetector() {
  static const Email* const detector = new Email();
  return *detector;
}

}  // namespace custos::policy
