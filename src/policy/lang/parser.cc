// SPDX-License-Identifier: Apache-2.0
#include "policy/lang/parser.h"

#include <utility>
#include <vector>

#include "policy/lang/fields.h"
#include "policy/lang/lexer.h"

namespace custos::policy::lang {
namespace {

constexpr std::string_view kReserved[] = {
    "and",   "or",   "not",   "in",     "true",  "false",      "text",     "contains", "matches",
    "regex", "near", "onear", "detect", "count", "startswith", "endswith", "glob",
};

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

class Parser {
 public:
  explicit Parser(std::vector<Token> tokens) : tokens_(std::move(tokens)) {}

  std::variant<ExprPtr, SyntaxError> Run() {
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

 private:
  const Token& Peek(std::size_t ahead = 0) const {
    return tokens_[std::min(pos_ + ahead, tokens_.size() - 1)];
  }

  const Token& Take() {
    const Token& t = tokens_[pos_];
    if (pos_ + 1 < tokens_.size()) {
      ++pos_;
    }
    return t;
  }

  bool IsWord(std::string_view word, std::size_t ahead = 0) const {
    const Token& t = Peek(ahead);
    return t.kind == TokenKind::kName && t.text == word;
  }

  static std::string Describe(const Token& t) {
    if (t.kind == TokenKind::kName) {
      return "'" + t.text + "'";
    }
    if (t.kind == TokenKind::kNumber) {
      return "'" + t.text + "'";
    }
    return std::string(TokenKindName(t.kind));
  }

  std::nullptr_t Fail(const Token& at, std::string message) {
    if (!failed_) {
      failed_ = true;
      error_ = SyntaxError{at.offset, std::move(message)};
    }
    return nullptr;
  }

  bool Expect(TokenKind kind, std::string_view what) {
    if (Peek().kind != kind) {
      Fail(Peek(), "expected " + std::string(what) + ", got " + Describe(Peek()));
      return false;
    }
    Take();
    return true;
  }

  static ExprPtr Node(ExprKind kind, std::size_t offset) {
    auto e = std::make_unique<Expr>();
    e->kind = kind;
    e->offset = offset;
    return e;
  }

  void Finish(Expr& e) const {
    const Token& last = tokens_[pos_ > 0 ? pos_ - 1 : 0];
    e.length = last.offset + last.length - e.offset;
  }

  ExprPtr Condition() {
    if (++depth_ > kMaxDepth) {
      return Fail(Peek(), "condition is nested too deeply");
    }
    ExprPtr e = Binary(ExprKind::kOr, "or");
    --depth_;
    return e;
  }

  ExprPtr Binary(ExprKind kind, std::string_view word) {
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

  ExprPtr Unary() {
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

  ExprPtr Primary() {
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

  ExprPtr TextTest() {
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
      return Fail(op,
                  "expected 'contains', 'matches' or 'regex' after 'text', got " + Describe(op));
    }
    Finish(*e);
    return e;
  }

  bool ParseTerm(Term& term) {
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

  ExprPtr Proximity() {
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

  // detect "(" name ")" [ compare_op level ]
  bool Detect(Expr& e) {
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

  ExprPtr CountTest() {
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

  bool ParseValue(Value& v) {
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

  ExprPtr FieldTest(const FieldInfo& field) {
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

  bool InTest(Expr& e) {
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

  std::vector<Token> tokens_;
  std::size_t pos_ = 0;
  int depth_ = 0;
  bool failed_ = false;
  SyntaxError error_;
};

}  // namespace

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
  return Parser(std::get<std::vector<Token>>(std::move(lexed))).Run();
}

}  // namespace custos::policy::lang
