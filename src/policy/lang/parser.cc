// SPDX-License-Identifier: Apache-2.0
#include "policy/lang/parser.h"

#include <utility>
#include <vector>

#include "policy/lang/fields.h"
#include "policy/lang/lexer.h"
#include "policy/lang/parser_internal.h"

namespace custos::policy::lang {
namespace {

constexpr std::string_view kReserved[] = {
    "and",   "or",   "not",   "in",     "true",  "false",      "text",     "contains", "matches",
    "regex", "near", "onear", "detect", "count", "startswith", "endswith", "glob",
};

}  // namespace

namespace internal {

std::variant<ExprPtr, SyntaxError> ConditionParser::Run() {
  ExprPtr expr = Condition();
  if (expr && Peek().kind != TokenKind::kEnd) {
    Fail(Peek(), "expected 'and', 'or' or the end of the condition, got " + Describe(Peek()));
    expr = nullptr;
  }
  if (!expr) {
    return error_;
  }
  return expr;
}

const Token& ConditionParser::Peek(std::size_t ahead) const {
  return tokens_[std::min(pos_ + ahead, tokens_.size() - 1)];
}

const Token& ConditionParser::Take() {
  const Token& t = tokens_[pos_];
  if (pos_ + 1 < tokens_.size()) {
    ++pos_;
  }
  return t;
}

bool ConditionParser::IsWord(std::string_view word, std::size_t ahead) const {
  const Token& t = Peek(ahead);
  return t.kind == TokenKind::kName && t.text == word;
}

std::string ConditionParser::Describe(const Token& t) {
  if (t.kind == TokenKind::kName) {
    return "'" + t.text + "'";
  }
  if (t.kind == TokenKind::kNumber) {
    return "'" + t.text + "'";
  }
  return std::string(TokenKindName(t.kind));
}

std::nullptr_t ConditionParser::Fail(const Token& at, std::string message) {
  if (!failed_) {
    failed_ = true;
    error_ = SyntaxError{at.offset, std::move(message)};
  }
  return nullptr;
}

bool ConditionParser::Expect(TokenKind kind, std::string_view what) {
  if (Peek().kind != kind) {
    Fail(Peek(), "expected " + std::string(what) + ", got " + Describe(Peek()));
    return false;
  }
  Take();
  return true;
}

ExprPtr ConditionParser::Node(ExprKind kind, std::size_t offset) {
  auto e = std::make_unique<Expr>();
  e->kind = kind;
  e->offset = offset;
  return e;
}

void ConditionParser::Finish(Expr& e) const {
  const Token& last = tokens_[pos_ > 0 ? pos_ - 1 : 0];
  e.length = last.offset + last.length - e.offset;
}

ExprPtr ConditionParser::Condition() {
  if (++depth_ > kMaxDepth) {
    return Fail(Peek(), "condition is nested too deeply");
  }
  ExprPtr e = Binary(ExprKind::kOr, "or");
  --depth_;
  return e;
}

ExprPtr ConditionParser::Binary(ExprKind kind, std::string_view word) {
  const std::size_t start = Peek().offset;
  ExprPtr first = kind == ExprKind::kOr ? Binary(ExprKind::kAnd, "and") : Unary();
  if (!first || !IsWord(word)) {
    return first;
  }
  ExprPtr node = Node(kind, start);
  node->children.push_back(std::move(first));
  while (IsWord(word)) {
    Take();
    ExprPtr next = kind == ExprKind::kOr ? Binary(ExprKind::kAnd, "and") : Unary();
    if (!next) {
      return nullptr;
    }
    node->children.push_back(std::move(next));
  }
  Finish(*node);
  return node;
}

ExprPtr ConditionParser::Unary() {
  if (!IsWord("not")) {
    return Primary();
  }
  const std::size_t start = Take().offset;
  if (++depth_ > kMaxDepth) {
    return Fail(Peek(), "condition is nested too deeply");
  }
  ExprPtr child = Unary();
  --depth_;
  if (!child) {
    return nullptr;
  }
  ExprPtr node = Node(ExprKind::kNot, start);
  node->children.push_back(std::move(child));
  Finish(*node);
  return node;
}

ExprPtr ConditionParser::Primary() {
  const Token& t = Peek();
  if (t.kind == TokenKind::kLParen) {
    Take();
    ExprPtr inner = Condition();
    if (!inner || !Expect(TokenKind::kRParen, "')'")) {
      return nullptr;
    }
    return inner;
  }
  if (t.kind != TokenKind::kName) {
    return Fail(t, "expected a condition, got " + Describe(t));
  }
  if (t.text == "true" || t.text == "false") {
    ExprPtr e = Node(ExprKind::kBool, t.offset);
    e->boolean = Take().text == "true";
    Finish(*e);
    return e;
  }
  if (t.text == "text") {
    return TextTest();
  }
  if (t.text == "near" || t.text == "onear") {
    return Proximity();
  }
  if (t.text == "detect") {
    ExprPtr e = Node(ExprKind::kDetect, t.offset);
    if (!Detect(*e)) {
      return nullptr;
    }
    Finish(*e);
    return e;
  }
  if (t.text == "count") {
    return CountTest();
  }
  if (const FieldInfo* field = FindField(t.text)) {
    return FieldTest(*field);
  }
  if (IsReservedWord(t.text)) {
    return Fail(t, "expected a condition, got " + Describe(t));
  }
  if (t.text.find('.') != std::string::npos) {
    return Fail(t, "unknown field '" + t.text + "'");
  }
  ExprPtr e = Node(ExprKind::kMacro, t.offset);
  e->name = t.text;
  e->name_offset = t.offset;
  e->name_length = t.length;
  Take();
  Finish(*e);
  return e;
}

ExprPtr ConditionParser::TextTest() {
  ExprPtr e = Node(ExprKind::kContains, Take().offset);
  const Token& op = Peek();
  if (IsWord("contains") || IsWord("regex")) {
    e->kind = op.text == "contains" ? ExprKind::kContains : ExprKind::kRegex;
    Take();
    if (Peek().kind != TokenKind::kString) {
      return Fail(Peek(),
                  "expected a string after 'text " + op.text + "', got " + Describe(Peek()));
    }
    e->pattern = Take().text;
  } else if (IsWord("matches")) {
    e->kind = ExprKind::kMatches;
    Take();
    Term term;
    if (!ParseTerm(term)) {
      return nullptr;
    }
    e->terms.push_back(std::move(term));
  } else {
    return Fail(op, "expected 'contains', 'matches' or 'regex' after 'text', got " + Describe(op));
  }
  Finish(*e);
  return e;
}

bool ConditionParser::ParseTerm(Term& term) {
  const Token& t = Peek();
  if (t.kind != TokenKind::kString && t.kind != TokenKind::kListRef) {
    Fail(t, "expected a string or list:NAME, got " + Describe(t));
    return false;
  }
  term.is_list = t.kind == TokenKind::kListRef;
  term.value = t.text;
  term.offset = t.offset;
  term.length = t.length;
  if (!term.is_list && term.value.empty()) {
    Fail(t, "the string must not be empty");
    return false;
  }
  Take();
  return true;
}

ExprPtr ConditionParser::Proximity() {
  ExprPtr e = Node(ExprKind::kNear, Peek().offset);
  e->ordered = Take().text == "onear";
  Term a;
  Term b;
  if (!Expect(TokenKind::kLParen, "'('") || !ParseTerm(a) || !Expect(TokenKind::kComma, "','") ||
      !ParseTerm(b) || !Expect(TokenKind::kComma, "','")) {
    return nullptr;
  }
  if (Peek().kind != TokenKind::kNumber) {
    return Fail(Peek(), "expected a number of words, got " + Describe(Peek()));
  }
  e->number = Take().number;
  if (!Expect(TokenKind::kRParen, "')'")) {
    return nullptr;
  }
  e->terms.push_back(std::move(a));
  e->terms.push_back(std::move(b));
  Finish(*e);
  return e;
}

}  // namespace internal

bool IsReservedWord(std::string_view word) {
  for (std::string_view r : kReserved) {
    if (r == word) {
      return true;
    }
  }
  return false;
}

std::variant<ExprPtr, SyntaxError> Parse(std::string_view condition) {
  auto lexed = Lex(condition);
  if (auto* error = std::get_if<SyntaxError>(&lexed)) {
    return *error;
  }
  return internal::ConditionParser(std::get<std::vector<Token>>(std::move(lexed))).Run();
}

}  // namespace custos::policy::lang
