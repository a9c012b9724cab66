// SPDX-License-Identifier: Apache-2.0
// The tokenizer shared by the query parser and the index (query.h): UTF-8 decoding, word
// characters, ideographs as one-character tokens, and case folding.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "search/query.h"

namespace custos::search {
namespace {

// Decodes one UTF-8 sequence at `i` (input assumed mostly valid; bad bytes decode as U+FFFD
// of length 1).
std::uint32_t Decode(std::string_view s, std::size_t i, std::size_t* len) {
  const auto c = static_cast<unsigned char>(s[i]);
  int n = 0;
  std::uint32_t cp = 0;
  if (c < 0x80) {
    *len = 1;
    return c;
  }
  if ((c & 0xE0) == 0xC0) {
    n = 1;
    cp = c & 0x1F;
  } else if ((c & 0xF0) == 0xE0) {
    n = 2;
    cp = c & 0x0F;
  } else if ((c & 0xF8) == 0xF0) {
    n = 3;
    cp = c & 0x07;
  } else {
    *len = 1;
    return 0xFFFD;
  }
  if (i + static_cast<std::size_t>(n) >= s.size()) {
    *len = 1;
    return 0xFFFD;
  }
  for (int k = 1; k <= n; ++k) {
    const auto b = static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]);
    if ((b & 0xC0) != 0x80) {
      *len = 1;
      return 0xFFFD;
    }
    cp = (cp << 6) | (b & 0x3F);
  }
  *len = static_cast<std::size_t>(n) + 1;
  return cp;
}

void Encode(std::uint32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

bool InRange(std::uint32_t cp, std::uint32_t lo, std::uint32_t hi) { return cp >= lo && cp <= hi; }

// Ideographic scripts without spaces between words: each character is a token.
bool IsIdeograph(std::uint32_t cp) {
  return InRange(cp, 0x3040, 0x30FF) || InRange(cp, 0x3400, 0x4DBF) ||
         InRange(cp, 0x4E00, 0x9FFF) || InRange(cp, 0xAC00, 0xD7AF) ||
         InRange(cp, 0xF900, 0xFAFF) || InRange(cp, 0x20000, 0x2FFFF);
}

bool IsWordChar(std::uint32_t cp) {
  if (cp < 0x80) {
    return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
  }
  if (InRange(cp, 0x80, 0xBF)) {
    return cp == 0xAA || cp == 0xB5 || cp == 0xBA;
  }
  if (cp == 0xD7 || cp == 0xF7 || cp == 0xFFFD) {
    return false;
  }
  // Punctuation, symbols, arrows, box drawing, CJK punctuation, variation selectors, emoji.
  return !(InRange(cp, 0x2000, 0x2BFF) || InRange(cp, 0x3000, 0x303F) ||
           InRange(cp, 0xFE00, 0xFE4F) || InRange(cp, 0xFF00, 0xFF0F) ||
           InRange(cp, 0xFF1A, 0xFF20) || InRange(cp, 0x1F000, 0x1FAFF) ||
           InRange(cp, 0xE0000, 0xE007F));
}

std::uint32_t Fold(std::uint32_t cp) {
  if (cp >= 'A' && cp <= 'Z') {
    return cp + 32;
  }
  if (cp < 0x80) {
    return cp;
  }
  if (InRange(cp, 0xC0, 0xDE) && cp != 0xD7) {
    return cp + 32;
  }
  if (InRange(cp, 0x100, 0x17F) && cp != 0x130 && cp != 0x131 && cp != 0x138 && cp != 0x149 &&
      cp != 0x17F) {
    // Latin Extended-A pairs: upper case is even in 0100-0137 and 014A-0177, odd in 0139-0148
    // and 0179-017E.
    const bool odd_upper = InRange(cp, 0x139, 0x148) || InRange(cp, 0x179, 0x17E);
    const bool is_upper = odd_upper ? (cp % 2 == 1) : (cp % 2 == 0);
    if (cp == 0x178) {
      return 0xFF;
    }
    return is_upper ? cp + 1 : cp;
  }
  if (InRange(cp, 0x391, 0x3AB) && cp != 0x3A2) {
    return cp + 32;
  }
  if (InRange(cp, 0x410, 0x42F)) {
    return cp + 32;
  }
  if (InRange(cp, 0x400, 0x40F)) {
    return cp + 80;
  }
  if (InRange(cp, 0xFF21, 0xFF3A)) {
    return cp - 0xFF21 + 'a';  // full-width Latin capitals
  }
  if (InRange(cp, 0xFF41, 0xFF5A)) {
    return cp - 0xFF41 + 'a';
  }
  if (InRange(cp, 0xFF10, 0xFF19)) {
    return cp - 0xFF10 + '0';
  }
  return cp;
}

}  // namespace

std::vector<std::string> Tokenize(std::string_view text) {
  std::vector<std::string> tokens;
  std::string current;
  for (std::size_t i = 0; i < text.size();) {
    std::size_t len = 1;
    const std::uint32_t cp = Decode(text, i, &len);
    i += len;
    if (IsIdeograph(cp)) {
      if (!current.empty()) {
        tokens.push_back(std::move(current));
        current.clear();
      }
      std::string one;
      Encode(cp, &one);
      tokens.push_back(std::move(one));
    } else if (IsWordChar(cp)) {
      Encode(Fold(cp), &current);
    } else if (!current.empty()) {
      tokens.push_back(std::move(current));
      current.clear();
    }
  }
  if (!current.empty()) {
    tokens.push_back(std::move(current));
  }
  return tokens;
}

std::size_t CodePoints(std::string_view token) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < token.size();) {
    std::size_t len = 1;
    Decode(token, i, &len);
    i += len;
    ++n;
  }
  return n;
}

std::string FirstCodePoints(std::string_view token, std::size_t n) {
  std::size_t i = 0;
  for (std::size_t k = 0; k < n && i < token.size(); ++k) {
    std::size_t len = 1;
    Decode(token, i, &len);
    i += len;
  }
  return std::string(token.substr(0, i));
}

}  // namespace custos::search
