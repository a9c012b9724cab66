// SPDX-License-Identifier: Apache-2.0
// The reference graphs of a pack: list includes and macro uses, with cycle detection; and
// custom detectors' patterns.
#include <algorithm>
#include <functional>
#include <set>

#include "policy/loader/checker.h"

namespace custos::policy::loader {
namespace {

enum class Mark { kNone, kActive, kDone };

std::string Path(const std::vector<std::string>& stack, const std::string& back_to) {
  std::string out;
  const auto start = std::find(stack.begin(), stack.end(), back_to);
  for (auto it = start; it != stack.end(); ++it) {
    out += *it + " -> ";
  }
  return out + back_to;
}

void CollectMacroRefs(const lang::Expr& e, std::vector<std::string>& out) {
  if (e.kind == lang::ExprKind::kMacro) {
    out.push_back(e.name);
  }
  for (const auto& child : e.children) {
    CollectMacroRefs(*child, out);
  }
}

}  // namespace

void CheckLists(const Collection& c, Resolved& r, Diagnostics& diags) {
  for (const ListDef& l : c.lists) {
    r.lists.emplace(l.name, &l);
  }
  std::map<std::string, Mark> marks;
  std::vector<std::string> stack;
  std::function<void(const ListDef&)> flatten = [&](const ListDef& list) {
    marks[list.name] = Mark::kActive;
    stack.push_back(list.name);
    std::vector<FlatTerm> terms;
    std::set<std::string> seen;
    for (const TermDef& t : list.terms) {
      if (seen.insert(t.text).second) {
        terms.push_back(FlatTerm{&t, list.leet});
      }
    }
    for (const Named& inc : list.includes) {
      auto it = r.lists.find(inc.name);
      if (it == r.lists.end()) {
        diags.Add(DiagCode::kUnknownReference, inc.pos, "list include", list.name,
                  "unknown list '" + inc.name + "'");
        continue;
      }
      if (marks[inc.name] == Mark::kActive) {
        diags.Add(DiagCode::kReferenceCycle, inc.pos, "list include", list.name,
                  "lists include each other: " + Path(stack, inc.name));
        continue;
      }
      if (marks[inc.name] == Mark::kNone) {
        flatten(*it->second);
      }
      for (const FlatTerm& t : r.list_terms[inc.name]) {
        if (seen.insert(t.term->text).second) {
          terms.push_back(t);
        }
      }
    }
    r.list_terms[list.name] = std::move(terms);
    stack.pop_back();
    marks[list.name] = Mark::kDone;
  };
  for (const ListDef& l : c.lists) {
    if (marks[l.name] == Mark::kNone && r.lists[l.name] == &l) {
      flatten(l);
    }
  }
}

void CheckDetectors(const Collection& c, Resolved& r, Diagnostics& diags) {
  for (const DetectorDef& d : c.detectors) {
    r.detectors.emplace(d.name, &d);
    if (!d.pattern) {
      continue;
    }
    const RawNode& node = *d.pattern;
    const eval::RegexCheck check = eval::CheckRegex(node.scalar);
    if (check.error) {
      diags.Add(DiagCode::kBadPattern, node.pos, "detector pattern", d.name,
                "Vectorscan rejects the pattern: " + *check.error);
      continue;
    }
    if (!check.start_offsets) {
      diags.Add(DiagCode::kBadPattern, node.pos, "detector pattern", d.name,
                "Vectorscan cannot report where matches of this pattern start, which a detector "
                "needs to validate candidates; simplify its repeats");
    }
    if (check.costly) {
      diags.Add(DiagCode::kCostlyPattern, node.pos, "detector pattern", d.name,
                check.costly_reason);
    }
    r.regexes.emplace(node.scalar, check);
  }
}

void CheckMacroCycles(const Collection& c, Resolved& r, Diagnostics& diags) {
  std::map<std::string, const MacroDef*> by_name;
  for (const MacroDef& m : c.macros) {
    by_name.emplace(m.name, &m);
  }
  std::map<std::string, Mark> marks;
  std::set<std::string> bad;
  std::vector<std::string> stack;
  // Returns false when `m` is in or reaches a cycle, or uses a broken macro.
  std::function<bool(const MacroDef&)> visit = [&](const MacroDef& m) -> bool {
    marks[m.name] = Mark::kActive;
    stack.push_back(m.name);
    bool good = m.condition.expr != nullptr;
    std::vector<std::string> refs;
    if (m.condition.expr) {
      CollectMacroRefs(*m.condition.expr, refs);
    }
    for (const std::string& ref : refs) {
      auto it = by_name.find(ref);
      if (it == by_name.end()) {
        good = false;  // reported by the condition checker
        continue;
      }
      if (marks[ref] == Mark::kActive) {
        diags.Add(DiagCode::kReferenceCycle, m.pos, "macro", m.name,
                  "macros use each other: " + Path(stack, ref));
        good = false;
        continue;
      }
      if (marks[ref] == Mark::kNone) {
        good = visit(*it->second) && good;
      } else {
        good = good && bad.count(ref) == 0;
      }
    }
    stack.pop_back();
    marks[m.name] = Mark::kDone;
    if (!good) {
      bad.insert(m.name);
    }
    return good;
  };
  for (const MacroDef& m : c.macros) {
    if (marks[m.name] == Mark::kNone && by_name[m.name] == &m) {
      visit(m);
    }
  }
  for (const auto& [name, macro] : by_name) {
    if (bad.count(name) == 0) {
      r.macros.emplace(name, macro);
    }
  }
}

}  // namespace custos::policy::loader
