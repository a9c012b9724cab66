// SPDX-License-Identifier: Apache-2.0
// The search query language (basic):
//
//   query   = { term | phrase | filter } ;            (terms are ANDed)
//   term    = word ;                                   e.g. guaranteed
//   phrase  = '"' word { word } '"' ;                  e.g. "text me"
//   filter  = ( "channel" | "from" | "conversation" | "after" | "before" ) ":" value ;
//   value   = word | '"' chars '"' ;
//
// after:/before: take a date (YYYY-MM-DD, UTC midnight) or an RFC 3339 timestamp; before: is
// exclusive. A `name:` that is not one of the filters above is ordinary text ("re:", URLs).
// Words are split and case-folded by Tokenize(), the same function that feeds the index.
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "core/time.h"

namespace custos::search {

struct Query {
  // Each entry is a phrase: a single word is a phrase of length one. All must match.
  std::vector<std::vector<std::string>> phrases;
  std::optional<std::string> channel;
  std::optional<std::string> from;
  std::optional<std::string> conversation;
  std::optional<core::Micros> after;
  std::optional<core::Micros> before;

  bool HasText() const { return !phrases.empty(); }
};

// kInvalidArgument naming the offending part (unterminated quote, empty filter value, bad
// date, after: not before before:).
core::Result<Query> ParseQuery(std::string_view text);

// Splits text into index tokens: runs of letters and digits (any script; each CJK ideograph
// is its own token), case-folded for ASCII and Latin-1/Latin Extended-A letters.
std::vector<std::string> Tokenize(std::string_view text);

}  // namespace custos::search
