// SPDX-License-Identifier: Apache-2.0
#include "policy/loader/compiler.h"

#include <algorithm>

#include "core/text.h"
#include "policy/lang/fields.h"
#include "policy/loader/atoms.h"

namespace custos::policy::loader {
namespace {

using eval::Node;
using eval::Program;
using lang::Expr;
using lang::ExprKind;

Confidence ToConfidence(lang::Level level) {
  switch (level) {
    case lang::Level::kLow:
      return Confidence::kLow;
    case lang::Level::kMedium:
      return Confidence::kMedium;
    case lang::Level::kHigh:
      return Confidence::kHigh;
  }
  return Confidence::kLow;
}

class ProgramBuilder {
 public:
  ProgramBuilder(AtomTable& atoms, const Resolved& resolved, Program& program)
      : atoms_(atoms), resolved_(resolved), program_(program) {}

  bool too_large() const { return too_large_; }

  std::uint32_t Add(const Expr& e) {
    if (e.kind == ExprKind::kMacro) {
      const auto it = resolved_.macros.find(e.name);
      if (it != resolved_.macros.end() && it->second->condition.expr) {
        return Add(*it->second->condition.expr);
      }
      return Push(Bool(false));
    }
    if (program_.nodes.size() >= kMaxProgramNodes) {
      too_large_ = true;
      return Push(Bool(false));
    }
    Node node;
    node.kind = e.kind;
    for (const auto& child : e.children) {
      node.children.push_back(Add(*child));
    }
    switch (e.kind) {
      case ExprKind::kBool:
        node.boolean = e.boolean;
        break;
      case ExprKind::kContains:
        node.index = atoms_.Contains(e.pattern);
        break;
      case ExprKind::kRegex:
        node.index = atoms_.Regex(e.pattern);
        break;
      case ExprKind::kMatches:
        node.index = atoms_.TermSet(e.terms[0]);
        break;
      case ExprKind::kNear:
        node.index = atoms_.TermSet(e.terms[0]);
        node.index2 = atoms_.TermSet(e.terms[1]);
        node.number = e.number;
        node.ordered = e.ordered;
        break;
      case ExprKind::kDetect:
      case ExprKind::kCount:
        if (e.kind == ExprKind::kCount && e.name.empty()) {
          node.over_terms = true;
          node.index = atoms_.TermSet(e.terms[0]);
        } else {
          node.index = atoms_.Detector(e.name);
          node.level_op = e.level_op;
          node.level = ToConfidence(e.level);
        }
        node.op = e.op;
        node.number = e.number;
        break;
      case ExprKind::kField:
        Field(e, node);
        break;
      default:
        break;
    }
    return Push(std::move(node));
  }

  std::uint32_t Push(Node node) {
    program_.nodes.push_back(std::move(node));
    return static_cast<std::uint32_t>(program_.nodes.size() - 1);
  }

  static Node Bool(bool value) {
    Node n;
    n.kind = ExprKind::kBool;
    n.boolean = value;
    return n;
  }

 private:
  void Field(const Expr& e, Node& node) {
    node.field = lang::FindField(e.name)->id;
    node.field_op = e.field_op;
    node.op = e.op;
    for (const lang::Value& v : e.values) {
      switch (v.kind) {
        case lang::Value::Kind::kString:
        case lang::Value::Kind::kWord:
          node.strings.push_back(core::ToLowerAscii(v.text));
          break;
        case lang::Value::Kind::kNumber:
          node.numbers.push_back(v.number);
          break;
        case lang::Value::Kind::kBool:
          node.boolean = v.boolean;
          break;
      }
    }
    if (e.field_op == lang::FieldOp::kInList || e.field_op == lang::FieldOp::kNotInList) {
      node.string_set = atoms_.StringSet(e.list.value);
    }
  }

