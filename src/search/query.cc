// SPDX-License-Identifier: Apache-2.0
#include "search/query.h"

#include <cstdint>

#include "core/text.h"

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

const char* const kFilters[] = {"channel", "from", "conversation", "after", "before"};

core::Status Bad(std::string why) { return core::InvalidArgument("invalid search query: " + why); }

core::Result<core::Micros> ParseDate(std::string_view key, std::string_view value) {
  if (value.size() == 10) {
    auto day = core::ParseRfc3339(std::string(value) + "T00:00:00Z");
    if (day.has_value()) {
      return *day;
    }
  }
  auto t = core::ParseRfc3339(value);
  if (!t.has_value()) {
    return Bad(std::string(key) + ": expects a date (YYYY-MM-DD) or an RFC 3339 timestamp, not \"" +
               std::string(value) + "\"");
  }
  return *t;
}

// Reads a word or a quoted string at `*i`; advances past it.
core::Result<std::string> ReadValue(std::string_view text, std::size_t* i) {
  if (*i < text.size() && text[*i] == '"') {
    const std::size_t close = text.find('"', *i + 1);
    if (close == std::string_view::npos) {
      return Bad("unterminated quote at offset " + std::to_string(*i));
    }
    std::string v(text.substr(*i + 1, close - *i - 1));
    *i = close + 1;
    return v;
  }
  std::size_t end = *i;
  while (end < text.size() && text[end] != ' ' && text[end] != '\t' && text[end] != '\n') {
    ++end;
  }
  std::string v(text.substr(*i, end - *i));
  *i = end;
  return v;
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

core::Result<Query> ParseQuery(std::string_view text) {
  Query q;
  std::size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      ++i;
      continue;
    }
    // A filter is `name:value` with a known name.
    std::string_view rest = text.substr(i);
    bool handled = false;
    for (const char* name : kFilters) {
      const std::string_view n(name);
      if (rest.size() > n.size() && rest.substr(0, n.size()) == n && rest[n.size()] == ':') {
        i += n.size() + 1;
        ASSIGN_OR_RETURN(std::string value, ReadValue(text, &i));
        if (value.empty()) {
          return Bad(std::string(n) + ": needs a value");
        }
        if (n == "channel") {
          q.channel = core::ToLowerAscii(value);
        } else if (n == "from") {
          q.from = value;
        } else if (n == "conversation") {
          q.conversation = value;
        } else if (n == "after") {
          ASSIGN_OR_RETURN(q.after, ParseDate(n, value));
        } else {
          ASSIGN_OR_RETURN(q.before, ParseDate(n, value));
        }
        handled = true;
        break;
      }
    }
    if (handled) {
      continue;
    }
    ASSIGN_OR_RETURN(std::string value, ReadValue(text, &i));
    std::vector<std::string> words = Tokenize(value);
    if (words.empty()) {
      continue;
    }
    // A quoted phrase, or a word that tokenizes into several tokens ("e-mail"), must match
    // as a phrase; separate words are separate terms.
    q.phrases.push_back(std::move(words));
  }
  if (q.after && q.before && *q.after >= *q.before) {
    return Bad("after: must be earlier than before:");
  }
  return q;
}

}  // namespace custos::search
