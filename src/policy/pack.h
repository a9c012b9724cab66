// SPDX-License-Identifier: Apache-2.0
// A loaded, compiled policy pack: immutable, shareable between threads, evaluated once per
// message. Built only by the loader (policy.h `LoadPack`); a pack with errors is never built.
//
// Thread-safety: all methods are const and may be called concurrently; Evaluate takes a
// Vectorscan scratch from a small internal pool.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "policy/diagnostics.h"
#include "policy/eval/facts.h"
#include "policy/types.h"
#include "policy/verdict.h"

namespace custos::policy {

namespace eval {
struct CompiledPack;
}  // namespace eval

// Which messages a rule applies to. Empty lists mean "any".
struct Scope {
  enum class Hours { kAny, kWork, kOutside };

  std::vector<std::string> channels;  // lower case
  std::vector<model::Direction> directions;
  std::vector<std::string> groups;  // lower case
  Hours hours = Hours::kAny;
};

struct RuleInfo {
  std::string id;
  SourcePos pos;
  std::string clause;
  std::string description;
  std::string condition;  // as written
  Scope scope;
  Severity severity = Severity::kMedium;
  Action action = Action::kFlag;
  bool enabled = true;
  std::vector<std::string> tags;
};

// One inline test: a message and the exact set of rule ids expected to hit it.
struct TestCase {
  std::string rule_id;  // the rule whose `tests` holds it
  std::string name;
  SourcePos pos;
  Facts message;
  std::vector<std::string> expect;  // sorted
  std::optional<Action> action;
};

class Pack {
 public:
  explicit Pack(std::unique_ptr<const eval::CompiledPack> compiled);
  ~Pack();
  Pack(const Pack&) = delete;
  Pack& operator=(const Pack&) = delete;

  const std::string& Name() const;

  // The content hash of the pack's files (docs/policy-language.md §1).
  const std::string& Version() const;

  const std::vector<RuleInfo>& Rules() const;

  const std::vector<TestCase>& Tests() const;

  // The e-mail domains the pack declares as the firm's (lower case).
  const std::vector<std::string>& InternalDomains() const;

  // Whether employees are asked to acknowledge this version (`requires_acknowledgement` of the
  // pack item; docs/policy-operations.md, "Acknowledgement").
  bool RequiresAcknowledgement() const;

  // Evaluates every enabled rule against `facts`. Never fails; time and memory are linear in
  // the text size.
  Verdict Evaluate(const Facts& facts) const;

  // Evaluate(FactsFromMessage(message, {sender_group, InternalDomains()})).
  Verdict Evaluate(const model::Message& message, std::string_view sender_group = "") const;

  const eval::CompiledPack& Compiled() const { return *compiled_; }

 private:
  std::unique_ptr<const eval::CompiledPack> compiled_;
};

}  // namespace custos::policy
