// SPDX-License-Identifier: Apache-2.0
#include "search/query.h"

#include <algorithm>
#include <cstdint>
#include <functional>
#include <initializer_list>

#include "core/text.h"
#include "model/message.h"

namespace custos::search {
namespace {

struct FilterName {
  const char* name;
  Term::Kind kind;
};

constexpr FilterName kFilters[] = {
    {"channel", Term::Kind::kChannel},
    {"from", Term::Kind::kFrom},
    {"to", Term::Kind::kTo},
    {"conversation", Term::Kind::kConversation},
    {"direction", Term::Kind::kDirection},
    {"after", Term::Kind::kAfter},
    {"before", Term::Kind::kBefore},
    {"rule", Term::Kind::kRule},
    {"flagged", Term::Kind::kFlagged},
    {"action", Term::Kind::kAction},
    {"severity", Term::Kind::kSeverity},
};

constexpr std::string_view kFilterList =
    "channel, from, to, conversation, direction, after, before, rule, flagged, action, severity";

core::Status Bad(std::string why) { return core::InvalidArgument("invalid search query: " + why); }

}  // namespace

core::Result<core::Micros> ParseQueryDate(std::string_view key, std::string_view value) {
  if (value.size() == 10) {
    auto day = core::ParseRfc3339(std::string(value) + "T00:00:00Z");
    if (day.has_value()) {
      return *day;
    }
  }
  auto t = core::ParseRfc3339(value);
  if (!t.has_value()) {
    return core::InvalidArgument(std::string(key) +
                                 ": expects a date (YYYY-MM-DD) or an RFC 3339 timestamp, not \"" +
                                 std::string(value) + "\"");
  }
  return *t;
}

namespace {

// `value` (lower-cased) when it is one of `known`, else an error naming both.
core::Result<std::string> OneOf(std::string_view key, std::string_view value,
                                std::initializer_list<std::string_view> known) {
  const std::string lower = core::ToLowerAscii(value);
  std::string list;
  for (std::string_view k : known) {
    if (k == lower) {
      return lower;
    }
    list += (list.empty() ? "" : ", ") + std::string(k);
  }
  return Bad(std::string(key) + ": unknown value \"" + std::string(value) + "\" (one of: " + list +
             ")");
}

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

bool IsAsciiLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// Recursive descent over the grammar in query.h.
class Parser {
 public:
  explicit Parser(std::string_view text) : s_(text) {}

  core::Result<Node> Parse() {
    ASSIGN_OR_RETURN(Node root, Sequence(0));
    SkipSpace();
    if (i_ < s_.size()) {  // only a ')' stops the top-level sequence
      return Bad("unbalanced \")\" at offset " + std::to_string(i_));
    }
    return root;
  }

 private:
  static constexpr int kMaxDepth = 32;

  void SkipSpace() {
    while (i_ < s_.size() && IsSpace(s_[i_])) {
      ++i_;
    }
  }

  // The keyword `word` stands alone at i_ (followed by a space, a parenthesis or the end).
  bool AtKeyword(std::string_view word) const {
    if (s_.substr(i_, word.size()) != word) {
      return false;
    }
    const std::size_t after = i_ + word.size();
    return after == s_.size() || IsSpace(s_[after]) || s_[after] == '(' || s_[after] == ')';
  }

  // An AND of groups, until the end or a ')'.
  core::Result<Node> Sequence(int depth) {
    if (depth > kMaxDepth) {
      return Bad("parentheses nested deeper than " + std::to_string(kMaxDepth));
    }
    Node seq;
    seq.op = Node::Op::kAnd;
    while (true) {
      SkipSpace();
      if (i_ >= s_.size() || s_[i_] == ')') {
        break;
      }
      ASSIGN_OR_RETURN(std::optional<Node> group, Group(depth));
      if (group) {
        seq.children.push_back(std::move(*group));
      }
    }
    return seq;
  }

