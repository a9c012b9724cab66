// SPDX-License-Identifier: Apache-2.0
#include "policy/policy.h"

#include <fstream>
#include <thread>

#include <gtest/gtest.h>

#include "policy/eval/compiled.h"
#include "testing/temp_dir.h"

namespace custos::policy {
namespace {

constexpr const char* kPack = R"(
- pack: p
  internal_domains: [acme.example]
- rule: no-x
  clause: "1.1 No x to clients"
  condition: text contains "x" and counterparty.external
  severity: high
  action: block
  tests:
    - {text: "x", expect: [no-x]}
- rule: sales-only
  clause: "1.2 Sales desk"
  condition: sender.group == sales
  severity: info
  action: allow
  tests:
    - {text: "hi", expect: []}
)";

model::Message Outbound(std::string text, std::vector<std::string> to) {
  model::Message m;
  m.channel = "WhatsApp";
  m.from = "trader@acme.example";
  m.to = std::move(to);
  m.direction = model::Direction::kOutbound;
  m.text = std::move(text);
  return m;
}

TEST(RunPackTests, ReportsFailuresWithTheirPosition) {
  const LoadResult r = LoadPackFromFiles({{"p.yaml", R"(
- rule: r
  clause: c
  condition: text contains "x"
  severity: low
  action: warn
  tests:
    - {name: passes, text: "x", expect: [r]}
    - {name: wrong set, text: "y", expect: [r]}
    - {name: wrong action, text: "x", expect: [r], action: block}
)"}});
  ASSERT_TRUE(r.ok()) << r.diagnostics.ToText();
  const TestReport report = RunPackTests(*r.pack);
  EXPECT_EQ(report.passed, 1);
  ASSERT_EQ(report.failures.size(), 2u);
  EXPECT_EQ(report.ToText(),
            "p.yaml:9:7: test 'wrong set' of rule 'r': expected [r] got []\n"
            "p.yaml:10:7: test 'wrong action' of rule 'r': expected action block got warn\n"
            "1 passed, 2 failed\n");
  EXPECT_NE(report.ToJson().find("\"test\":\"wrong set\",\"file\":\"p.yaml\",\"line\":9"),
            std::string::npos)
      << report.ToJson();
}

TEST(PackItem, RequiresAcknowledgementOnlyWhenItSaysSo) {
  const LoadResult plain = LoadPackFromFiles({{"p.yaml", kPack}});
  ASSERT_TRUE(plain.ok()) << plain.diagnostics.ToText();
  EXPECT_FALSE(plain.pack->RequiresAcknowledgement());

  const LoadResult asked =
      LoadPackFromFiles({{"p.yaml", "- pack: p\n  requires_acknowledgement: true\n"}});
  ASSERT_TRUE(asked.ok()) << asked.diagnostics.ToText();
  EXPECT_TRUE(asked.pack->RequiresAcknowledgement());
  // The setting is part of the pack's files, so of its version.
  EXPECT_NE(asked.version, LoadPackFromFiles({{"p.yaml", "- pack: p\n"}}).version);

  const LoadResult bad =
      LoadPackFromFiles({{"p.yaml", "- pack: p\n  requires_acknowledgement: yes please\n"}});
  EXPECT_FALSE(bad.ok());
  EXPECT_NE(bad.diagnostics.ToText().find("'requires_acknowledgement' must be true or false"),
            std::string::npos)
      << bad.diagnostics.ToText();
}

TEST(PolicyEngine, EvaluatesMessagesWithTheRunningPack) {
  Engine engine;
  EXPECT_EQ(engine.Evaluate(Outbound("x", {"client@gmail.com"})).action, Action::kAllow);
  const LoadResult r = LoadPackFromFiles({{"p.yaml", kPack}});
  ASSERT_TRUE(r.ok()) << r.diagnostics.ToText();
  ASSERT_TRUE(engine.Apply(r.pack).ok());
  const Verdict external = engine.Evaluate(Outbound("x", {"client@gmail.com"}));
  EXPECT_EQ(external.RuleIds(), std::vector<std::string>{"no-x"});
  EXPECT_EQ(external.pack_version, r.version);
  EXPECT_TRUE(engine.Evaluate(Outbound("x", {"ops@ACME.example"})).hits.empty());
  engine.SetGroupLookup(
      [](const model::Message& m) { return m.from == "trader@acme.example" ? "Sales" : ""; });
  EXPECT_EQ(engine.Evaluate(Outbound("hello", {"ops@acme.example"})).RuleIds(),
            std::vector<std::string>{"sales-only"});
}

TEST(PolicyEngine, NeverReplacesThePackWithOneThatFailsToLoadOrFailsItsTests) {
  Engine engine;
  const LoadResult good = LoadPackFromFiles({{"p.yaml", kPack}});
  ASSERT_TRUE(engine.Apply(good.pack).ok());
  const LoadResult failing = LoadPackFromFiles({{"p.yaml", R"(
- rule: r
  clause: c
  condition: text contains "x"
  severity: low
  action: warn
  tests: [{text: "y", expect: [r]}]
)"}});
  ASSERT_TRUE(failing.ok());
  const core::Status status = engine.Apply(failing.pack);
  EXPECT_EQ(status.code(), core::StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("expected [r] got []"), std::string::npos) << status.message();
  EXPECT_EQ(engine.Current(), good.pack);

  testing::TempDir dir;
  std::ofstream(dir.File("bad.yaml")) << "- rule: r\n  condition: text contains\n";
  LoadResult result;
  EXPECT_FALSE(engine.ApplyDir(dir.Path(), &result).ok());
  EXPECT_TRUE(result.diagnostics.HasErrors());
  EXPECT_EQ(engine.Current(), good.pack);
}

TEST(PolicyEngine, IngestHookRejectsOnlyBlockedOutboundMessages) {
  Engine engine;
  ASSERT_TRUE(engine.Apply(LoadPackFromFiles({{"p.yaml", kPack}}).pack).ok());
  int seen = 0;
  auto hook = engine.IngestHook([&](const model::Message&, const Verdict&) { ++seen; });
  const core::Status blocked = hook(Outbound("x", {"client@gmail.com"}));
  EXPECT_EQ(blocked.code(), core::StatusCode::kPermissionDenied);
  EXPECT_NE(blocked.message().find("no-x: 1.1 No x to clients"), std::string::npos);
  EXPECT_TRUE(hook(Outbound("fine", {"client@gmail.com"})).ok());
  model::Message inbound = Outbound("x", {"trader@acme.example"});
  inbound.from = "client@gmail.com";
  inbound.direction = model::Direction::kInbound;
  EXPECT_TRUE(hook(inbound).ok());  // recorded, never refused: it has already arrived
  EXPECT_EQ(seen, 3);
}

TEST(PolicyEngine, EvaluatesConcurrentlyWithTheSameResults) {
  const LoadResult r = LoadPack(CUSTOS_DEFAULT_PACK_DIR);
  ASSERT_TRUE(r.ok()) << r.diagnostics.ToText();
  const std::vector<std::string> texts = {"guaranteed returns",
                                          "card 4111 1111 1111 1111",
                                          "f u c k",
                                          "let's move this to Signal",
                                          "nothing to see",
                                          "sh1t \xEF\xBC\xA6\xEF\xBC\xB5\xEF\xBC\xA3\xEF\xBC\xAB"};
  std::vector<std::string> expected;
  for (const std::string& t : texts) {
    Facts f;
    f.text = t;
    expected.push_back(r.pack->Evaluate(f).ToJson());
  }
  std::vector<std::thread> threads;
  std::vector<int> mismatches(4, 0);
  for (int k = 0; k < 4; ++k) {
    threads.emplace_back([&, k] {
      for (int round = 0; round < 100; ++round) {
        for (std::size_t i = 0; i < texts.size(); ++i) {
          Facts f;
          f.text = texts[i];
          mismatches[static_cast<std::size_t>(k)] += r.pack->Evaluate(f).ToJson() != expected[i];
        }
      }
    });
  }
  for (std::thread& t : threads) {
    t.join();
  }
  EXPECT_EQ(mismatches, std::vector<int>(4, 0));
}

TEST(PolicyEngine, RulesAreIndexedByTheAtomsTheyNeed) {
  const LoadResult r = LoadPackFromFiles({{"p.yaml", R"(
- rule: text-only
  clause: c
  condition: text contains "a" and not sender.group == ops
  severity: low
  action: warn
- rule: either
  clause: c
  condition: text contains "b" or detect(email)
  severity: low
  action: warn
- rule: fields
  clause: c
  condition: attachment.count > 0 or not text contains "c"
  severity: low
  action: warn
- rule: never
  clause: c
  condition: false and channel == sms
  severity: low
  action: warn
)"}});
  ASSERT_TRUE(r.ok()) << r.diagnostics.ToText();
  const eval::CompiledPack& pack = r.pack->Compiled();
  EXPECT_EQ(pack.always_rules, std::vector<std::uint32_t>{2});
  std::size_t indexed = 0;
  for (const auto& rules : pack.rules_by_signal) {
    indexed += rules.size();
  }
  EXPECT_EQ(indexed, 3u);  // text-only once, either twice, never not at all
}

}  // namespace
}  // namespace custos::policy
