// SPDX-License-Identifier: Apache-2.0
// The recursive descent parser behind lang::Parse (parser.h has the grammar). Split over
// parser.cc (tokens, boolean structure, text tests, proximity) and parser_fields.cc (detector
// and count tests, field tests and values). Internal to lang/.
// Thread-safety: one parser per condition.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "policy/lang/ast.h"
#include "policy/lang/fields.h"
#include "policy/lang/token.h"

namespace custos::policy::lang::internal {

// The comparison a token stands for, or nullopt.
std::optional<CompareOp> AsCompareOp(TokenKind kind);

class ConditionParser {
 public:
  explicit ConditionParser(std::vector<Token> tokens) : tokens_(std::move(tokens)) {}

  // The tree of the whole token list, or the first syntax error.
  std::variant<ExprPtr, SyntaxError> Run();

 private:
  const Token& Peek(std::size_t ahead = 0) const;
  const Token& Take();
  bool IsWord(std::string_view word, std::size_t ahead = 0) const;
  static std::string Describe(const Token& t);
  std::nullptr_t Fail(const Token& at, std::string message);
  bool Expect(TokenKind kind, std::string_view what);
  static ExprPtr Node(ExprKind kind, std::size_t offset);
  void Finish(Expr& e) const;
  ExprPtr Condition();
  ExprPtr Binary(ExprKind kind, std::string_view word);
  ExprPtr Unary();
  ExprPtr Primary();
  ExprPtr TextTest();
  bool ParseTerm(Term& term);
  ExprPtr Proximity();
  bool Detect(Expr& e);
  ExprPtr CountTest();
  bool ParseValue(Value& v);
  ExprPtr FieldTest(const FieldInfo& field);
  bool InTest(Expr& e);

  std::vector<Token> tokens_;
  std::size_t pos_ = 0;
  int depth_ = 0;
  bool failed_ = false;
  SyntaxError error_;
};

}  // namespace custos::policy::lang::internal
