// SPDX-License-Identifier: Apache-2.0
#include "policy/lang/ast.h"

namespace custos::policy::lang {
namespace {

std::string Quote(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(c);
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else {
      out.push_back(c);
    }
  }
  out.push_back('"');
  return out;
}

std::string TermString(const Term& term) {
  return term.is_list ? "list:" + term.value : Quote(term.value);
}

std::string ValueString(const Value& value) {
  switch (value.kind) {
    case Value::Kind::kString:
      return Quote(value.text);
    case Value::Kind::kNumber:
      return std::to_string(value.number);
    case Value::Kind::kBool:
      return value.boolean ? "true" : "false";
    case Value::Kind::kWord:
      return value.text;
  }
  return "";
}

std::string DetectString(const Expr& e) {
  std::string out = "detect(" + e.name + ")";
  if (e.level_op) {
    out += " " + std::string(CompareOpText(*e.level_op)) + " " + std::string(LevelName(e.level));
  }
  return out;
}

std::string FieldString(const Expr& e) {
  std::string out = e.name;
  switch (e.field_op) {
    case FieldOp::kBare:
      return out;
    case FieldOp::kCompare:
      return out + " " + std::string(CompareOpText(e.op)) + " " + ValueString(e.values.at(0));
    case FieldOp::kIn:
    case FieldOp::kNotIn: {
      out += e.field_op == FieldOp::kIn ? " in [" : " not in [";
      for (std::size_t i = 0; i < e.values.size(); ++i) {
        out += (i > 0 ? ", " : "") + ValueString(e.values[i]);
      }
      return out + "]";
    }
    case FieldOp::kInList:
      return out + " in " + TermString(e.list);
    case FieldOp::kNotInList:
      return out + " not in " + TermString(e.list);
    case FieldOp::kContains:
      return out + " contains " + ValueString(e.values.at(0));
    case FieldOp::kStartsWith:
      return out + " startswith " + ValueString(e.values.at(0));
    case FieldOp::kEndsWith:
      return out + " endswith " + ValueString(e.values.at(0));
    case FieldOp::kGlob:
      return out + " glob " + ValueString(e.values.at(0));
  }
  return out;
}

}  // namespace

std::string_view CompareOpText(CompareOp op) {
  switch (op) {
    case CompareOp::kEq:
      return "==";
    case CompareOp::kNe:
      return "!=";
    case CompareOp::kLt:
      return "<";
    case CompareOp::kLe:
      return "<=";
    case CompareOp::kGt:
      return ">";
    case CompareOp::kGe:
      return ">=";
  }
  return "?";
}

std::string_view LevelName(Level level) {
  switch (level) {
    case Level::kLow:
      return "low";
    case Level::kMedium:
      return "medium";
    case Level::kHigh:
      return "high";
  }
  return "low";
}

std::string ToString(const Expr& e) {
  switch (e.kind) {
    case ExprKind::kAnd:
    case ExprKind::kOr: {
      std::string out = "(";
      for (std::size_t i = 0; i < e.children.size(); ++i) {
        if (i > 0) {
          out += e.kind == ExprKind::kAnd ? " and " : " or ";
        }
        out += ToString(*e.children[i]);
      }
      return out + ")";
    }
    case ExprKind::kNot:
      return "not " + ToString(*e.children.at(0));
    case ExprKind::kBool:
      return e.boolean ? "true" : "false";
    case ExprKind::kContains:
      return "text contains " + Quote(e.pattern);
    case ExprKind::kMatches:
      return "text matches " + TermString(e.terms.at(0));
    case ExprKind::kRegex:
      return "text regex " + Quote(e.pattern);
    case ExprKind::kNear:
      return std::string(e.ordered ? "onear(" : "near(") + TermString(e.terms.at(0)) + ", " +
             TermString(e.terms.at(1)) + ", " + std::to_string(e.number) + ")";
    case ExprKind::kDetect:
      return DetectString(e);
    case ExprKind::kCount:
      return "count(" + (e.name.empty() ? TermString(e.terms.at(0)) : DetectString(e)) + ") " +
             std::string(CompareOpText(e.op)) + " " + std::to_string(e.number);
    case ExprKind::kField:
      return FieldString(e);
    case ExprKind::kMacro:
      return e.name;
  }
  return "?";
}

}  // namespace custos::policy::lang
