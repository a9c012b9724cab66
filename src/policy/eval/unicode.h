// SPDX-License-Identifier: Apache-2.0
// Code-point helpers for matching: UTF-8 stepping, word characters, scripts that write
// without spaces (CJK and Southeast Asian), and look-alike folding (docs/policy-language.md §5).
// A "word character" is a letter, digit, combining mark or '_'.
// Thread-safety: pure functions (ICU property look-ups are thread-safe).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace custos::policy::eval {

// Decodes the code point at `pos` of valid UTF-8 and sets `*len`; returns U+FFFD and len 1
// for an invalid sequence.
char32_t DecodeAt(std::string_view s, std::size_t pos, std::size_t* len);

// The start of the code point that ends at `pos` (pos > 0).
std::size_t PreviousStart(std::string_view s, std::size_t pos);

void AppendUtf8(std::string& out, char32_t cp);

bool IsWordCodePoint(char32_t cp);

// Han, Hiragana, Katakana, Hangul, Thai, Lao, Khmer, Myanmar.
bool IsUnspacedScript(char32_t cp);

// True when a word character touches a match at `pos` from the left (`begin`) / right (`end`);
// characters of unspaced scripts never count.
bool WordBefore(std::string_view s, std::size_t pos);
bool WordAfter(std::string_view s, std::size_t pos);

// The ASCII letter a non-ASCII code point looks like or decomposes to (é -> e, Cyrillic а -> a,
// Greek ο -> o), or 0 when it has none. Expects case-folded input.
char FoldToAscii(char32_t cp);

// The letter a leetspeak digit or symbol stands for (0 -> o, $ -> s), or 0.
char LeetLetter(char c);

}  // namespace custos::policy::eval
