// SPDX-License-Identifier: Apache-2.0
#include "policy/loader/checker.h"

#include <algorithm>
#include <functional>

#include "core/text.h"
#include "policy/detectors/registry.h"
#include "policy/eval/normalizer.h"
#include "policy/lang/fields.h"

namespace custos::policy::loader {
namespace {

using lang::Expr;
using lang::ExprKind;
using lang::FieldOp;
using lang::FieldType;
using lang::Value;

constexpr std::int64_t kMaxNearDistance = 1000;

std::string StripWildcards(std::string_view term) {
  while (!term.empty() && term.front() == '*') {
    term.remove_prefix(1);
  }
  while (!term.empty() && term.back() == '*') {
    term.remove_suffix(1);
  }
  return std::string(term);
}

class ConditionChecker {
 public:
  ConditionChecker(const Collection& c, Resolved& r, Diagnostics& diags)
      : c_(c), r_(r), diags_(diags) {}

  void Run(const ConditionDef& condition, const std::string& kind, const std::string& name) {
    if (!condition.expr) {
      return;
    }
    where_ = &condition.node;
    kind_ = &kind;
    name_ = &name;
    Visit(*condition.expr);
  }

  std::set<std::string> used_lists;
  std::set<std::string> used_macros;
  std::set<std::string> used_detectors;

 private:
  void Report(DiagCode code, std::size_t offset, std::string message) {
    diags_.Add(code, PositionIn(*where_, offset), *kind_, *name_, std::move(message));
  }

  void Term(const lang::Term& term) {
    if (term.is_list) {
      used_lists.insert(term.value);
      if (r_.lists.count(term.value) == 0) {
        Report(DiagCode::kUnknownReference, term.offset, "unknown list '" + term.value + "'");
      }
    } else if (eval::NormalizeTerm(StripWildcards(term.value)).empty()) {
      Report(DiagCode::kInvalidValue, term.offset, "the term has no characters to match");
    }
  }

  void Detector(const Expr& e) {
    used_detectors.insert(e.name);
    if (FindBuiltinDetector(e.name) == nullptr && r_.detectors.count(e.name) == 0) {
      Report(DiagCode::kUnknownReference, e.name_offset, "unknown detector '" + e.name + "'");
    }
  }

  void Regex(const Expr& e) {
    auto it = r_.regexes.find(e.pattern);
    if (it == r_.regexes.end()) {
      it = r_.regexes.emplace(e.pattern, eval::CheckRegex(e.pattern)).first;
    }
    const eval::RegexCheck& check = it->second;
    if (check.error) {
      Report(DiagCode::kBadPattern, e.offset, "Vectorscan rejects the pattern: " + *check.error);
      return;
    }
    if (check.costly) {
      Report(DiagCode::kCostlyPattern, e.offset, check.costly_reason);
    }
    if (!check.start_offsets) {
      Report(DiagCode::kNoSpan, e.offset, "Vectorscan cannot report where matches start");
    }
  }

  bool ValueFits(const lang::FieldInfo& field, const Value& v) {
    switch (field.type) {
      case FieldType::kBool:
        return v.kind == Value::Kind::kBool;
      case FieldType::kString:
        return v.kind == Value::Kind::kString || v.kind == Value::Kind::kWord;
      case FieldType::kWord:
        return (v.kind == Value::Kind::kString || v.kind == Value::Kind::kWord) &&
               std::find(field.words.begin(), field.words.end(), core::ToLowerAscii(v.text)) !=
                   field.words.end();
      case FieldType::kInteger:
      case FieldType::kSize:
        return v.kind == Value::Kind::kNumber;
    }
    return false;
  }

  void CheckValue(const lang::FieldInfo& field, const Value& v) {
    if (!ValueFits(field, v)) {
      std::string expected = std::string(FieldTypeName(field.type));
      if (field.type == FieldType::kWord) {
        expected = "one of";
        for (std::string_view w : field.words) {
          expected += " " + std::string(w);
        }
      }
      Report(DiagCode::kTypeMismatch, v.offset,
             "'" + std::string(field.name) + "' takes " + expected + " values");
      return;
    }
    if (field.id == lang::FieldId::kChannel && !model::IsKnownChannel(core::ToLowerAscii(v.text))) {
      Report(DiagCode::kUnknownChannel, v.offset, "unknown channel '" + v.text + "'");
    }
  }

