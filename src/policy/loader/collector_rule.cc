// SPDX-License-Identifier: Apache-2.0
// The collector's rule items: scope, exceptions, and inline tests (with their message fields).
#include <algorithm>
#include <variant>

#include "core/text.h"
#include "core/time.h"
#include "policy/lang/lexer.h"
#include "policy/loader/collector.h"

namespace custos::policy::loader {
namespace {

bool IsRuleId(std::string_view id) {
  if (id.empty() || id.size() > 128) {
    return false;
  }
  for (std::size_t i = 0; i < id.size(); ++i) {
    const char c = id[i];
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (!alnum && (i == 0 || (c != '.' && c != '_' && c != '-'))) {
      return false;
    }
  }
  return true;
}

void CollectScope(const RawNode& node, ItemFields& parent, Scope& scope) {
  ItemFields f(node, "rule scope", parent.Name(), parent.Diags(),
               {"channels", "direction", "groups", "hours"});
  if (!f.ok()) {
    return;
  }
  if (auto channels = f.Strings("channels")) {
    for (const Named& c : *channels) {
      scope.channels.push_back(core::ToLowerAscii(c.name));
      if (!model::IsKnownChannel(scope.channels.back())) {
        f.Diags().Add(DiagCode::kUnknownChannel, c.pos, "rule scope", f.Name(),
                      "unknown channel '" + c.name +
                          "' (known: " + std::string(model::KnownChannelsList()) + ")");
      }
    }
  }
  if (auto directions = f.Strings("direction")) {
    for (const Named& d : *directions) {
      auto parsed = model::ParseDirection(d.name);
      if (!parsed) {
        f.Error(DiagCode::kInvalidValue, d.pos,
                "'" + d.name + "' is not a direction (inbound, outbound, internal)");
        continue;
      }
      scope.directions.push_back(*parsed);
    }
  }
  if (auto groups = f.Strings("groups")) {
    for (const Named& g : *groups) {
      scope.groups.push_back(core::ToLowerAscii(g.name));
    }
  }
  if (auto hours = f.String("hours")) {
    if (*hours == "work") {
      scope.hours = Scope::Hours::kWork;
    } else if (*hours == "outside") {
      scope.hours = Scope::Hours::kOutside;
    } else if (*hours == "any") {
      scope.hours = Scope::Hours::kAny;
    } else {
      f.Error(DiagCode::kInvalidValue, f.Get("hours")->pos,
              "'hours' must be work, outside or any, not '" + *hours + "'");
    }
  }
}

void CollectExceptions(const RawNode& node, ItemFields& parent, RuleDef& rule) {
  if (!node.IsSequence()) {
    parent.Error(
        DiagCode::kYamlShape, node.pos,
        "'exceptions' must be a list of {name, condition}, not " + std::string(node.KindName()));
    return;
  }
  for (const RawNode& item : node.items) {
    ItemFields f(item, "rule exception", parent.Name(), parent.Diags(), {"name", "condition"});
    if (!f.ok()) {
      continue;
    }
    ExceptionDef e;
    e.name = f.String("name", true).value_or("");
    const RawNode* condition = f.Require("condition");
    if (condition == nullptr || !f.String("condition")) {
      continue;
    }
    e.condition = ParseCondition(*condition, "rule exception", rule.info.id, parent.Diags());
    rule.exceptions.push_back(std::move(e));
  }
}

std::optional<std::int64_t> ParseSize(const RawNode& node) {
  if (!node.IsScalar()) {
    return std::nullopt;
  }
  auto lexed = lang::Lex(node.scalar);
  const auto* tokens = std::get_if<std::vector<lang::Token>>(&lexed);
  if (tokens == nullptr || tokens->size() != 2 || (*tokens)[0].kind != lang::TokenKind::kNumber) {
    return std::nullopt;
  }
  return (*tokens)[0].number;
}

void CollectAttachments(const RawNode& node, ItemFields& parent, Facts& facts) {
  if (!node.IsSequence()) {
    parent.Error(DiagCode::kYamlShape, node.pos,
                 "'attachments' must be a list of {name, mime, size}");
    return;
  }
  facts.attachments.clear();
  for (const RawNode& item : node.items) {
    ItemFields f(item, parent.Kind() + " attachment", parent.Name(), parent.Diags(),
                 {"name", "mime", "size"});
    if (!f.ok()) {
      continue;
    }
    AttachmentFacts a;
    a.name = f.String("name").value_or("");
    a.mime = core::ToLowerAscii(f.String("mime").value_or(""));
    if (const RawNode* size = f.Get("size")) {
      if (auto bytes = ParseSize(*size)) {
        a.size = *bytes;
      } else {
        f.Error(DiagCode::kInvalidValue, size->pos, "'size' must be a number of bytes (or 5MB)");
      }
    }
    facts.attachments.push_back(std::move(a));
  }
}

}  // namespace

void ApplyMessageFields(ItemFields& f, Facts& facts) {
  if (auto text = f.String("text")) {
    facts.text = *text;
  }
  if (auto channel = f.String("channel")) {
    facts.channel = core::ToLowerAscii(*channel);
  }
  if (auto direction = f.String("direction")) {
    if (auto parsed = model::ParseDirection(*direction)) {
      facts.direction = *parsed;
    } else {
      f.Error(DiagCode::kInvalidValue, f.Get("direction")->pos,
              "'" + *direction + "' is not a direction (inbound, outbound, internal)");
    }
  }
  if (auto sender = f.String("sender")) {
    facts.sender = *sender;
  }
  if (auto group = f.String("sender.group")) {
    facts.sender_group = core::ToLowerAscii(*group);
  }
  if (auto external = f.Bool("counterparty.external")) {
    facts.counterparty_external = *external;
  }
  if (auto domains = f.Strings("counterparty.domain")) {
    facts.counterparty_domains.clear();
    for (const Named& d : *domains) {
      facts.counterparty_domains.push_back(core::ToLowerAscii(d.name));
    }
  }
  if (auto time = f.String("time")) {
    auto parsed = core::ParseRfc3339(*time);
    if (parsed) {
      facts.sent_at = *parsed;
      facts.work_hours.reset();  // the time decides, unless time.work_hours is given too
    } else {
      f.Error(DiagCode::kInvalidValue, f.Get("time")->pos,
              "'time' must be an RFC 3339 time: " + parsed.error().message());
    }
  }
  if (auto work_hours = f.Bool("time.work_hours")) {
    facts.work_hours = *work_hours;
  }
  if (const RawNode* attachments = f.Get("attachments")) {
    CollectAttachments(*attachments, f, facts);
  }
  if (auto participants = f.Int("conversation.participants", 0, 1'000'000)) {
    facts.participants = *participants;
  }
}

bool CollectRule(const RawItem& item, Diagnostics& diags, RuleDef& rule) {
  ItemFields f(item.node, "rule", item.name, diags,
               {"rule", "clause", "description", "condition", "scope", "severity", "action",
                "exceptions", "tests", "enabled", "tags"});
  RuleInfo& info = rule.info;
  info.id = f.String("rule").value_or("");
  info.pos = item.node.pos;
  if (!IsRuleId(info.id)) {
    f.Error(DiagCode::kInvalidValue, item.node.members.front().second.pos,
            "a rule id must be lower case letters, digits, '.', '_' and '-', like "
            "promissory-language");
    return false;
  }
  bool good = true;
  info.clause = std::string(core::TrimAscii(f.String("clause", true).value_or("")));
  info.description = std::string(core::TrimAscii(f.String("description").value_or("")));
  for (const char* key : {"severity", "action"}) {
    const std::optional<std::string> value = f.String(key, true);
    if (!value) {
      good = false;
      continue;
    }
    const bool is_severity = std::string_view(key) == "severity";
    const auto severity = ParseSeverity(*value);
    const auto action = ParseAction(*value);
    if (is_severity ? !severity : !action) {
      f.Error(DiagCode::kInvalidValue, f.Get(key)->pos,
              is_severity ? "'severity' must be info, low, medium, high or critical"
                          : "'action' must be allow, warn, block, redact, flag or escalate");
      good = false;
    } else if (is_severity) {
      info.severity = *severity;
    } else {
      info.action = *action;
    }
  }
  if (const RawNode* scope = f.Get("scope")) {
    CollectScope(*scope, f, info.scope);
  }
  info.enabled = f.Bool("enabled").value_or(true);
  if (auto tags = f.Strings("tags")) {
    for (const Named& t : *tags) {
      info.tags.push_back(t.name);
    }
  }
  const RawNode* condition = f.Require("condition");
  if (condition == nullptr || !f.String("condition")) {
    good = false;
  } else {
    info.condition = condition->scalar;
    rule.condition = ParseCondition(*condition, "rule condition", info.id, diags);
  }
  if (const RawNode* exceptions = f.Get("exceptions")) {
    CollectExceptions(*exceptions, f, rule);
  }
  if (const RawNode* tests = f.Get("tests")) {
    if (tests->IsSequence()) {
      rule.tests = tests->items;
    } else {
      f.Error(DiagCode::kYamlShape, tests->pos, "'tests' must be a list of test messages");
    }
  }
  if (rule.tests.empty() && info.enabled) {
    diags.Add(DiagCode::kNoTests, info.pos, "rule", info.id, "the rule has no inline tests");
  }
  // A rule with errors is kept, so that its condition is still checked and its id still
  // counts for duplicates; the errors already prevent the pack from compiling.
  return good || !info.id.empty();
}

void CollectTests(const RuleDef& rule, const Facts& defaults, Diagnostics& diags,
                  std::vector<TestCase>& out) {
  int n = 0;
  for (const RawNode& node : rule.tests) {
    ++n;
    ItemFields f(node, "rule test", rule.info.id, diags,
                 {"name", "text", "channel", "direction", "sender", "sender.group",
                  "counterparty.external", "counterparty.domain", "time", "time.work_hours",
                  "attachments", "conversation.participants", "expect", "action"});
    if (!f.ok()) {
      continue;
    }
    TestCase test;
    test.rule_id = rule.info.id;
    test.pos = node.pos;
    test.name = f.String("name").value_or(rule.info.id + " #" + std::to_string(n));
    test.message = defaults;
    ApplyMessageFields(f, test.message);
    const RawNode* expect = f.Require("expect");
    if (expect == nullptr) {
      continue;
    }
    auto ids = f.Strings("expect");
    if (!ids) {
      continue;
    }
    for (const Named& id : *ids) {
      test.expect.push_back(id.name);
    }
    std::sort(test.expect.begin(), test.expect.end());
    if (auto action = f.String("action")) {
      test.action = ParseAction(*action);
      if (!test.action) {
        f.Error(DiagCode::kInvalidValue, f.Get("action")->pos,
                "'action' must be allow, warn, block, redact, flag or escalate");
      }
    }
    out.push_back(std::move(test));
  }
}

}  // namespace custos::policy::loader
