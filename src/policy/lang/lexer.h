// SPDX-License-Identifier: Apache-2.0
// The lexer of the condition language: turns a condition string into tokens.
//
// Names are `[A-Za-z_][A-Za-z0-9_]*` joined by single dots (`sender.group` is one token).
// `list:NAME` is one token. Strings use double or single quotes with the escapes \" \' \\ \n \t
// and \uXXXX (a BMP code point, not a surrogate), and must be valid UTF-8. Numbers are decimal
// integers with an optional size unit (KB, MB, GB decimal; KiB, MiB, GiB binary), converted to
// base units with an overflow check.
// Thread-safety: pure functions.
#pragma once

#include <string_view>
#include <variant>
#include <vector>

#include "policy/lang/token.h"

namespace custos::policy::lang {

// All tokens of `source`, ending with one kEnd token, or the first lexical error.
std::variant<std::vector<Token>, SyntaxError> Lex(std::string_view source);

}  // namespace custos::policy::lang
