// SPDX-License-Identifier: Apache-2.0
#include "policy/eval/field_eval.h"

#include <algorithm>

#include "core/text.h"
#include "policy/eval/unicode.h"

namespace custos::policy::eval {
namespace {

using lang::FieldId;
using lang::FieldOp;

std::int64_t CodePoints(std::string_view s) {
  std::int64_t n = 0;
  for (char c : s) {
    n += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
  }
  return n;
}

bool Contains(const std::vector<std::string>& set, std::string_view value) {
  return std::find(set.begin(), set.end(), value) != set.end();
}

bool TestString(const CompiledPack& pack, const Node& node, std::string_view raw) {
  const std::string value = core::ToLowerAscii(raw);
  const std::string& operand = node.strings.empty() ? value : node.strings[0];
  switch (node.field_op) {
    case FieldOp::kCompare:
      return lang::Compare(node.op, value, operand);
    case FieldOp::kIn:
      return Contains(node.strings, value);
    case FieldOp::kNotIn:
      return !Contains(node.strings, value);
    case FieldOp::kInList:
      return Contains(pack.string_sets[static_cast<std::size_t>(node.string_set)], value);
    case FieldOp::kNotInList:
      return !Contains(pack.string_sets[static_cast<std::size_t>(node.string_set)], value);
    case FieldOp::kContains:
      return value.find(operand) != std::string::npos;
    case FieldOp::kStartsWith:
      return value.starts_with(operand);
    case FieldOp::kEndsWith:
      return value.ends_with(operand);
    case FieldOp::kGlob:
      return GlobMatch(operand, value);
    case FieldOp::kBare:
      break;
  }
  return false;
}

bool TestNumber(const Node& node, std::int64_t value) {
  switch (node.field_op) {
    case FieldOp::kCompare:
      return lang::Compare(node.op, value, node.numbers.at(0));
    case FieldOp::kIn:
      return std::find(node.numbers.begin(), node.numbers.end(), value) != node.numbers.end();
    case FieldOp::kNotIn:
      return std::find(node.numbers.begin(), node.numbers.end(), value) == node.numbers.end();
    default:
      return false;
  }
}

bool TestBool(const Node& node, bool value) {
  if (node.field_op == FieldOp::kBare) {
    return value;
  }
  return lang::Compare(node.op, value, node.boolean);
}

}  // namespace

bool GlobMatch(std::string_view pattern, std::string_view text) {
  std::size_t p = 0;
  std::size_t t = 0;
  std::size_t star = std::string_view::npos;
  std::size_t mark = 0;
  while (t < text.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == text[t])) {
      ++p;
      ++t;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') {
    ++p;
  }
  return p == pattern.size();
}

bool InWorkHours(const CompiledPack& pack, const Facts& facts) {
  if (facts.work_hours) {
    return *facts.work_hours;
  }
  return !facts.sent_at || pack.work_hours.Contains(*facts.sent_at);
}

bool EvalField(const CompiledPack& pack, const Facts& facts, const Node& node) {
  auto any_string = [&](const auto& values, auto get) {
    return std::any_of(values.begin(), values.end(),
                       [&](const auto& v) { return TestString(pack, node, get(v)); });
  };
  switch (node.field) {
    case FieldId::kChannel:
      return TestString(pack, node, facts.channel);
    case FieldId::kDirection:
      return TestString(pack, node, model::DirectionName(facts.direction));
    case FieldId::kSender:
      return TestString(pack, node, facts.sender);
    case FieldId::kSenderGroup:
      return TestString(pack, node, facts.sender_group);
    case FieldId::kCounterpartyExternal:
      return TestBool(node, facts.counterparty_external);
    case FieldId::kCounterpartyDomain:
      return any_string(facts.counterparty_domains,
                        [](const std::string& d) -> std::string_view { return d; });
    case FieldId::kTimeWorkHours:
      return TestBool(node, InWorkHours(pack, facts));
    case FieldId::kTimeHour:
      return facts.sent_at && TestNumber(node, pack.work_hours.ToLocal(*facts.sent_at).hour);
    case FieldId::kTimeWeekday:
      return facts.sent_at && TestString(pack, node,
                                         lang::WeekdayWords()[static_cast<std::size_t>(
                                             pack.work_hours.ToLocal(*facts.sent_at).weekday)]);
    case FieldId::kAttachmentMime:
      return any_string(facts.attachments,
                        [](const AttachmentFacts& a) -> std::string_view { return a.mime; });
    case FieldId::kAttachmentName:
      return any_string(facts.attachments,
                        [](const AttachmentFacts& a) -> std::string_view { return a.name; });
    case FieldId::kAttachmentSize:
      return std::any_of(facts.attachments.begin(), facts.attachments.end(),
                         [&](const AttachmentFacts& a) { return TestNumber(node, a.size); });
    case FieldId::kAttachmentCount:
      return TestNumber(node, static_cast<std::int64_t>(facts.attachments.size()));
    case FieldId::kMessageLength:
      return TestNumber(node, CodePoints(facts.text));
    case FieldId::kConversationParticipants:
      return TestNumber(node, facts.participants);
  }
  return false;
}

bool InScope(const CompiledPack& pack, const Scope& scope, const Facts& facts) {
  if (!scope.channels.empty() && !Contains(scope.channels, core::ToLowerAscii(facts.channel))) {
    return false;
  }
  if (!scope.directions.empty() && std::find(scope.directions.begin(), scope.directions.end(),
                                             facts.direction) == scope.directions.end()) {
    return false;
  }
  if (!scope.groups.empty() && !Contains(scope.groups, core::ToLowerAscii(facts.sender_group))) {
    return false;
  }
  switch (scope.hours) {
    case Scope::Hours::kWork:
      return InWorkHours(pack, facts);
    case Scope::Hours::kOutside:
      return !InWorkHours(pack, facts);
    case Scope::Hours::kAny:
      break;
  }
  return true;
}

}  // namespace custos::policy::eval