  // unary { OR unary }
  core::Result<std::optional<Node>> Group(int depth) {
    const std::size_t start = i_;
    ASSIGN_OR_RETURN(std::optional<Node> first, Unary(depth));
    SkipSpace();
    if (!AtKeyword("OR")) {
      return first;
    }
    if (!first) {
      return Bad("OR at offset " + std::to_string(i_) + " needs a term before it (near \"" +
                 std::string(s_.substr(start, 20)) + "\")");
    }
    Node any;
    any.op = Node::Op::kOr;
    any.children.push_back(std::move(*first));
    while (true) {
      SkipSpace();
      if (!AtKeyword("OR")) {
        break;
      }
      const std::size_t at = i_;
      i_ += 2;
      ASSIGN_OR_RETURN(std::optional<Node> next, Unary(depth));
      if (!next) {
        return Bad("OR at offset " + std::to_string(at) + " needs a term after it");
      }
      any.children.push_back(std::move(*next));
    }
    return std::optional<Node>(std::move(any));
  }

  // [ "-" | "NOT" ] primary; nullopt when there is nothing to search for here (the end, a ')',
  // a word without letters or digits).
  core::Result<std::optional<Node>> Unary(int depth) {
    SkipSpace();
    if (i_ >= s_.size() || s_[i_] == ')') {
      return std::optional<Node>();
    }
    const std::size_t at = i_;
    bool negate = false;
    if (AtKeyword("NOT")) {
      i_ += 3;
      negate = true;
    } else if (s_[i_] == '-') {
      if (i_ + 1 >= s_.size() || IsSpace(s_[i_ + 1]) || s_[i_ + 1] == ')') {
        ++i_;  // a lone dash is punctuation
        return std::optional<Node>();
      }
      ++i_;
      negate = true;
    } else if (AtKeyword("OR")) {
      return Bad("OR at offset " + std::to_string(i_) + " needs a term before it");
    }
    if (negate) {
      ASSIGN_OR_RETURN(std::optional<Node> operand, Unary(depth + 1));
      if (!operand) {
        return Bad(std::string(s_[at] == '-' ? "\"-\"" : "NOT") + " at offset " +
                   std::to_string(at) + " needs a term to exclude");
      }
      Node n;
      n.op = Node::Op::kNot;
      n.children.push_back(std::move(*operand));
      return std::optional<Node>(std::move(n));
    }
    return Primary(depth);
  }

  core::Result<std::optional<Node>> Primary(int depth) {
    const std::size_t at = i_;
    if (s_[i_] == '(') {
      ++i_;
      ASSIGN_OR_RETURN(Node inner, Sequence(depth + 1));
      SkipSpace();
      if (i_ >= s_.size() || s_[i_] != ')') {
        return Bad("unbalanced \"(\" at offset " + std::to_string(at) + ": missing \")\"");
      }
      ++i_;
      if (inner.children.empty()) {
        return Bad("empty parentheses at offset " + std::to_string(at));
      }
      if (inner.children.size() == 1) {
        return std::optional<Node>(std::move(inner.children[0]));
      }
      return std::optional<Node>(std::move(inner));
    }
    if (s_[i_] == '"') {
      ASSIGN_OR_RETURN(std::string quoted, Quoted());
      std::vector<std::string> words = Tokenize(quoted);
      if (words.empty()) {
        return std::optional<Node>();
      }
      return std::optional<Node>(Leaf(TextTerm(Term::Kind::kPhrase, std::move(words))));
    }
    // A filter: letters, ':' and a value (not "scheme://", which is text).
    std::size_t name_end = i_;
    while (name_end < s_.size() && IsAsciiLetter(s_[name_end])) {
      ++name_end;
    }
    if (name_end > i_ && name_end < s_.size() && s_[name_end] == ':' &&
        s_.substr(name_end + 1, 2) != "//") {
      const std::string name = core::ToLowerAscii(s_.substr(i_, name_end - i_));
      i_ = name_end + 1;
      for (const FilterName& f : kFilters) {
        if (name == f.name) {
          ASSIGN_OR_RETURN(Term term, Filter(f.kind, name));
          return std::optional<Node>(Leaf(std::move(term)));
        }
      }
      return Bad("unknown filter \"" + name + ":\" (filters: " + std::string(kFilterList) +
                 "); put text with a colon in quotes");
    }
    const std::string word = Bare();
    if (word.size() > 1 && word.back() == '*') {
      std::string_view stem(word);
      while (!stem.empty() && stem.back() == '*') {
        stem.remove_suffix(1);
      }
      std::vector<std::string> tokens = Tokenize(stem);
      if (tokens.size() != 1) {
        return Bad("prefix search takes one word of letters or digits, not \"" + word + "\"");
      }
      if (CodePoints(tokens[0]) < kMinPrefix) {
        return Bad("prefix \"" + word + "\" is too short: at least " + std::to_string(kMinPrefix) +
                   " letters or digits before \"*\"");
      }
      return std::optional<Node>(Leaf(TextTerm(Term::Kind::kPrefix, std::move(tokens))));
    }
    std::vector<std::string> words = Tokenize(word);
    if (words.empty()) {
      return std::optional<Node>();
    }
    // A word that tokenizes into several tokens ("e-mail") must match as a phrase.
    return std::optional<Node>(Leaf(TextTerm(Term::Kind::kPhrase, std::move(words))));
  }

