// SPDX-License-Identifier: Apache-2.0
// The syntax tree of a condition (docs/policy-language.md §3), built by the parser and read by
// the loader's checker and compiler. Every node keeps its byte range in the condition string so
// that later errors (unknown list, type mismatch) point at the right place.
// Macro references stay as kMacro nodes; the compiler resolves them.
// Thread-safety: plain values; a finished tree is read-only and may be shared.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace custos::policy::lang {

enum class ExprKind {
  kAnd,       // children: two or more
  kOr,        // children: two or more
  kNot,       // children: one
  kBool,      // true / false
  kContains,  // text contains "pattern"
  kMatches,   // text matches term
  kRegex,     // text regex "pattern"
  kNear,      // near / onear (term, term, number)
  kDetect,    // detect(name) [level_op level]
  kCount,     // count(detect(name) [level_op level] | term) op number
  kField,     // field [field_op ...]
  kMacro,     // a macro by name
};

enum class CompareOp { kEq, kNe, kLt, kLe, kGt, kGe };

// "==", "!=", ...
std::string_view CompareOpText(CompareOp op);

// Applies `op` to two ordered values.
template <typename T>
bool Compare(CompareOp op, const T& a, const T& b) {
  switch (op) {
    case CompareOp::kEq:
      return a == b;
    case CompareOp::kNe:
      return a != b;
    case CompareOp::kLt:
      return a < b;
    case CompareOp::kLe:
      return a <= b;
    case CompareOp::kGt:
      return a > b;
    case CompareOp::kGe:
      return a >= b;
  }
  return false;
}

enum class Level { kLow, kMedium, kHigh };

std::string_view LevelName(Level level);

// A word or phrase, or a list reference, as used by matches / near / count.
struct Term {
  bool is_list = false;
  std::string value;  // the phrase, or the list name
  std::size_t offset = 0;
  std::size_t length = 0;
};

struct Value {
  enum class Kind { kString, kNumber, kBool, kWord };
  Kind kind = Kind::kString;
  std::string text;  // kString, kWord
  std::int64_t number = 0;
  bool boolean = false;
  std::size_t offset = 0;
  std::size_t length = 0;
};

enum class FieldOp {
  kBare,        // a boolean field on its own
  kCompare,     // op value
  kIn,          // in [values]
  kNotIn,       // not in [values]
  kInList,      // in list:NAME
  kNotInList,   // not in list:NAME
  kContains,    // contains "s"
  kStartsWith,  // startswith "s"
  kEndsWith,    // endswith "s"
  kGlob,        // glob "*.exe"
};

struct Expr {
  ExprKind kind = ExprKind::kBool;
  std::size_t offset = 0;  // byte range of the whole node in the condition
  std::size_t length = 0;

  std::vector<std::unique_ptr<Expr>> children;  // kAnd, kOr, kNot
  bool boolean = false;                         // kBool
  std::string name;  // kField: field; kMacro: macro; kDetect, kCount: detector ("" for a term)
  std::size_t name_offset = 0;
  std::size_t name_length = 0;
  std::string pattern;                // kContains, kRegex
  std::vector<Term> terms;            // kMatches: 1; kNear: 2; kCount over a term: 1
  std::int64_t number = 0;            // kNear: distance; kCount: the count compared with
  bool ordered = false;               // kNear: onear
  std::optional<CompareOp> level_op;  // kDetect, kCount over a detector
  Level level = Level::kLow;
  CompareOp op = CompareOp::kEq;  // kCount; kField kCompare
  FieldOp field_op = FieldOp::kBare;
  std::vector<Value> values;  // kField: kCompare 1, kIn/kNotIn n, string ops 1
  Term list;                  // kField kInList / kNotInList
};

using ExprPtr = std::unique_ptr<Expr>;

// A canonical one-line rendering ("(a and (b or c))"), for tests and explanations.
std::string ToString(const Expr& expr);

}  // namespace custos::policy::lang
