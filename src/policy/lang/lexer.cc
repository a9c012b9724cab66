// SPDX-License-Identifier: Apache-2.0
#include "policy/lang/lexer.h"

#include <limits>
#include <string>

#include "core/text.h"

namespace custos::policy::lang {
namespace {

constexpr bool IsNameStart(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

constexpr bool IsDigitChar(char c) { return c >= '0' && c <= '9'; }

constexpr bool IsNameChar(char c) { return IsNameStart(c) || IsDigitChar(c); }

constexpr bool IsSpaceChar(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

int HexDigit(char c) {
  if (IsDigitChar(c)) {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  if (c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  return -1;
}

void AppendUtf8(std::string& out, unsigned code) {
  if (code < 0x80) {
    out.push_back(static_cast<char>(code));
  } else if (code < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (code >> 6)));
    out.push_back(static_cast<char>(0x80 | (code & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xE0 | (code >> 12)));
    out.push_back(static_cast<char>(0x80 | ((code >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (code & 0x3F)));
  }
}

struct Unit {
  std::string_view suffix;
  std::int64_t factor;
};

constexpr Unit kUnits[] = {
    {"KB", 1000},     {"MB", 1000 * 1000}, {"GB", 1000 * 1000 * 1000},
    {"KiB", 1 << 10}, {"MiB", 1 << 20},    {"GiB", std::int64_t{1} << 30},
};

class Lexer {
 public:
  explicit Lexer(std::string_view source) : src_(source) {}

  std::variant<std::vector<Token>, SyntaxError> Run() {
    std::vector<Token> tokens;
    while (true) {
      while (pos_ < src_.size() && IsSpaceChar(src_[pos_])) {
        ++pos_;
      }
      if (pos_ >= src_.size()) {
        tokens.push_back(Token{TokenKind::kEnd, "", 0, src_.size(), 0});
        return tokens;
      }
      Token token;
      token.offset = pos_;
      if (!Next(token)) {
        return error_;
      }
      token.length = pos_ - token.offset;
      tokens.push_back(std::move(token));
    }
  }

 private:
  bool Fail(std::size_t offset, std::string message) {
    error_ = SyntaxError{offset, std::move(message)};
    return false;
  }

  bool Next(Token& token) {
    const char c = src_[pos_];
    if (IsNameStart(c)) {
      return LexName(token);
    }
    if (IsDigitChar(c)) {
      return LexNumber(token);
    }
    if (c == '"' || c == '\'') {
      return LexString(token);
    }
    return LexPunct(token);
  }

  bool LexName(Token& token) {
    const std::size_t start = pos_;
    while (true) {
      while (pos_ < src_.size() && IsNameChar(src_[pos_])) {
        ++pos_;
      }
      if (pos_ + 1 < src_.size() && src_[pos_] == '.' && IsNameStart(src_[pos_ + 1])) {
        ++pos_;
        continue;
      }
      break;
    }
    token.text = std::string(src_.substr(start, pos_ - start));
    if (token.text == "list" && pos_ < src_.size() && src_[pos_] == ':') {
      ++pos_;
      const std::size_t name_start = pos_;
      if (pos_ >= src_.size() || !IsNameStart(src_[pos_])) {
        return Fail(pos_, "expected a list name after 'list:'");
      }
      while (pos_ < src_.size() && IsNameChar(src_[pos_])) {
        ++pos_;
      }
      token.kind = TokenKind::kListRef;
      token.text = std::string(src_.substr(name_start, pos_ - name_start));
      return true;
    }
    token.kind = TokenKind::kName;
    return true;
  }

  bool LexNumber(Token& token) {
    std::int64_t value = 0;
    while (pos_ < src_.size() && IsDigitChar(src_[pos_])) {
      const int digit = src_[pos_] - '0';
      if (value > (std::numeric_limits<std::int64_t>::max() - digit) / 10) {
        return Fail(token.offset, "number is too large");
      }
      value = value * 10 + digit;
      ++pos_;
    }
    const std::size_t unit_start = pos_;
    while (pos_ < src_.size() && IsNameChar(src_[pos_])) {
      ++pos_;
    }
    const std::string_view unit = src_.substr(unit_start, pos_ - unit_start);
    if (!unit.empty()) {
      const Unit* found = nullptr;
      for (const Unit& u : kUnits) {
        if (u.suffix == unit) {
          found = &u;
        }
      }
      if (found == nullptr) {
        return Fail(unit_start, "unknown size unit '" + std::string(unit) +
                                    "' (use KB, MB, GB, KiB, MiB or GiB)");
      }
      if (value > std::numeric_limits<std::int64_t>::max() / found->factor) {
        return Fail(token.offset, "number is too large");
      }
      value *= found->factor;
    }
    token.kind = TokenKind::kNumber;
    token.number = value;
    token.text = std::string(src_.substr(token.offset, pos_ - token.offset));
    return true;
  }

  bool LexString(Token& token) {
    const char quote = src_[pos_++];
    std::string value;
    while (true) {
      if (pos_ >= src_.size()) {
        return Fail(token.offset, "unterminated string");
      }
      const char c = src_[pos_];
      if (c == quote) {
        ++pos_;
        break;
      }
      if (c != '\\') {
        value.push_back(c);
        ++pos_;
        continue;
      }
      if (!LexEscape(value)) {
        return false;
      }
    }
    if (!core::IsValidUtf8(value)) {
      return Fail(token.offset, "string is not valid UTF-8");
    }
    token.kind = TokenKind::kString;
    token.text = std::move(value);
    return true;
  }

  bool LexEscape(std::string& value) {
    const std::size_t at = pos_;
    if (pos_ + 1 >= src_.size()) {
      return Fail(at, "unterminated string");
    }
    const char e = src_[pos_ + 1];
    pos_ += 2;
    switch (e) {
      case '"':
      case '\'':
      case '\\':
        value.push_back(e);
        return true;
      case 'n':
        value.push_back('\n');
        return true;
      case 't':
        value.push_back('\t');
        return true;
      case 'u':
        break;
      default:
        return Fail(at, std::string("unknown escape '\\") + e + "'");
    }
    unsigned code = 0;
    for (int i = 0; i < 4; ++i) {
      const int d = pos_ < src_.size() ? HexDigit(src_[pos_]) : -1;
      if (d < 0) {
        return Fail(at, "\\u needs four hex digits");
      }
      code = code * 16 + static_cast<unsigned>(d);
      ++pos_;
    }
    if ((code >= 0xD800 && code <= 0xDFFF) || code == 0) {
      return Fail(at, "\\u escape is not a character");
    }
    AppendUtf8(value, code);
    return true;
  }

  bool LexPunct(Token& token) {
    const char c = src_[pos_];
    const char n = pos_ + 1 < src_.size() ? src_[pos_ + 1] : '\0';
    auto one = [&](TokenKind kind) {
      token.kind = kind;
      pos_ += 1;
      return true;
    };
    auto two = [&](TokenKind kind) {
      token.kind = kind;
      pos_ += 2;
      return true;
    };
    switch (c) {
      case '(':
        return one(TokenKind::kLParen);
      case ')':
        return one(TokenKind::kRParen);
      case '[':
        return one(TokenKind::kLBracket);
      case ']':
        return one(TokenKind::kRBracket);
      case ',':
        return one(TokenKind::kComma);
      case '=':
        if (n == '=') {
          return two(TokenKind::kEq);
        }
        return Fail(pos_, "use '==' to compare");
      case '!':
        if (n == '=') {
          return two(TokenKind::kNe);
        }
        return Fail(pos_, "use 'not' for negation, '!=' for inequality");
      case '<':
        return n == '=' ? two(TokenKind::kLe) : one(TokenKind::kLt);
      case '>':
        return n == '=' ? two(TokenKind::kGe) : one(TokenKind::kGt);
      default:
        break;
    }
    if (static_cast<unsigned char>(c) >= 0x80) {
      return Fail(pos_, "unexpected non-ASCII character (quote text in \"...\")");
    }
    return Fail(pos_, std::string("unexpected character '") + c + "'");
  }

  std::string_view src_;
  std::size_t pos_ = 0;
  SyntaxError error_;
};

}  // namespace

std::string_view TokenKindName(TokenKind kind) {
  switch (kind) {
    case TokenKind::kName:
      return "a name";
    case TokenKind::kListRef:
      return "a list reference";
    case TokenKind::kString:
      return "a string";
    case TokenKind::kNumber:
      return "a number";
    case TokenKind::kLParen:
      return "'('";
    case TokenKind::kRParen:
      return "')'";
    case TokenKind::kLBracket:
      return "'['";
    case TokenKind::kRBracket:
      return "']'";
    case TokenKind::kComma:
      return "','";
    case TokenKind::kEq:
      return "'=='";
    case TokenKind::kNe:
      return "'!='";
    case TokenKind::kLt:
      return "'<'";
    case TokenKind::kLe:
      return "'<='";
    case TokenKind::kGt:
      return "'>'";
    case TokenKind::kGe:
      return "'>='";
    case TokenKind::kEnd:
      return "end of condition";
  }
  return "a token";
}

std::variant<std::vector<Token>, SyntaxError> Lex(std::string_view source) {
  return Lexer(source).Run();
}

}  // namespace custos::policy::lang
