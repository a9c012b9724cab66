// SPDX-License-Identifier: Apache-2.0
#include "policy/eval/pattern_cost.h"

namespace custos::policy::eval {
namespace {

// Index just past the character class that opens at p[i] == '['.
std::size_t SkipClass(std::string_view p, std::size_t i) {
  ++i;
  if (i < p.size() && p[i] == '^') {
    ++i;
  }
  if (i < p.size() && p[i] == ']') {
    ++i;
  }
  while (i < p.size() && p[i] != ']') {
    i += p[i] == '\\' ? 2 : 1;
  }
  return i + 1;
}

// Index just past the group that opens at p[i] == '('.
std::size_t SkipGroup(std::string_view p, std::size_t i) {
  int depth = 0;
  while (i < p.size()) {
    if (p[i] == '\\') {
      i += 2;
      continue;
    }
    if (p[i] == '[') {
      i = SkipClass(p, i);
      continue;
    }
    depth += p[i] == '(' ? 1 : (p[i] == ')' ? -1 : 0);
    ++i;
    if (depth == 0) {
      return i;
    }
  }
  return p.size();
}

// Index just past the first atom at p[i]: a class, an escape, a group or one character.
std::size_t SkipAtom(std::string_view p, std::size_t i) {
  switch (p[i]) {
    case '[':
      return SkipClass(p, i);
    case '\\':
      return i + 2;
    case '(':
      return SkipGroup(p, i);
    default:
      return i + 1;
  }
}

bool UnboundedQuantifierAt(std::string_view p, std::size_t i) {
  if (i >= p.size()) {
    return false;
  }
  if (p[i] == '*' || p[i] == '+') {
    return true;
  }
  if (p[i] != '{') {
    return false;
  }
  const std::size_t close = p.find('}', i);
  return close != std::string_view::npos && p[close - 1] == ',';
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// The unsupported construct that starts at p[i] (outside a class), or empty.
std::string UnsupportedAt(std::string_view p, std::size_t i) {
  const std::string_view rest = p.substr(i);
  if (rest.starts_with("(?=") || rest.starts_with("(?!")) {
    return "look-ahead '" + std::string(rest.substr(0, 3)) + "'";
  }
  if (rest.starts_with("(?<=") || rest.starts_with("(?<!")) {
    return "look-behind '" + std::string(rest.substr(0, 4)) + "'";
  }
  if (rest.starts_with("(?(")) {
    return "a conditional group '(?('";
  }
  if (rest.starts_with("(?R") || (rest.size() > 2 && rest.starts_with("(?") && IsDigit(rest[2]))) {
    return "recursion '" + std::string(rest.substr(0, 3)) + "'";
  }
  if (rest.size() > 1 && rest[0] == '\\') {
    const char c = rest[1];
    const bool numbered_g =
        c == 'g' && rest.size() > 2 && (rest[2] == '{' || rest[2] == '-' || IsDigit(rest[2]));
    if ((c >= '1' && c <= '9') || c == 'k' || numbered_g) {
      return "a back-reference '" + std::string(rest.substr(0, 2)) + "'";
    }
  }
  return {};
}

}  // namespace

PatternCost AnalyzePattern(std::string_view p) {
  PatternCost cost;
  std::size_t alternatives = 1;
  for (std::size_t i = 0; i < p.size();) {
    if (cost.unsupported.empty()) {
      cost.unsupported = UnsupportedAt(p, i);
    }
    if (p[i] == '[') {
      i = SkipClass(p, i);
    } else if (p[i] == '\\') {
      i += 2;
    } else {
      alternatives += p[i] == '|' ? 1 : 0;
      ++i;
    }
  }
  std::size_t start = p.starts_with('^') ? 1 : 0;
  if (start < p.size() && UnboundedQuantifierAt(p, SkipAtom(p, start))) {
    cost.costly =
        "the pattern starts with an unbounded repeat, so a match may begin at every byte; "
        "anchor it on a literal or bound the repeat ({1,N})";
  } else if (alternatives > kMaxAlternatives) {
    cost.costly = "an alternation of " + std::to_string(alternatives) + " branches (more than " +
                  std::to_string(kMaxAlternatives) +
                  "): put the words in a list and use `text matches list:NAME`";
  }
  return cost;
}

}  // namespace custos::policy::eval
