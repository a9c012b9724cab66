// SPDX-License-Identifier: Apache-2.0
#include "policy/detectors/detector.h"

#include <algorithm>

#include "policy/detectors/internal/text_scan.h"

namespace custos::policy {
namespace {

using internal::BackChars;
using internal::ContainsWord;
using internal::ForwardChars;

std::size_t Utf8Length(unsigned char lead) {
  if (lead >= 0xF0 && lead <= 0xF4) {
    return 4;
  }
  if (lead >= 0xE0) {
    return 3;
  }
  if (lead >= 0xC2 && lead <= 0xDF) {
    return 2;
  }
  return 1;
}

bool IsMaskable(char c) { return internal::IsAlnum(c) || static_cast<unsigned char>(c) >= 0x80; }

std::optional<Confidence> Grade(const ConfidenceTable& table, Validity validity, bool keyword) {
  switch (validity) {
    case Validity::kValid:
      return keyword ? table.valid_with_keyword : table.valid_alone;
    case Validity::kPlausible:
      return keyword ? table.plausible_with_keyword : table.plausible_alone;
    case Validity::kInvalid:
      break;
  }
  return std::nullopt;
}

// Whether one of `words` (whole-word keyword occurrences ordered by begin) lies entirely
// within `window` characters before or after `span`, outside it.
bool KeywordNear(std::string_view text, const std::vector<Span>& words, Span span,
                 std::size_t window) {
  const std::size_t lo = BackChars(text, span.begin, window);
  const std::size_t hi = ForwardChars(text, span.end, window);
  auto it = std::lower_bound(words.begin(), words.end(), lo,
                             [](const Span& word, std::size_t pos) { return word.begin < pos; });
  for (; it != words.end() && it->begin < hi; ++it) {
    if (it->end <= span.begin || (it->begin >= span.end && it->end <= hi)) {
      return true;
    }
  }
  return false;
}

}  // namespace

std::string_view ConfidenceName(Confidence confidence) {
  switch (confidence) {
    case Confidence::kLow:
      return "low";
    case Confidence::kMedium:
      return "medium";
    case Confidence::kHigh:
      return "high";
  }
  return "low";
}

std::string MaskAllButLast(std::string_view text, std::size_t keep) {
  // Count maskable characters (a multi-byte UTF-8 sequence is one character).
  std::size_t total = 0;
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t len =
        std::min(Utf8Length(static_cast<unsigned char>(text[i])), text.size() - i);
    if (IsMaskable(text[i])) {
      ++total;
    }
    i += len;
  }
  const std::size_t to_mask = total > keep ? total - keep : 0;
  std::string out;
  out.reserve(text.size());
  std::size_t seen = 0;
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t len =
        std::min(Utf8Length(static_cast<unsigned char>(text[i])), text.size() - i);
    if (IsMaskable(text[i]) && seen++ < to_mask) {
      out.push_back('*');
    } else {
      out.append(text.substr(i, len));
    }
    i += len;
  }
  return out;
}

std::string Detector::Mask(std::string_view candidate) const {
  return MaskAllButLast(candidate, 4);
}

bool Detector::HasSupportingKeyword(std::string_view text, Span span) const {
  const std::size_t lo = BackChars(text, span.begin, traits_.keyword_window);
  const std::size_t hi = ForwardChars(text, span.end, traits_.keyword_window);
  for (std::string_view keyword : traits_.keywords) {
    // Before the candidate (must end before it starts), then after it.
    if (ContainsWord(text, lo, span.begin, span.begin, keyword) ||
        ContainsWord(text, span.end, hi, hi, keyword)) {
      return true;
    }
  }
  return false;
}

TextProfile TextProfile::Of(std::string_view text) {
  // One accumulator per class and no table lookups, so that the loop vectorises.
  unsigned char digit = 0;
  unsigned char at = 0;
  unsigned char colon = 0;
  unsigned char dash = 0;
  unsigned char underscore = 0;
  unsigned char upper_a = 0;
  unsigned char lower_g = 0;
  unsigned char lower_x = 0;
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    digit |= static_cast<unsigned char>(static_cast<unsigned char>(c - '0') < 10);
    at |= static_cast<unsigned char>(c == '@');
    colon |= static_cast<unsigned char>(c == ':');
    dash |= static_cast<unsigned char>(c == '-');
    underscore |= static_cast<unsigned char>(c == '_');
    upper_a |= static_cast<unsigned char>(c == 'A');
    lower_g |= static_cast<unsigned char>(c == 'g');
    lower_x |= static_cast<unsigned char>(c == 'x');
  }
  std::uint8_t present = 0;
  present |= digit != 0 ? kNeedDigit : 0;
  present |= at != 0 ? kNeedAt : 0;
  present |= colon != 0 ? kNeedColon : 0;
  present |= dash != 0 ? kNeedDash : 0;
  present |= underscore != 0 ? kNeedUnderscore : 0;
  present |= upper_a != 0 ? kNeedUpperA : 0;
  present |= lower_g != 0 ? kNeedLowerG : 0;
  present |= lower_x != 0 ? kNeedLowerX : 0;
  return TextProfile{present};
}

std::vector<DetectorHit> Detector::Scan(std::string_view text) const {
  return Scan(text, TextProfile::Of(text));
}

std::vector<DetectorHit> Detector::Scan(std::string_view text, TextProfile profile) const {
  // Keyword occurrences are found once per scan, on first need; when no grade is possible
  // without a keyword, a text without any keyword is rejected before scanning candidates.
  if (!profile.HasAll(traits_.needs)) {
    return {};
  }
  std::vector<Span> words;
  bool words_found = false;
  const ConfidenceTable& table = traits_.confidence;
  if (!table.valid_alone && !table.plausible_alone) {
    internal::FindWords(text, traits_.keywords, words);
    if (words.empty()) {
      return {};
    }
    words_found = true;
  }
  std::vector<Span> candidates;
  FindCandidates(text, candidates);
  std::sort(candidates.begin(), candidates.end(), [](const Span& a, const Span& b) {
    return a.begin != b.begin ? a.begin < b.begin : a.end > b.end;
  });
  std::vector<DetectorHit> hits;
  std::size_t covered_until = 0;
  for (const Span& span : candidates) {
    if (span.end <= span.begin || span.end > text.size() ||
        (!hits.empty() && span.begin < covered_until)) {
      continue;
    }
    const std::string_view candidate = text.substr(span.begin, span.end - span.begin);
    const Validity best = BestCase(candidate);
    std::optional<bool> keyword;
    if (!Grade(table, best, false)) {
      // Reportable only with a supporting keyword: look for one before validating.
      if (!words_found) {
        internal::FindWords(text, traits_.keywords, words);
        words_found = true;
      }
      keyword = KeywordNear(text, words, span, traits_.keyword_window);
      if (!*keyword) {
        continue;
      }
    }
    const Validity validity = Validate(candidate);
    if (validity == Validity::kInvalid) {
      continue;
    }
    if (!keyword) {
      if (!words_found) {
        internal::FindWords(text, traits_.keywords, words);
        words_found = true;
      }
      keyword = KeywordNear(text, words, span, traits_.keyword_window);
    }
    const std::optional<Confidence> confidence = Grade(table, validity, *keyword);
    if (!confidence) {
      continue;
    }
    hits.push_back(DetectorHit{Name(), span.begin, span.end, *confidence, Mask(candidate)});
    covered_until = span.end;
  }
  return hits;
}

}  // namespace custos::policy
