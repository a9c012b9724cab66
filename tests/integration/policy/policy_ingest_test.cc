// SPDX-License-Identifier: Apache-2.0
// The policy engine in the ingest spine, on a real data directory: verdicts committed with
// their messages, blocked outbound messages archived as blocked, history recorded but never
// blocked, packs applied (and refused) with their records, and the pack in force surviving a
// restart.
#include <cstdlib>
#include <filesystem>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "app/custos.h"
#include "testing/temp_dir.h"

namespace custos::app {
namespace {

namespace fs = std::filesystem;

std::string SourceDir() {
  const char* dir = std::getenv("CUSTOS_SOURCE_DIR");
  return dir != nullptr ? dir : ".";
}

std::string SmallPack() { return SourceDir() + "/tests/data/policy/small"; }

model::Message Msg(std::string source_id, std::string text,
                   model::Direction direction = model::Direction::kOutbound) {
  model::Message m;
  m.source = "test";
  m.source_id = std::move(source_id);
  m.channel = "whatsapp";
  m.conversation = "client-42";
  m.from = "+447700900123";
  m.to = {"+447700900456"};
  m.sent_at = 1'790'000'000'000'000;
  m.direction = direction;
  m.text = std::move(text);
  return m;
}

std::unique_ptr<Custos> OpenWithPack(const std::string& dir, const std::string& pack) {
  OpenOptions options;
  options.data_dir = dir;
  options.default_policy_pack = pack;
  auto c = Custos::Open(options);
  EXPECT_TRUE(c.has_value()) << c.error().ToString();
  return c.has_value() ? std::move(c).value() : nullptr;
}

TEST(PolicyIngest, BlocksOutboundCardNumbersAndArchivesThemAsBlocked) {
  testing::TempDir dir;
  auto custos = OpenWithPack(dir.Path(), SmallPack());
  ASSERT_NE(custos, nullptr);
  auto out =
      custos->ingest().Ingest({Msg("1", "card 4111 1111 1111 1111"), Msg("2", "hello"),
                               Msg("3", "card 4111 1111 1111 1111", model::Direction::kInbound)});
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0].status, IngestStatus::kBlocked);
  EXPECT_GT(out[0].id, 0);
  EXPECT_NE(out[0].error.find("5.1 Payment card numbers"), std::string::npos) << out[0].error;
  EXPECT_EQ(out[1].status, IngestStatus::kAccepted);
  EXPECT_TRUE(out[1].verdict.hits.empty());
  // Inbound: the rule is scoped to outbound; nothing hits, nothing is blocked.
  EXPECT_EQ(out[2].status, IngestStatus::kAccepted);

  // The blocked message is in the archive, with its verdict record.
  auto stored = custos->store().Get(out[0].id);
  ASSERT_TRUE(stored.has_value() && stored->has_value());
  EXPECT_EQ((*stored)->text, "card 4111 1111 1111 1111");
  auto verdict = custos->policy().VerdictOf(out[0].id);
  ASSERT_TRUE(verdict.has_value() && verdict->has_value());
  const nlohmann::json v = nlohmann::json::parse(**verdict);
  EXPECT_EQ(v["action"], "block");
  EXPECT_EQ(v["blocked"], true);
  EXPECT_EQ(v["pack_version"], custos->policy().current()->Version());
  ASSERT_EQ(v["hits"].size(), 1u);
  EXPECT_EQ(v["hits"][0]["rule"], "data.card");
  EXPECT_EQ(v["hits"][0]["evidence"][0]["masked"], true);
  // The card number itself is masked in the verdict.
  EXPECT_EQ((**verdict).find("4111 1111 1111 1111"), std::string::npos) << **verdict;
  auto none = custos->policy().VerdictOf(out[1].id);
  ASSERT_TRUE(none.has_value());
  EXPECT_FALSE(none->has_value());
}

TEST(PolicyIngest, HistoryIsRecordedButNeverBlocked) {
  testing::TempDir dir;
  auto custos = OpenWithPack(dir.Path(), SmallPack());
  ASSERT_NE(custos, nullptr);
  auto out =
      custos->ingest().Ingest({Msg("1", "card 4111 1111 1111 1111")}, Enforcement::kRecordOnly);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].status, IngestStatus::kAccepted);
  EXPECT_EQ(out[0].verdict.action, policy::Action::kBlock);
  auto verdict = custos->policy().VerdictOf(out[0].id);
  ASSERT_TRUE(verdict.has_value() && verdict->has_value());
  EXPECT_EQ(nlohmann::json::parse(**verdict)["blocked"], false);
}

TEST(PolicyIngest, RedactAndFlagVerdictsAreCommittedWithTheMessage) {
  testing::TempDir dir;
  auto custos = OpenWithPack(dir.Path(), SmallPack());
  ASSERT_NE(custos, nullptr);
  auto out = custos->ingest().Ingest(
      {Msg("1", "wire it to GB82 WEST 1234 5698 7654 32, a guaranteed return")});
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].status, IngestStatus::kAccepted);
  EXPECT_EQ(out[0].verdict.action, policy::Action::kRedact);
  auto verdict = custos->policy().VerdictOf(out[0].id);
  ASSERT_TRUE(verdict.has_value() && verdict->has_value());
  const nlohmann::json v = nlohmann::json::parse(**verdict);
  ASSERT_EQ(v["hits"].size(), 2u);
  EXPECT_EQ(v["severity"], "high");
  const std::string ids =
      v["hits"][0]["rule"].get<std::string>() + " " + v["hits"][1]["rule"].get<std::string>();
  EXPECT_NE(ids.find("data.iban-redact"), std::string::npos);
  EXPECT_NE(ids.find("promissory.guarantee"), std::string::npos);
}

