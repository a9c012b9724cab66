// SPDX-License-Identifier: Apache-2.0
// Tokens of the condition language (docs/policy-language.md §3.1). Produced by the lexer,
// consumed by the parser. Offsets are byte offsets into the condition string.
// Thread-safety: plain values.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace custos::policy::lang {

enum class TokenKind {
  kName,      // and, text, outbound, sender.group (dotted names are one token)
  kListRef,   // list:NAME; `text` holds NAME
  kString,    // "..." or '...'; `text` holds the decoded value
  kNumber,    // 42, 25MB; `number` holds the value in base units
  kLParen,    // (
  kRParen,    // )
  kLBracket,  // [
  kRBracket,  // ]
  kComma,     // ,
  kEq,        // ==
  kNe,        // !=
  kLt,        // <
  kLe,        // <=
  kGt,        // >
  kGe,        // >=
  kEnd,       // end of input
};

// A short human name for messages: "a name", "a string", "')'", "end of condition".
std::string_view TokenKindName(TokenKind kind);

struct Token {
  TokenKind kind = TokenKind::kEnd;
  std::string text;
  std::int64_t number = 0;
  std::size_t offset = 0;  // where the token starts in the condition
  std::size_t length = 0;  // its length in bytes of source
};

// A problem found while lexing or parsing, at a byte offset of the condition.
struct SyntaxError {
  std::size_t offset = 0;
  std::string message;
};

}  // namespace custos::policy::lang
