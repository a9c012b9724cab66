// SPDX-License-Identifier: Apache-2.0
// The leaves of the grammar: detector and count tests, field tests and their values.
#include "policy/lang/parser.h"
#include "policy/lang/parser_internal.h"

namespace custos::policy::lang::internal {

std::optional<CompareOp> AsCompareOp(TokenKind kind) {
  switch (kind) {
    case TokenKind::kEq:
      return CompareOp::kEq;
    case TokenKind::kNe:
      return CompareOp::kNe;
    case TokenKind::kLt:
      return CompareOp::kLt;
    case TokenKind::kLe:
      return CompareOp::kLe;
    case TokenKind::kGt:
      return CompareOp::kGt;
    case TokenKind::kGe:
      return CompareOp::kGe;
    default:
      return std::nullopt;
  }
}

bool ConditionParser::Detect(Expr& e) {
  Take();
  if (!Expect(TokenKind::kLParen, "'('")) {
    return false;
  }
  const Token& name = Peek();
  if (name.kind != TokenKind::kName || name.text.find('.') != std::string::npos) {
    Fail(name, "expected a detector name, got " + Describe(name));
    return false;
  }
  e.name = name.text;
  e.name_offset = name.offset;
  e.name_length = name.length;
  Take();
  if (!Expect(TokenKind::kRParen, "')'")) {
    return false;
  }
  const std::optional<CompareOp> op = AsCompareOp(Peek().kind);
  if (!op) {
    return true;
  }
  Take();
  const Token& level = Peek();
  if (level.kind != TokenKind::kName ||
      (level.text != "low" && level.text != "medium" && level.text != "high")) {
    Fail(level, "expected low, medium or high, got " + Describe(level));
    return false;
  }
  e.level_op = op;
  e.level = level.text == "low"      ? Level::kLow
            : level.text == "medium" ? Level::kMedium
                                     : Level::kHigh;
  Take();
  return true;
}

ExprPtr ConditionParser::CountTest() {
  ExprPtr e = Node(ExprKind::kCount, Take().offset);
  if (!Expect(TokenKind::kLParen, "'('")) {
    return nullptr;
  }
  if (IsWord("detect")) {
    if (!Detect(*e)) {
      return nullptr;
    }
  } else {
    Term term;
    if (!ParseTerm(term)) {
      return nullptr;
    }
    e->terms.push_back(std::move(term));
  }
  if (!Expect(TokenKind::kRParen, "')'")) {
    return nullptr;
  }
  const std::optional<CompareOp> op = AsCompareOp(Peek().kind);
  if (!op) {
    return Fail(Peek(), "expected a comparison after count(...), got " + Describe(Peek()));
  }
  Take();
  if (Peek().kind != TokenKind::kNumber) {
    return Fail(Peek(), "expected a number, got " + Describe(Peek()));
  }
  e->op = *op;
  e->number = Take().number;
  Finish(*e);
  return e;
}

bool ConditionParser::ParseValue(Value& v) {
  const Token& t = Peek();
  v.offset = t.offset;
  v.length = t.length;
  if (t.kind == TokenKind::kString) {
    v.kind = Value::Kind::kString;
    v.text = t.text;
  } else if (t.kind == TokenKind::kNumber) {
    v.kind = Value::Kind::kNumber;
    v.number = t.number;
  } else if (t.kind == TokenKind::kName && (t.text == "true" || t.text == "false")) {
    v.kind = Value::Kind::kBool;
    v.boolean = t.text == "true";
  } else if (t.kind == TokenKind::kName && !IsReservedWord(t.text)) {
    v.kind = Value::Kind::kWord;
    v.text = t.text;
  } else {
    Fail(t, "expected a value, got " + Describe(t));
    return false;
  }
  Take();
  return true;
}

ExprPtr ConditionParser::FieldTest(const FieldInfo& field) {
  ExprPtr e = Node(ExprKind::kField, Peek().offset);
  e->name = std::string(field.name);
  e->name_offset = Peek().offset;
  e->name_length = Peek().length;
  Take();
  if (const std::optional<CompareOp> op = AsCompareOp(Peek().kind)) {
    Take();
    e->field_op = FieldOp::kCompare;
    e->op = *op;
    e->values.emplace_back();
    if (!ParseValue(e->values.back())) {
      return nullptr;
    }
  } else if (IsWord("in") || (IsWord("not") && IsWord("in", 1))) {
    if (!InTest(*e)) {
      return nullptr;
    }
  } else if (IsWord("contains") || IsWord("startswith") || IsWord("endswith") || IsWord("glob")) {
    const std::string word = Take().text;
    e->field_op = word == "contains"     ? FieldOp::kContains
                  : word == "startswith" ? FieldOp::kStartsWith
                  : word == "endswith"   ? FieldOp::kEndsWith
                                         : FieldOp::kGlob;
    if (Peek().kind != TokenKind::kString) {
      return Fail(Peek(), "expected a string after '" + word + "', got " + Describe(Peek()));
    }
    e->values.emplace_back();
    if (!ParseValue(e->values.back())) {
      return nullptr;
    }
  } else if (field.type != FieldType::kBool) {
    return Fail(Peek(), "'" + e->name + "' is a " + std::string(FieldTypeName(field.type)) +
                            " field: compare it (==, in, ...), got " + Describe(Peek()));
  }
  Finish(*e);
  return e;
}

bool ConditionParser::InTest(Expr& e) {
  const bool negated = IsWord("not");
  if (negated) {
    Take();
  }
  Take();  // in
  if (Peek().kind == TokenKind::kListRef) {
    e.field_op = negated ? FieldOp::kNotInList : FieldOp::kInList;
    return ParseTerm(e.list);
  }
  e.field_op = negated ? FieldOp::kNotIn : FieldOp::kIn;
  if (!Expect(TokenKind::kLBracket, "'[' or list:NAME")) {
    return false;
  }
  if (Peek().kind == TokenKind::kRBracket) {
    Fail(Peek(), "the list of values is empty");
    return false;
  }
  while (true) {
    e.values.emplace_back();
    if (!ParseValue(e.values.back())) {
      return false;
    }
    if (Peek().kind == TokenKind::kComma) {
      Take();
      continue;
    }
    return Expect(TokenKind::kRBracket, "',' or ']'");
  }
}
}  // namespace custos::policy::lang::internal
