// SPDX-License-Identifier: Apache-2.0
#include "policy/pack.h"

#include "policy/eval/compiled.h"

namespace custos::policy {

Pack::Pack(std::unique_ptr<const eval::CompiledPack> compiled) : compiled_(std::move(compiled)) {}

Pack::~Pack() = default;

const std::string& Pack::Name() const { return compiled_->name; }

const std::string& Pack::Version() const { return compiled_->version; }

const std::vector<RuleInfo>& Pack::Rules() const { return compiled_->rules; }

const std::vector<TestCase>& Pack::Tests() const { return compiled_->tests; }

const std::vector<std::string>& Pack::InternalDomains() const {
  return compiled_->internal_domains;
}

bool Pack::RequiresAcknowledgement() const { return compiled_->requires_acknowledgement; }

Verdict Pack::Evaluate(const Facts& facts) const { return eval::Evaluate(*compiled_, facts); }

Verdict Pack::Evaluate(const model::Message& message, std::string_view sender_group) const {
  return Evaluate(FactsFromMessage(
      message, MessageContext{std::string(sender_group), compiled_->internal_domains}));
}

}  // namespace custos::policy
