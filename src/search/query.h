// SPDX-License-Identifier: Apache-2.0
// The search query language (docs/search.md):
//
//   query    = { group } ;                            groups are ANDed
//   group    = unary { "OR" unary } ;                 OR binds tighter than the implicit AND
//   unary    = ( "-" | "NOT" ) unary | primary ;      negation
//   primary  = "(" query ")" | phrase | prefix | filter | word ;
//   word     = letters and digits, e.g. guaranteed
//   prefix   = word "*" ;                             at least 3 characters, e.g. guarantee*
//   phrase   = '"' chars '"' ;                        e.g. "text me"
//   filter   = name ":" value ;  value = word | '"' chars '"' ;
//   name     = channel | from | to | conversation | direction | after | before
//            | rule | flagged | action | severity ;
//
// after:/before: take a date (YYYY-MM-DD, UTC midnight) or an RFC 3339 timestamp; before: is
// exclusive. channel:, direction:, flagged: (yes/no), action: and severity: take one of their
// known values. A `name:value` whose name is not a filter is an error naming it (quote it to
// search for the text); `scheme://...` is text. "OR" and "NOT" are operators only in capitals.
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

// Prefix search: a prefix has at least kMinPrefix code points; the index stores the keyed
// hashes of each token's prefixes of kMinPrefix..kMaxPrefix code points (search/index.h).
inline constexpr std::size_t kMinPrefix = 3;
inline constexpr std::size_t kMaxPrefix = 20;

// One condition of a query.
struct Term {
  enum class Kind {
    kPhrase,  // words: a single word is a phrase of length one
    kPrefix,  // words[0]: a word prefix
    kChannel,
    kFrom,
    kTo,
    kConversation,
    kDirection,
    kAfter,  // time
    kBefore,
    kRule,
    kFlagged,  // flag
    kAction,
    kSeverity,
  };
  Kind kind = Kind::kPhrase;
  std::vector<std::string> words;  // kPhrase, kPrefix
  std::string value;               // the filter's value (channel lower-cased)
  core::Micros time = 0;           // kAfter, kBefore
  bool flag = false;               // kFlagged
};

// The parsed query: a tree of AND, OR and NOT over terms. An AND without children matches
// every message.
struct Node {
  enum class Op { kTerm, kAnd, kOr, kNot };
  Op op = Op::kAnd;
  Term term;                   // kTerm
  std::vector<Node> children;  // kAnd, kOr (two or more), kNot (one)
};

struct Query {
  Node root;

  // Convenience views of the conjunction's top level (positive terms ANDed at the root), for
  // callers that only handle simple filters; the tree is what Index::Search evaluates.
  std::optional<std::string> channel;
  std::optional<std::string> from;
  std::optional<std::string> conversation;
  std::optional<core::Micros> after;
  std::optional<core::Micros> before;

  // Some text term (a word, phrase or prefix) appears anywhere in the query.
  bool HasText() const;
  // Some prefix term (`word*`) appears in the query.
  bool HasPrefix() const;
  // The query is an AND of channel:, conversation:, after: and before: only (no text, no OR,
  // no negation, no other filter), each at most once: the fields above say it all.
  bool OnlySimpleFilters() const;
  // The first positive word or prefix, for snippets; "" when none.
  std::string FirstWord() const;
  // The values of every conversation: / rule: filter in the query (to resolve / check).
  std::vector<std::string> Values(Term::Kind kind) const;
};

// kInvalidArgument naming the offending token: unterminated quote, unknown filter, unknown
// value of channel:/direction:/flagged:/action:/severity:, empty filter value, bad date,
// a prefix too short, a dangling OR / NOT / "-", unbalanced parentheses, a query with nothing
// to search for, after: not before before:.
core::Result<Query> ParseQuery(std::string_view text);

// A date (YYYY-MM-DD, UTC midnight) or an RFC 3339 timestamp; kInvalidArgument naming `key`.
core::Result<core::Micros> ParseQueryDate(std::string_view key, std::string_view value);

// Splits text into index tokens: runs of letters and digits (any script; each CJK ideograph
// is its own token), case-folded for ASCII and Latin-1/Latin Extended-A letters.
std::vector<std::string> Tokenize(std::string_view text);

// The number of code points of a UTF-8 token, and its first `n` code points.
std::size_t CodePoints(std::string_view token);
std::string FirstCodePoints(std::string_view token, std::size_t n);

}  // namespace custos::search
