// SPDX-License-Identifier: Apache-2.0
// The collector's output (falco's rule_loader collector stage): every item of a pack checked
// for shape and turned into a typed definition, still with positions, before conditions are
// resolved and compiled. Names are unique per kind once collected.
// Thread-safety: plain values.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "model/message.h"
#include "policy/detectors/detector.h"
#include "policy/diagnostics.h"
#include "policy/eval/facts.h"
#include "policy/lang/ast.h"
#include "policy/loader/raw.h"
#include "policy/pack.h"
#include "policy/types.h"

namespace custos::policy::loader {

struct Named {
  std::string name;
  SourcePos pos;
};

struct TermDef {
  std::string text;
  SourcePos pos;
};

struct ListDef {
  std::string name;
  SourcePos pos;
  std::string description;
  std::string language;
  std::vector<TermDef> terms;  // from items and files, in order
  std::vector<Named> includes;
  bool leet = false;
};

// A condition as written (the scalar, for positions) and as parsed (null after a syntax error).
struct ConditionDef {
  RawNode node;
  lang::ExprPtr expr;
};

struct MacroDef {
  std::string name;
  SourcePos pos;
  std::string description;
  ConditionDef condition;
};

struct DetectorDef {
  std::string name;
  SourcePos pos;
  std::string description;
  std::optional<RawNode> pattern;  // the scalar
  std::optional<Named> based_on;
  std::optional<Named> validator;
  std::vector<std::string> keywords;
  std::size_t window = kDefaultKeywordWindow;
  ConfidenceTable confidence;
  bool mask = true;
};

struct ExceptionDef {
  std::string name;
  ConditionDef condition;
};

struct RuleDef {
  RuleInfo info;
  ConditionDef condition;
  std::vector<ExceptionDef> exceptions;
  std::vector<RawNode> tests;  // converted once the pack's test defaults are known
};

struct PackDef {
  std::string name;
  SourcePos pos;
  std::string description;
  int engine_version = 1;
  WorkHours work_hours;
  std::vector<std::string> internal_domains;  // lower case
  bool requires_acknowledgement = false;      // employees acknowledge this version
  std::optional<RawNode> test_defaults;
};

struct Collection {
  PackDef pack;
  std::vector<ListDef> lists;
  std::vector<MacroDef> macros;
  std::vector<DetectorDef> detectors;
  std::vector<RuleDef> rules;
  std::vector<TestCase> tests;  // every rule's inline tests, in rule order
};

}  // namespace custos::policy::loader