  AtomTable& atoms_;
  const Resolved& resolved_;
  Program& program_;
  bool too_large_ = false;
};

// Whether node `i` can only be true when one of `signals` fired (filled); false when it can be
// true without any.
bool Need(const eval::CompiledPack& pack, const Program& program, std::uint32_t i,
          std::vector<std::size_t>& signals) {
  const Node& node = program.nodes[i];
  const auto index = static_cast<std::size_t>(node.index);
  switch (node.kind) {
    case ExprKind::kAnd: {
      bool found = false;
      std::vector<std::size_t> best;
      for (std::uint32_t child : node.children) {
        std::vector<std::size_t> s;
        if (Need(pack, program, child, s) && (!found || s.size() < best.size())) {
          best = std::move(s);
          found = true;
        }
      }
      signals.insert(signals.end(), best.begin(), best.end());
      return found;
    }
    case ExprKind::kOr:
      for (std::uint32_t child : node.children) {
        if (!Need(pack, program, child, signals)) {
          return false;
        }
      }
      return true;
    case ExprKind::kBool:
      return !node.boolean;  // `false` needs nothing it could ever get
    case ExprKind::kContains:
      signals.push_back(pack.ContainsSignal(index));
      return true;
    case ExprKind::kRegex:
      signals.push_back(pack.RegexSignal(index));
      return true;
    case ExprKind::kMatches:
    case ExprKind::kNear:
      signals.push_back(index);
      return true;
    case ExprKind::kDetect:
      signals.push_back(pack.DetectorSignal(index));
      return true;
    case ExprKind::kCount:
      if (lang::Compare(node.op, std::int64_t{0}, node.number)) {
        return false;  // a count of zero passes
      }
      signals.push_back(node.over_terms ? index : pack.DetectorSignal(index));
      return true;
    default:
      return false;
  }
}

}  // namespace

std::unique_ptr<eval::CompiledPack> Compile(const Collection& c, const Resolved& resolved,
                                            const std::string& version,
                                            const CompileOptions& options, Diagnostics& diags) {
  if (diags.HasErrors()) {
    return nullptr;
  }
  auto pack = std::make_unique<eval::CompiledPack>();
  pack->name = c.pack.name;
  pack->version = version;
  pack->internal_domains = c.pack.internal_domains;
  pack->work_hours = c.pack.work_hours;
  pack->requires_acknowledgement = c.pack.requires_acknowledgement;
  pack->tests = c.tests;
  AtomTable atoms(resolved, *pack);
  for (const RuleDef& rule : c.rules) {
    pack->rules.push_back(rule.info);
    Program& program = pack->programs.emplace_back();
    ProgramBuilder builder(atoms, resolved, program);
    std::uint32_t root = builder.Add(*rule.condition.expr);
    if (!rule.exceptions.empty()) {
      Node any;
      any.kind = ExprKind::kOr;
      for (const ExceptionDef& e : rule.exceptions) {
        any.children.push_back(builder.Add(*e.condition.expr));
      }
      Node negated;
      negated.kind = ExprKind::kNot;
      negated.children.push_back(builder.Push(std::move(any)));
      Node both;
      both.kind = ExprKind::kAnd;
      both.children = {root, builder.Push(std::move(negated))};
      root = builder.Push(std::move(both));
    }
    program.root = root;
    if (builder.too_large()) {
      diags.Add(DiagCode::kInvalidValue, rule.info.pos, "rule condition", rule.info.id,
                "the condition has more than " + std::to_string(kMaxProgramNodes) +
                    " parts once macros are expanded");
    }
  }
  atoms.Finish(options.vectorscan, diags);
  if (diags.HasErrors()) {
    return nullptr;
  }
  pack->rules_by_signal.assign(pack->SignalCount(), {});
  for (std::uint32_t r = 0; r < pack->rules.size(); ++r) {
    if (!pack->rules[r].enabled) {
      continue;
    }
    std::vector<std::size_t> signals;
    const Program& program = pack->programs[r];
    if (!Need(*pack, program, program.root, signals)) {
      pack->always_rules.push_back(r);
      continue;
    }
    std::sort(signals.begin(), signals.end());
    signals.erase(std::unique(signals.begin(), signals.end()), signals.end());
    for (std::size_t s : signals) {
      pack->rules_by_signal[s].push_back(r);
    }
  }
  return pack;
}

}  // namespace custos::policy::loader
