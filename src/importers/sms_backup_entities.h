// SPDX-License-Identifier: Apache-2.0
// The tolerant pre-pass in front of the XML parser for SMS Backup & Restore files.
//
// Android writes characters outside the Basic Multilingual Plane as two numeric character
// references, one per UTF-16 surrogate ("&#55357;&#56832;" for U+1F600). Those are not legal
// XML and strict parsers (expat) reject them. This filter rewrites, as bytes stream through:
//   high surrogate ref + low surrogate ref  ->  one reference to the combined code point
//   a lone (unpaired) surrogate ref         ->  "&#65533;" (U+FFFD), reported with its line
// Everything else passes through unchanged, so line numbers are preserved (columns shift by
// the few bytes a rewrite saves). Decimal and hex (&#xD83D;) references are both handled.
// Memory: carries at most one unfinished reference pair between chunks.
// Thread-safety: one filter per stream; not shareable.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace custos::importers {

class SurrogateEntityFilter {
 public:
  // Called for each lone surrogate: the 1-based line it is on and the code unit.
  using LoneSurrogateFn = std::function<void(std::int64_t line, std::uint32_t unit)>;

  explicit SurrogateEntityFilter(LoneSurrogateFn on_lone) : on_lone_(std::move(on_lone)) {}

  // Appends the filtered form of `chunk` to `out`. With `final`, flushes what was carried.
  void Feed(std::string_view chunk, bool final, std::string& out);

 private:
  LoneSurrogateFn on_lone_;
  std::string carry_;      // an unfinished reference (or pair) held back from the last chunk
  std::int64_t line_ = 1;  // line at the start of carry_
};

}  // namespace custos::importers
