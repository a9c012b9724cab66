// SPDX-License-Identifier: Apache-2.0
// Byte-level helpers shared by the detector scanners: character classes, word and number
// boundaries, UTF-8 character windows and case-folded keyword matching.
//
// A "word byte" is an ASCII letter, digit or '_' or any byte >= 0x80 (part of a non-ASCII
// character, which is treated as a letter). A candidate starts and ends at word boundaries so
// that nothing is found inside a longer word or digit run.
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <span>
#include <string_view>
#include <vector>

#include "policy/detectors/detector.h"

namespace custos::policy::internal {

constexpr bool IsDigit(char c) { return c >= '0' && c <= '9'; }

constexpr bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }

constexpr bool IsLower(char c) { return c >= 'a' && c <= 'z'; }

constexpr bool IsAlpha(char c) { return IsUpper(c) || IsLower(c); }

constexpr bool IsAlnum(char c) { return IsAlpha(c) || IsDigit(c); }

constexpr bool IsHexDigit(char c) {
  return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

constexpr bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

constexpr bool IsWordByte(char c) {
  return IsAlnum(c) || c == '_' || static_cast<unsigned char>(c) >= 0x80;
}

constexpr char ToLower(char c) { return IsUpper(c) ? static_cast<char>(c - 'A' + 'a') : c; }

constexpr char ToUpper(char c) { return IsLower(c) ? static_cast<char>(c - 'a' + 'A') : c; }

// Value of a hex digit; undefined for other characters.
constexpr int HexValue(char c) {
  if (IsDigit(c)) {
    return c - '0';
  }
  return ToLower(c) - 'a' + 10;
}

// True when no word byte touches `pos` from the left (pos is the start of a candidate).
bool WordStartAt(std::string_view text, std::size_t pos);

// True when no word byte touches `end` from the right (end is one past a candidate).
bool WordEndAt(std::string_view text, std::size_t end);

// Like WordStartAt, and also false when the candidate continues a number written with one of
// the characters in `joiners` ("1.5", "12-34", "1,000"): joiner directly left, digit before it.
bool NumberStartAt(std::string_view text, std::size_t pos, std::string_view joiners);

// The mirror image of NumberStartAt for the end of a candidate.
bool NumberEndAt(std::string_view text, std::size_t end, std::string_view joiners);

// True when text[pos, pos + count) exists and is all ASCII digits.
bool DigitsAt(std::string_view text, std::size_t pos, std::size_t count);

// Index after the run of ASCII digits starting at `pos`.
std::size_t SkipDigits(std::string_view text, std::size_t pos);

// Moves `count` UTF-8 characters back from / forward from `pos`, stopping at the text edge.
std::size_t BackChars(std::string_view text, std::size_t pos, std::size_t count);

std::size_t ForwardChars(std::string_view text, std::size_t pos, std::size_t count);

// Matches the lowercase `keyword` at `pos`, folding ASCII and Latin-1 case in the text and
// letting one keyword space match any run of whitespace. Returns the end offset, or 0 when it
// does not match (a match never ends at 0 because keywords are not empty).
std::size_t MatchFoldedAt(std::string_view text, std::size_t pos, std::string_view keyword);

// True when `keyword` occurs as a whole word starting inside [from, to) of `text`, ending at
// or before `limit`. Boundaries are checked against the whole text.
bool ContainsWord(std::string_view text, std::size_t from, std::size_t to, std::size_t limit,
                  std::string_view keyword);

// Appends every whole-word occurrence of any of `keywords` in `text` to `out`, ordered by
// begin offset (occurrences of different keywords may overlap). One pass over the text, trying
// keywords only at word starts, so every keyword must begin with a word character.
void FindWords(std::string_view text, std::span<const std::string_view> keywords,
               std::vector<Span>& out);

}  // namespace custos::policy::internal