  void Field(const Expr& e) {
    const lang::FieldInfo& field = *lang::FindField(e.name);
    const bool stringy = field.type == FieldType::kString || field.type == FieldType::kWord;
    switch (e.field_op) {
      case FieldOp::kBare:
        return;
      case FieldOp::kCompare: {
        const bool ordered = e.op != lang::CompareOp::kEq && e.op != lang::CompareOp::kNe;
        if (ordered && (stringy || field.type == FieldType::kBool)) {
          Report(DiagCode::kTypeMismatch, e.offset,
                 "'" + e.name + "' is a " + std::string(FieldTypeName(field.type)) +
                     " field: only == and != compare it");
          return;
        }
        CheckValue(field, e.values.at(0));
        return;
      }
      case FieldOp::kIn:
      case FieldOp::kNotIn:
        if (field.type == FieldType::kBool) {
          Report(DiagCode::kTypeMismatch, e.offset, "'" + e.name + "' is a boolean field");
          return;
        }
        for (const Value& v : e.values) {
          CheckValue(field, v);
        }
        return;
      case FieldOp::kInList:
      case FieldOp::kNotInList:
        if (!stringy) {
          Report(DiagCode::kTypeMismatch, e.offset,
                 "only string fields can be looked up in a list");
          return;
        }
        Term(e.list);
        return;
      default:
        if (!stringy) {
          Report(DiagCode::kTypeMismatch, e.offset,
                 "'" + e.name + "' is a " + std::string(FieldTypeName(field.type)) +
                     " field; contains, startswith, endswith and glob need a string field");
        }
        return;
    }
  }

  void Visit(const Expr& e) {
    for (const auto& child : e.children) {
      Visit(*child);
    }
    switch (e.kind) {
      case ExprKind::kMacro:
        used_macros.insert(e.name);
        if (std::none_of(c_.macros.begin(), c_.macros.end(),
                         [&](const MacroDef& m) { return m.name == e.name; })) {
          Report(DiagCode::kUnknownReference, e.name_offset, "unknown macro '" + e.name + "'");
        }
        break;
      case ExprKind::kContains:
        if (eval::NormalizeTerm(e.pattern).empty()) {
          Report(DiagCode::kInvalidValue, e.offset, "the string has no characters to match");
        }
        break;
      case ExprKind::kMatches:
        Term(e.terms[0]);
        break;
      case ExprKind::kNear:
        Term(e.terms[0]);
        Term(e.terms[1]);
        if (e.number > kMaxNearDistance) {
          Report(DiagCode::kInvalidValue, e.offset, "the distance must be at most 1000 words");
        }
        break;
      case ExprKind::kRegex:
        Regex(e);
        break;
      case ExprKind::kDetect:
        Detector(e);
        break;
      case ExprKind::kCount:
        if (e.name.empty()) {
          Term(e.terms[0]);
        } else {
          Detector(e);
        }
        break;
      case ExprKind::kField:
        Field(e);
        break;
      default:
        break;
    }
  }

  const Collection& c_;
  Resolved& r_;
  Diagnostics& diags_;
  const RawNode* where_ = nullptr;
  const std::string* kind_ = nullptr;
  const std::string* name_ = nullptr;
};

}  // namespace

Resolved Check(const Collection& c, Diagnostics& diags) {
  Resolved r;
  CheckLists(c, r, diags);
  CheckDetectors(c, r, diags);
  ConditionChecker checker(c, r, diags);
  for (const MacroDef& m : c.macros) {
    checker.Run(m.condition, "macro condition", m.name);
  }
  CheckMacroCycles(c, r, diags);
  for (const RuleDef& rule : c.rules) {
    checker.Run(rule.condition, "rule condition", rule.info.id);
    for (const ExceptionDef& e : rule.exceptions) {
      checker.Run(e.condition, "rule exception", rule.info.id);
    }
  }
  std::set<std::string> rule_ids;
  for (const RuleDef& rule : c.rules) {
    rule_ids.insert(rule.info.id);
  }
  for (const TestCase& test : c.tests) {
    for (const std::string& id : test.expect) {
      if (rule_ids.count(id) == 0) {
        diags.Add(DiagCode::kUnknownReference, test.pos, "rule test", test.rule_id,
                  "test '" + test.name + "' expects unknown rule '" + id + "'");
      }
    }
  }
  // Lists used by used lists (includes) count as used.
  std::set<std::string> used_lists = checker.used_lists;
  std::function<void(const std::string&)> mark = [&](const std::string& name) {
    auto it = r.lists.find(name);
    if (it == r.lists.end()) {
      return;
    }
    for (const Named& inc : it->second->includes) {
      if (used_lists.insert(inc.name).second) {
        mark(inc.name);
      }
    }
  };
  for (const std::string& name : checker.used_lists) {
    mark(name);
  }
  for (const ListDef& l : c.lists) {
    if (used_lists.count(l.name) == 0) {
      diags.Add(DiagCode::kUnused, l.pos, "list", l.name, "the list is never used");
    }
  }
  for (const MacroDef& m : c.macros) {
    if (checker.used_macros.count(m.name) == 0) {
      diags.Add(DiagCode::kUnused, m.pos, "macro", m.name, "the macro is never used");
    }
  }
  for (const DetectorDef& d : c.detectors) {
    if (checker.used_detectors.count(d.name) == 0) {
      diags.Add(DiagCode::kUnused, d.pos, "detector", d.name, "the detector is never used");
    }
  }
  return r;
}

}  // namespace custos::policy::loader
