// SPDX-License-Identifier: Apache-2.0
// The compiled form of a pack, built by loader/compiler.cc and read by the evaluator:
//
//   terms      every lexicon term, in its text/folded/leet forms with wildcard and script flags;
//   term sets  what a condition names as a term: a list (flattened) or one string;
//   literals   per view, the distinct strings to find; each maps to the terms (and, in the
//              text view, `contains` strings) it stands for; one literal matcher per view;
//   regexes    `text regex` patterns, one Vectorscan database;
//   detectors  the built-in and custom detectors rules use;
//   programs   one per rule: the condition with macros expanded, references resolved;
//   signals    term sets, contains strings, regexes and detectors as "atoms"; rules indexed by
//              the atoms they need, plus the rules that can hit without any atom.
// Thread-safety: immutable after construction.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "policy/detectors/detector.h"
#include "policy/eval/custom_detector.h"
#include "policy/eval/facts.h"
#include "policy/eval/matchers.h"
#include "policy/eval/normalizer.h"
#include "policy/eval/scratch_pool.h"
#include "policy/lang/ast.h"
#include "policy/lang/fields.h"
#include "policy/pack.h"

namespace custos::policy::eval {

inline constexpr std::size_t kMaxOccurrencesPerAtom = 100'000;

struct Term {
  std::string forms[kViewCount];  // leet form empty unless the term is leet-enabled
  bool prefix_wild = false;       // "*word": the first word may have a prefix
  bool suffix_wild = false;       // "word*": the last word may continue
  bool unspaced_start = false;    // starts with a CJK (unspaced-script) character
  bool unspaced_end = false;
};

struct TermSet {
  std::string label;  // "list:NAME" or the quoted string
  std::vector<std::uint32_t> terms;
};

// What a literal of one view stands for.
struct LiteralTarget {
  bool contains = false;  // a `text contains` string (text view only) or a term
  std::uint32_t id = 0;
};

struct Node {
  lang::ExprKind kind = lang::ExprKind::kBool;
  std::vector<std::uint32_t> children;
  bool boolean = false;
  std::int32_t index = -1;   // kContains: contains id; kRegex: regex id; kMatches, kNear (a),
                             // kCount over a term: term set; kDetect, kCount: detector
  std::int32_t index2 = -1;  // kNear: term set b
  std::int64_t number = 0;
  bool ordered = false;
  bool over_terms = false;  // kCount: over a term set rather than a detector
  std::optional<lang::CompareOp> level_op;
  Confidence level = Confidence::kLow;
  lang::CompareOp op = lang::CompareOp::kEq;
  lang::FieldId field = lang::FieldId::kChannel;
  lang::FieldOp field_op = lang::FieldOp::kBare;
  std::vector<std::string> strings;  // lower case
  std::vector<std::int64_t> numbers;
  std::int32_t string_set = -1;  // `in list:NAME`
};

struct Program {
  std::vector<Node> nodes;
  std::uint32_t root = 0;
};

struct CompiledPack {
  // First, so that it outlives the databases and matchers that lease scratch from it.
  std::unique_ptr<ScratchPool> scratch = std::make_unique<ScratchPool>();

  std::string name;
  std::string version;
  std::vector<std::string> internal_domains;
  bool requires_acknowledgement = false;
  WorkHours work_hours;
  std::vector<RuleInfo> rules;
  std::vector<Program> programs;  // one per rule
  std::vector<TestCase> tests;

  std::vector<Term> terms;
  std::vector<TermSet> term_sets;
  std::vector<std::vector<std::uint32_t>> term_to_sets;
  std::vector<std::string> contains;                  // text-view forms
  std::vector<std::string> regexes;                   // as written
  std::vector<bool> regex_spans;                      // start offsets available
  std::vector<std::vector<std::string>> string_sets;  // lower-cased list terms for `in list:`

  std::vector<std::vector<LiteralTarget>> literal_targets[kViewCount];
  std::unique_ptr<LiteralMatcher> literal_matchers[kViewCount];
  std::unique_ptr<RegexSet> regex_set;
  bool any_leet = false;

  std::vector<std::unique_ptr<CustomDetector>> custom_detectors;
  std::vector<const Detector*> detectors;  // those rules use; Node::index points here
  std::vector<bool> detector_masks;        // show hits masked

  // Signals: [term sets | contains | regexes | detectors].
  std::vector<std::vector<std::uint32_t>> rules_by_signal;
  std::vector<std::uint32_t> always_rules;  // enabled rules that can hit without any signal

  std::size_t ContainsSignal(std::size_t i) const { return term_sets.size() + i; }

  std::size_t RegexSignal(std::size_t i) const { return term_sets.size() + contains.size() + i; }

  std::size_t DetectorSignal(std::size_t i) const {
    return term_sets.size() + contains.size() + regexes.size() + i;
  }

  std::size_t SignalCount() const { return DetectorSignal(detectors.size()); }
};

// Evaluates `facts` against `pack` (evaluator.cc).
Verdict Evaluate(const CompiledPack& pack, const Facts& facts);

}  // namespace custos::policy::eval
