// SPDX-License-Identifier: Apache-2.0
// The parser of the condition language: a hand-written recursive descent parser that turns a
// condition string into an Expr tree (ast.h). docs/policy-language.md §3 is the reference; the
// grammar is:
//
//   condition     = or_expr ;
//   or_expr       = and_expr , { "or" , and_expr } ;
//   and_expr      = unary , { "and" , unary } ;
//   unary         = "not" , unary | primary ;
//   primary       = "(" , condition , ")"
//                 | "true" | "false"
//                 | text_test | proximity | detect_test | count_test | field_test
//                 | macro_name ;
//   text_test     = "text" , ( "contains" , string | "matches" , term | "regex" , string ) ;
//   term          = string | list_ref ;
//   list_ref      = "list:" , name ;
//   proximity     = ( "near" | "onear" ) , "(" , term , "," , term , "," , integer , ")" ;
//   detect        = "detect" , "(" , name , ")" ;
//   detect_test   = detect , [ compare_op , level ] ;
//   count_test    = "count" , "(" , ( detect , [ compare_op , level ] | term ) , ")" ,
//                   compare_op , integer ;
//   level         = "low" | "medium" | "high" ;
//   field_test    = field , [ compare_op , value
//                           | [ "not" ] , "in" , ( value_list | list_ref )
//                           | string_op , string ] ;
//   string_op     = "contains" | "startswith" | "endswith" | "glob" ;
//   value_list    = "[" , value , { "," , value } , "]" ;
//   value         = string | number | "true" | "false" | word ;
//   compare_op    = "==" | "!=" | "<" | "<=" | ">" | ">=" ;
//   field         = "channel" | "direction" | "sender" | "sender.group"
//                 | "counterparty.external" | "counterparty.domain"
//                 | "time.work_hours" | "time.hour" | "time.weekday"
//                 | "attachment.mime" | "attachment.size" | "attachment.name"
//                 | "attachment.count" | "message.length" | "conversation.participants" ;
//   macro_name    = name ;
//
//   (* tokens, see lexer.h *)
//   name          = letter , { letter | digit | "_" } ;     (* letter: A-Z a-z _ *)
//   word          = name ;
//   string        = '"' , { char | escape } , '"' | "'" , { char | escape } , "'" ;
//   escape        = "\" , ( '"' | "'" | "\" | "n" | "t" | "u" , 4 * hex_digit ) ;
//   integer       = digit , { digit } ;
//   number        = integer , [ "KB" | "MB" | "GB" | "KiB" | "MiB" | "GiB" ] ;
//
// `and` binds tighter than `or`, `not` tightest. The words of the grammar are reserved and
// cannot name macros. A dotted name that is not a field is an error; any other name that is not
// a keyword is a macro reference, resolved later by the loader. The parser checks syntax only
// (and that a bare field is boolean): whether lists, macros and detectors exist, and whether
// values fit field types, is the loader's check (loader/checker.h).
//
// Errors carry a byte offset into the condition; the loader maps it to a file position.
// Nesting deeper than kMaxDepth is an error rather than a stack overflow.
// Thread-safety: pure functions.
#pragma once

#include <string_view>
#include <variant>

#include "policy/lang/ast.h"
#include "policy/lang/token.h"

namespace custos::policy::lang {

inline constexpr int kMaxDepth = 100;

// The tree of `condition`, or the first syntax error.
std::variant<ExprPtr, SyntaxError> Parse(std::string_view condition);

// True for the reserved words of the grammar ("and", "text", "near", ...).
bool IsReservedWord(std::string_view word);

}  // namespace custos::policy::lang
