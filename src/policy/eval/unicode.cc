// SPDX-License-Identifier: Apache-2.0
#include "policy/eval/unicode.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/uscript.h>

namespace custos::policy::eval {
namespace {

struct Fold {
  char32_t from;
  char to;
};

// Case-folded look-alikes of Latin letters (Unicode confusables.txt, the common subset used
// for evasion): Cyrillic, Greek, and a few Latin extensions NFKC leaves alone.
constexpr Fold kConfusables[] = {
    {0x0131, 'i'}, {0x0251, 'a'}, {0x0261, 'g'}, {0x0269, 'i'}, {0x026A, 'i'}, {0x0299, 'b'},
    {0x03B1, 'a'}, {0x03B2, 'b'}, {0x03B5, 'e'}, {0x03B9, 'i'}, {0x03BA, 'k'}, {0x03BD, 'v'},
    {0x03BF, 'o'}, {0x03C1, 'p'}, {0x03C4, 't'}, {0x03C5, 'u'}, {0x03C7, 'x'}, {0x03F2, 'c'},
    {0x03F3, 'j'}, {0x0430, 'a'}, {0x0432, 'b'}, {0x0435, 'e'}, {0x043A, 'k'}, {0x043C, 'm'},
    {0x043D, 'h'}, {0x043E, 'o'}, {0x0440, 'p'}, {0x0441, 'c'}, {0x0442, 't'}, {0x0443, 'y'},
    {0x0445, 'x'}, {0x0455, 's'}, {0x0456, 'i'}, {0x0458, 'j'}, {0x0461, 'w'}, {0x04AF, 'y'},
    {0x04BB, 'h'}, {0x04CF, 'l'}, {0x0501, 'd'}, {0x051B, 'q'}, {0x051D, 'w'}, {0x0578, 'n'},
    {0x057C, 'n'}, {0x0585, 'o'}, {0x13A5, 'i'}, {0x1D00, 'a'}, {0x1D04, 'c'}, {0x1D0F, 'o'},
    {0x1D1C, 'u'}, {0x1D20, 'v'}, {0x1D21, 'w'}, {0x1D22, 'z'}, {0xA731, 's'},
};

}  // namespace

char32_t DecodeAt(std::string_view s, std::size_t pos, std::size_t* len) {
  const auto b0 = static_cast<unsigned char>(s[pos]);
  if (b0 < 0x80) {
    *len = 1;
    return b0;
  }
  std::size_t n = 0;
  char32_t cp = 0;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    n = 2;
    cp = b0 & 0x1F;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    n = 3;
    cp = b0 & 0x0F;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    n = 4;
    cp = b0 & 0x07;
  } else {
    *len = 1;
    return 0xFFFD;
  }
  if (pos + n > s.size()) {
    *len = 1;
    return 0xFFFD;
  }
  for (std::size_t i = 1; i < n; ++i) {
    const auto b = static_cast<unsigned char>(s[pos + i]);
    if ((b & 0xC0) != 0x80) {
      *len = 1;
      return 0xFFFD;
    }
    cp = (cp << 6) | (b & 0x3F);
  }
  *len = n;
  return cp;
}

std::size_t PreviousStart(std::string_view s, std::size_t pos) {
  std::size_t p = pos - 1;
  while (p > 0 && pos - p < 4 && (static_cast<unsigned char>(s[p]) & 0xC0) == 0x80) {
    --p;
  }
  return p;
}

void AppendUtf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

bool IsWordCodePoint(char32_t cp) {
  if (cp < 0x80) {
    return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9') ||
           cp == '_';
  }
  const auto c = static_cast<UChar32>(cp);
  return u_isalnum(c) || (U_GET_GC_MASK(c) & U_GC_M_MASK) != 0;
}

bool IsUnspacedScript(char32_t cp) {
  if (cp < 0x0E00) {
    return false;
  }
  UErrorCode status = U_ZERO_ERROR;
  const UScriptCode script = uscript_getScript(static_cast<UChar32>(cp), &status);
  switch (script) {
    case USCRIPT_HAN:
    case USCRIPT_HIRAGANA:
    case USCRIPT_KATAKANA:
    case USCRIPT_HANGUL:
    case USCRIPT_THAI:
    case USCRIPT_LAO:
    case USCRIPT_KHMER:
    case USCRIPT_MYANMAR:
      return true;
    default:
      return false;
  }
}

bool WordBefore(std::string_view s, std::size_t pos) {
  if (pos == 0) {
    return false;
  }
  std::size_t len = 0;
  const char32_t cp = DecodeAt(s, PreviousStart(s, pos), &len);
  return IsWordCodePoint(cp) && !IsUnspacedScript(cp);
}

bool WordAfter(std::string_view s, std::size_t pos) {
  if (pos >= s.size()) {
    return false;
  }
  std::size_t len = 0;
  const char32_t cp = DecodeAt(s, pos, &len);
  return IsWordCodePoint(cp) && !IsUnspacedScript(cp);
}

char FoldToAscii(char32_t cp) {
  for (const Fold& f : kConfusables) {
    if (f.from == cp) {
      return f.to;
    }
  }
  // Letters with diacritics: the canonical decomposition starts with an ASCII letter and the
  // rest are combining marks.
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(status);
  if (U_FAILURE(status)) {
    return 0;
  }
  icu::UnicodeString decomposition;
  if (!nfd->getDecomposition(static_cast<UChar32>(cp), decomposition) ||
      decomposition.length() < 2) {
    return 0;
  }
  const UChar first = decomposition.charAt(0);
  if (first >= 0x80 || !u_isalpha(first)) {
    return 0;
  }
  for (int32_t i = 1; i < decomposition.length(); ++i) {
    if ((U_GET_GC_MASK(decomposition.charAt(i)) & U_GC_M_MASK) == 0) {
      return 0;
    }
  }
  return static_cast<char>(u_tolower(first));
}

char LeetLetter(char c) {
  switch (c) {
    case '0':
      return 'o';
    case '1':
    case '!':
      return 'i';
    case '3':
      return 'e';
    case '4':
    case '@':
      return 'a';
    case '5':
    case '$':
      return 's';
    case '7':
      return 't';
    case '8':
      return 'b';
    default:
      return 0;
  }
}

}  // namespace custos::policy::eval