  static Term TextTerm(Term::Kind kind, std::vector<std::string> words) {
    Term t;
    t.kind = kind;
    t.words = std::move(words);
    return t;
  }

  static Node Leaf(Term term) {
    Node n;
    n.op = Node::Op::kTerm;
    n.term = std::move(term);
    return n;
  }

  core::Result<std::string> Quoted() {
    const std::size_t close = s_.find('"', i_ + 1);
    if (close == std::string_view::npos) {
      return Bad("unterminated quote at offset " + std::to_string(i_));
    }
    std::string v(s_.substr(i_ + 1, close - i_ - 1));
    i_ = close + 1;
    return v;
  }

  // Up to a space or a parenthesis.
  std::string Bare() {
    const std::size_t start = i_;
    while (i_ < s_.size() && !IsSpace(s_[i_]) && s_[i_] != '(' && s_[i_] != ')') {
      ++i_;
    }
    return std::string(s_.substr(start, i_ - start));
  }

  core::Result<Term> Filter(Term::Kind kind, const std::string& name) {
    std::string value;
    if (i_ < s_.size() && s_[i_] == '"') {
      ASSIGN_OR_RETURN(value, Quoted());
    } else {
      value = Bare();
    }
    if (core::TrimAscii(value).empty()) {
      return Bad(name + ": needs a value");
    }
    Term t;
    t.kind = kind;
    using K = Term::Kind;
    if (kind == K::kChannel) {
      t.value = core::ToLowerAscii(value);
      if (!model::IsKnownChannel(t.value)) {
        return Bad("channel: unknown channel \"" + value +
                   "\" (one of: " + std::string(model::KnownChannelsList()) + ")");
      }
    } else if (kind == K::kDirection) {
      ASSIGN_OR_RETURN(t.value, OneOf(name, value, {"inbound", "outbound", "internal"}));
    } else if (kind == K::kFlagged) {
      ASSIGN_OR_RETURN(t.value, OneOf(name, value, {"yes", "no", "true", "false"}));
      t.flag = t.value == "yes" || t.value == "true";
      t.value = t.flag ? "yes" : "no";
    } else if (kind == K::kAction) {
      ASSIGN_OR_RETURN(
          t.value, OneOf(name, value, {"allow", "warn", "flag", "escalate", "redact", "block"}));
    } else if (kind == K::kSeverity) {
      ASSIGN_OR_RETURN(t.value, OneOf(name, value, {"info", "low", "medium", "high", "critical"}));
    } else if (kind == K::kAfter || kind == K::kBefore) {
      if (auto time = ParseQueryDate(name, value); time.has_value()) {
        t.time = *time;
      } else {
        return Bad(time.error().message());
      }
      t.value = value;
    } else {  // from, to, conversation, rule: any non-empty value
      t.value = value;
    }
    return t;
  }

