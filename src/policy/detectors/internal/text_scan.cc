// SPDX-License-Identifier: Apache-2.0
#include "policy/detectors/internal/text_scan.h"

#include <array>

namespace custos::policy::internal {
namespace {

constexpr bool IsContinuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// Folds the text byte at `pos` for comparison with a lowercase keyword: ASCII upper to lower,
// and the second byte of Latin-1 capitals (U+00C0..U+00DE except U+00D7) to its small form.
char FoldedByte(std::string_view text, std::size_t pos) {
  const char c = text[pos];
  if (IsUpper(c)) {
    return ToLower(c);
  }
  const auto u = static_cast<unsigned char>(c);
  if (pos > 0 && static_cast<unsigned char>(text[pos - 1]) == 0xC3 && u >= 0x80 && u <= 0x9E &&
      u != 0x97) {
    return static_cast<char>(u + 0x20);
  }
  return c;
}

}  // namespace

bool WordStartAt(std::string_view text, std::size_t pos) {
  return pos == 0 || !IsWordByte(text[pos - 1]);
}

bool WordEndAt(std::string_view text, std::size_t end) {
  return end >= text.size() || !IsWordByte(text[end]);
}

bool NumberStartAt(std::string_view text, std::size_t pos, std::string_view joiners) {
  if (!WordStartAt(text, pos)) {
    return false;
  }
  return !(pos >= 2 && joiners.find(text[pos - 1]) != std::string_view::npos &&
           IsDigit(text[pos - 2]));
}

bool NumberEndAt(std::string_view text, std::size_t end, std::string_view joiners) {
  if (!WordEndAt(text, end)) {
    return false;
  }
  return !(end + 1 < text.size() && joiners.find(text[end]) != std::string_view::npos &&
           IsDigit(text[end + 1]));
}

bool DigitsAt(std::string_view text, std::size_t pos, std::size_t count) {
  if (pos > text.size() || count > text.size() - pos) {
    return false;
  }
  for (std::size_t k = 0; k < count; ++k) {
    if (!IsDigit(text[pos + k])) {
      return false;
    }
  }
  return true;
}

std::size_t SkipDigits(std::string_view text, std::size_t pos) {
  while (pos < text.size() && IsDigit(text[pos])) {
    ++pos;
  }
  return pos;
}

std::size_t BackChars(std::string_view text, std::size_t pos, std::size_t count) {
  while (count > 0 && pos > 0) {
    --pos;
    while (pos > 0 && IsContinuation(text[pos])) {
      --pos;
    }
    --count;
  }
  return pos;
}

std::size_t ForwardChars(std::string_view text, std::size_t pos, std::size_t count) {
  while (count > 0 && pos < text.size()) {
    ++pos;
    while (pos < text.size() && IsContinuation(text[pos])) {
      ++pos;
    }
    --count;
  }
  return pos;
}

std::size_t MatchFoldedAt(std::string_view text, std::size_t pos, std::string_view keyword) {
  std::size_t t = pos;
  for (std::size_t k = 0; k < keyword.size(); ++k) {
    if (t >= text.size()) {
      return 0;
    }
    if (keyword[k] == ' ') {
      if (!IsSpace(text[t])) {
        return 0;
      }
      while (t < text.size() && IsSpace(text[t])) {
        ++t;
      }
      continue;
    }
    if (FoldedByte(text, t) != keyword[k]) {
      return 0;
    }
    ++t;
  }
  return t;
}

bool ContainsWord(std::string_view text, std::size_t from, std::size_t to, std::size_t limit,
                  std::string_view keyword) {
  if (keyword.empty()) {
    return false;
  }
  const char first = keyword.front();
  for (std::size_t pos = from; pos < to; ++pos) {
    if (FoldedByte(text, pos) != first || !WordStartAt(text, pos)) {
      continue;
    }
    const std::size_t end = MatchFoldedAt(text, pos, keyword);
    if (end != 0 && end <= limit && WordEndAt(text, end)) {
      return true;
    }
  }
  return false;
}

void FindWords(std::string_view text, std::span<const std::string_view> keywords,
               std::vector<Span>& out) {
  std::array<bool, 256> first_bytes{};
  for (std::string_view keyword : keywords) {
    if (!keyword.empty()) {
      first_bytes[static_cast<unsigned char>(keyword.front())] = true;
    }
  }
  std::size_t pos = 0;
  while (pos < text.size()) {
    if (!IsWordByte(text[pos])) {
      ++pos;
      continue;
    }
    // `pos` starts a word: try the keywords that begin with its folded first byte.
    const char folded = FoldedByte(text, pos);
    if (first_bytes[static_cast<unsigned char>(folded)]) {
      for (std::string_view keyword : keywords) {
        if (keyword.empty() || keyword.front() != folded) {
          continue;
        }
        const std::size_t end = MatchFoldedAt(text, pos, keyword);
        if (end != 0 && WordEndAt(text, end)) {
          out.push_back({pos, end});
        }
      }
    }
    while (pos < text.size() && IsWordByte(text[pos])) {
      ++pos;
    }
  }
}

}  // namespace custos::policy::internal