TEST(PolicyIngest, APackIsRecordedOnceAndRefusedPacksNeverReplaceTheRunningOne) {
  testing::TempDir dir;
  auto custos = OpenWithPack(dir.Path(), SmallPack());
  ASSERT_NE(custos, nullptr);
  const std::string version = custos->policy().current()->Version();
  EXPECT_TRUE(fs::is_symlink(dir.Path() + "/policy/active"));

  // Applying the same pack again writes no second record.
  auto again = custos->policy().ApplyDir(SmallPack(), "test");
  ASSERT_TRUE(again.has_value()) << again.error().ToString();
  EXPECT_EQ(again->record_id, 0);
  EXPECT_FALSE(again->changed);

  // A pack with errors is refused with every diagnostic; the running pack stays.
  auto broken = custos->policy().ApplyDir(SourceDir() + "/tests/data/policy/broken", "test");
  ASSERT_FALSE(broken.has_value());
  EXPECT_EQ(broken.error().code(), core::StatusCode::kInvalidArgument);
  EXPECT_NE(broken.error().message().find("rules/rules.yaml:"), std::string::npos)
      << broken.error().message();
  EXPECT_NE(broken.error().message().find("no_such_list"), std::string::npos);
  EXPECT_EQ(custos->policy().current()->Version(), version);

  // A pack whose own tests fail is refused too.
  auto failing = custos->policy().ApplyFiles(
      {{"pack.yaml", "- pack: failing\n  required_engine_version: 1\n"},
       {"rules.yaml",
        "- rule: r\n  clause: \"x\"\n  condition: text contains \"alpha\"\n  severity: low\n"
        "  action: flag\n  tests:\n    - text: \"beta\"\n      expect: [r]\n"}},
      "api", "test");
  ASSERT_FALSE(failing.has_value());
  EXPECT_NE(failing.error().message().find("fails its own tests"), std::string::npos)
      << failing.error().message();
  EXPECT_EQ(custos->policy().current()->Version(), version);

  // A good pack from the API replaces it, is recorded, and is in force after a restart.
  auto applied = custos->policy().ApplyFiles(
      {{"pack.yaml", "- pack: other\n  required_engine_version: 1\n"},
       {"rules.yaml",
        "- rule: r\n  clause: \"x\"\n  condition: text contains \"alpha\"\n  severity: low\n"
        "  action: flag\n  tests:\n    - text: \"alpha\"\n      expect: [r]\n"}},
      "api", "test");
  ASSERT_TRUE(applied.has_value()) << applied.error().ToString();
  EXPECT_GT(applied->record_id, 0);
  EXPECT_TRUE(applied->changed);
  EXPECT_NE(applied->version, version);
  auto out = custos->ingest().Ingest({Msg("1", "alpha")});
  EXPECT_EQ(out[0].verdict.RuleIds(), std::vector<std::string>{"r"});
  custos.reset();

  auto reopened = OpenWithPack(dir.Path(), SmallPack());
  ASSERT_NE(reopened, nullptr);
  EXPECT_EQ(reopened->policy().current()->Version(), applied->version);
  auto recorded = reopened->policy().LatestRecordedPack();
  ASSERT_TRUE(recorded.has_value());
  EXPECT_EQ((*recorded)->Version(), applied->version);
}

// Device rules are the devices/ part of the pack: checked before the pack is applied, and in
// force for the device service as soon as it is.
TEST(PolicyIngest, DeviceRulesFollowThePackInForce) {
  testing::TempDir dir;
  auto custos = OpenWithPack(dir.Path(), SmallPack());
  ASSERT_NE(custos, nullptr);
  const std::string version = custos->policy().current()->Version();
  const std::string pack = "- pack: with-devices\n  required_engine_version: 1\n";

  auto broken = custos->policy().ApplyFiles(
      {{"pack.yaml", pack}, {"devices/policy.yaml", "id: p\nrules: [{id: x, control: nope}]\n"}},
      "api", "test");
  ASSERT_FALSE(broken.has_value());
  EXPECT_NE(broken.error().message().find("devices/policy.yaml"), std::string::npos)
      << broken.error().message();
  EXPECT_EQ(custos->policy().current()->Version(), version);

  auto two = custos->policy().ApplyFiles({{"pack.yaml", pack},
                                          {"devices/a.yaml", "id: a\nname: A\nrules: []\n"},
                                          {"devices/b.yaml", "id: b\nname: B\nrules: []\n"}},
                                         "api", "test");
  ASSERT_FALSE(two.has_value());
  EXPECT_NE(two.error().message().find("one device policy per pack"), std::string::npos);

  auto applied = custos->policy().ApplyFiles(
      {{"pack.yaml", pack},
       {"devices/policy.yaml", "id: strict-devices\nversion: 7\nname: Strict\nrules: []\n"}},
      "api", "test");
  ASSERT_TRUE(applied.has_value()) << applied.error().ToString();
  EXPECT_EQ(custos->devices().policy()->id, "strict-devices");
  EXPECT_EQ(custos->devices().policy()->version, 7);
}

TEST(PolicyIngest, PackFilesMustStayInsideThePack) {
  testing::TempDir dir;
  auto custos = OpenWithPack(dir.Path(), SmallPack());
  ASSERT_NE(custos, nullptr);
  for (const char* path : {"../evil.yaml", "/etc/passwd", "a/../../b.yaml", ".hidden.yaml"}) {
    auto r = custos->policy().ApplyFiles({{path, "- pack: x\n"}}, "api", "test");
    ASSERT_FALSE(r.has_value()) << path;
    EXPECT_EQ(r.error().code(), core::StatusCode::kInvalidArgument);
  }
  EXPECT_FALSE(fs::exists(dir.Path() + "/evil.yaml"));
}

}  // namespace
}  // namespace custos::app