  std::string_view s_;
  std::size_t i_ = 0;
};

bool AnyTerm(const Node& n, const std::function<bool(const Term&)>& pred) {
  if (n.op == Node::Op::kTerm) {
    return pred(n.term);
  }
  for (const Node& c : n.children) {
    if (AnyTerm(c, pred)) {
      return true;
    }
  }
  return false;
}

void CollectValues(const Node& n, Term::Kind kind, std::vector<std::string>* out) {
  if (n.op == Node::Op::kTerm) {
    if (n.term.kind == kind) {
      out->push_back(n.term.value);
    }
    return;
  }
  for (const Node& c : n.children) {
    CollectValues(c, kind, out);
  }
}

bool IsText(const Term& t) {
  return t.kind == Term::Kind::kPhrase || t.kind == Term::Kind::kPrefix;
}

}  // namespace

bool Query::HasText() const { return AnyTerm(root, IsText); }

bool Query::HasPrefix() const {
  return AnyTerm(root, [](const Term& t) { return t.kind == Term::Kind::kPrefix; });
}

bool Query::OnlySimpleFilters() const {
  if (root.op != Node::Op::kAnd) {
    return false;
  }
  int channels = 0;
  int conversations = 0;
  for (const Node& c : root.children) {
    if (c.op != Node::Op::kTerm) {
      return false;
    }
    switch (c.term.kind) {
      case Term::Kind::kChannel:
        ++channels;
        break;
      case Term::Kind::kConversation:
        ++conversations;
        break;
      case Term::Kind::kAfter:
      case Term::Kind::kBefore:
        break;
      default:
        return false;
    }
  }
  return channels <= 1 && conversations <= 1;
}

std::string Query::FirstWord() const {
  std::string found;
  std::function<void(const Node&)> walk = [&](const Node& n) {
    if (!found.empty() || n.op == Node::Op::kNot) {
      return;
    }
    if (n.op == Node::Op::kTerm) {
      if (IsText(n.term)) {
        found = n.term.words[0];
      }
      return;
    }
    for (const Node& c : n.children) {
      walk(c);
    }
  };
  walk(root);
  return found;
}

std::vector<std::string> Query::Values(Term::Kind kind) const {
  std::vector<std::string> out;
  CollectValues(root, kind, &out);
  return out;
}

core::Result<Query> ParseQuery(std::string_view text) {
  Query q;
  ASSIGN_OR_RETURN(q.root, Parser(text).Parse());
  if (q.root.children.empty() && !core::TrimAscii(text).empty()) {
    return Bad("nothing to search for in \"" + std::string(core::TruncateUtf8(text, 60)) +
               "\" (words need letters or digits)");
  }
  for (const Node& c : q.root.children) {
    if (c.op != Node::Op::kTerm) {
      continue;
    }
    const Term& t = c.term;
    switch (t.kind) {
      case Term::Kind::kChannel:
        q.channel = t.value;
        break;
      case Term::Kind::kFrom:
        q.from = t.value;
        break;
      case Term::Kind::kConversation:
        q.conversation = t.value;
        break;
      case Term::Kind::kAfter:
        q.after = q.after ? std::max(*q.after, t.time) : t.time;
        break;
      case Term::Kind::kBefore:
        q.before = q.before ? std::min(*q.before, t.time) : t.time;
        break;
      default:
        break;
    }
  }
  if (q.after && q.before && *q.after >= *q.before) {
    return Bad("after: must be earlier than before:");
  }
  return q;
}

}  // namespace custos::search
