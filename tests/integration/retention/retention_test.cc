// SPDX-License-Identifier: Apache-2.0
// Retention and legal holds through app::Custos: classes from DIR/custos.yaml, dry runs,
// crypto-shredding, the full-text index, reads of disposed messages, holds of each scope.
#include <fstream>

#include <gtest/gtest.h>

#include "app/custos.h"
#include "testing/fake_clock.h"
#include "testing/temp_dir.h"

namespace custos::app {
namespace {

constexpr core::Micros kDay = 86'400 * core::kMicrosPerSecond;

constexpr std::string_view kConfig = R"y(retention:
  default_period: 1y
  default_legal_basis: firm default
  schedule: "off"
  batch_size: 2
  classes:
    - name: sms-short
      period: 90d
      legal_basis: GDPR Art. 5(1)(e)
      channels: [sms]
)y";

class RetentionServiceTest : public ::testing::Test {
 protected:
  void SetUp() override { Open(kConfig); }

  void Open(std::string_view config) {
    custos_.reset();
    std::ofstream(dir_.File("custos.yaml")) << config;
    auto c = Custos::Open({dir_.Path(), false, &clock_});
    ASSERT_TRUE(c.has_value()) << c.error().ToString();
    custos_ = std::move(c).value();
  }

  std::int64_t Add(std::string id, std::string channel, core::Micros age, std::string text,
                   std::string conversation = "conv", std::string from = "+12025550101") {
    model::Message m;
    m.source = "test";
    m.source_id = std::move(id);
    m.channel = std::move(channel);
    m.conversation = std::move(conversation);
    m.from = std::move(from);
    m.to = {"+15559999"};
    m.sent_at = clock_.Now() - age;
    m.direction = model::Direction::kOutbound;
    m.text = std::move(text);
    auto out = custos_->ingest().Ingest({m});
    EXPECT_EQ(out[0].status, IngestStatus::kAccepted) << out[0].error;
    return out[0].id;
  }

  std::vector<std::int64_t> Ids(const RetentionReport& r) {
    std::vector<std::int64_t> ids;
    for (const archive::Expired& e : r.items) {
      ids.push_back(e.message_id);
    }
    return ids;
  }

  std::size_t Hits(std::string_view query) {
    auto r = custos_->Search(query, std::nullopt, 100);
    EXPECT_TRUE(r.has_value()) << r.error().ToString();
    return r->results.size();
  }

  testing::TempDir dir_;
  testing::FakeClock clock_;
  std::unique_ptr<Custos> custos_;
};

TEST_F(RetentionServiceTest, DryRunListsWhatWouldGoAndChangesNothing) {
  const std::int64_t old_sms = Add("1", "sms", 100 * kDay, "zebra one");
  Add("2", "sms", 10 * kDay, "zebra two");
  const std::int64_t old_wa = Add("3", "whatsapp", 400 * kDay, "zebra three");
  Add("4", "whatsapp", 100 * kDay, "zebra four");
  auto dry = custos_->retention().Run({.dry_run = true});
  ASSERT_TRUE(dry.has_value()) << dry.error().ToString();
  EXPECT_TRUE(dry->dry_run);
  EXPECT_EQ(Ids(*dry), (std::vector<std::int64_t>{old_wa, old_sms}));
  EXPECT_EQ(dry->items[0].class_name, "default");
  EXPECT_EQ(dry->items[0].legal_basis, "firm default");
  EXPECT_EQ(dry->items[0].period, "1y");
  EXPECT_EQ(dry->items[1].class_name, "sms-short");
  EXPECT_EQ(dry->items[1].legal_basis, "GDPR Art. 5(1)(e)");
  EXPECT_EQ(dry->items[1].disposition_record_id, 0);
  EXPECT_EQ(Hits("zebra"), 4u);
  EXPECT_TRUE(custos_->store().Get(old_sms)->has_value());
}

TEST_F(RetentionServiceTest, RunShredsExpiredMessagesAndTheirIndexEntries) {
  std::vector<std::int64_t> expired;
  for (int i = 0; i < 5; ++i) {
    expired.push_back(Add("old" + std::to_string(i), "sms", (100 + i) * kDay, "zebra gone"));
  }
  const std::int64_t kept = Add("new", "sms", 10 * kDay, "zebra stays");
  auto run = custos_->retention().Run();
  ASSERT_TRUE(run.has_value()) << run.error().ToString();
  EXPECT_EQ(run->items.size(), 5u);
  EXPECT_EQ(run->batches, 3);  // batch_size 2
  for (const archive::Expired& e : run->items) {
    EXPECT_GT(e.disposition_record_id, 0);
  }
  // Search: the index no longer holds the disposed messages' tokens.
  EXPECT_EQ(Hits("gone"), 0u);
  EXPECT_EQ(Hits("zebra"), 1u);
  EXPECT_EQ(Hits("channel:sms"), 1u);  // metadata rows remain; reads skip disposed ones
  // Get says it is gone; lists and exports skip it.
  auto get = custos_->store().Get(expired[0]);
  ASSERT_FALSE(get.has_value());
  EXPECT_EQ(get.error().code(), core::StatusCode::kFailedPrecondition);
  EXPECT_EQ(custos_->store().GetMany(expired)->size(), 0u);
  int exported = 0;
  ASSERT_TRUE(custos_->store()
                  .ExportEach({},
                              [&](const model::Message&) {
                                ++exported;
                                return true;
                              })
                  .ok());
  EXPECT_EQ(exported, 1);
  EXPECT_EQ((*custos_->store().Get(kept))->text, "zebra stays");
  EXPECT_EQ(*custos_->store().CountMessages(), 6);
  // Nothing left to do.
  EXPECT_TRUE(custos_->retention().Run()->items.empty());
}

TEST_F(RetentionServiceTest, AHoldAlwaysWinsUntilReleased) {
  const std::int64_t a = Add("a", "sms", 400 * kDay, "alpha", "conv-a", "+12025550101");
  const std::int64_t b = Add("b", "sms", 400 * kDay, "bravo", "conv-b", "+12025550102");
  const std::int64_t c = Add("c", "sms", 400 * kDay, "charlie", "conv-c", "+12025550103");
  const std::int64_t d = Add("d", "sms", 400 * kDay, "delta", "conv-d", "+12025550104");
  RetentionService& r = custos_->retention();
  auto by_person = r.CreateHold({.name = "person", .identities = {"+1 202 555 0101"}});
  ASSERT_TRUE(by_person.has_value()) << by_person.error().ToString();
  auto by_conversation = r.CreateHold({.name = "conv", .conversation = "conv-b"});
  ASSERT_TRUE(by_conversation.has_value()) << by_conversation.error().ToString();
  auto by_query = r.CreateHold({.name = "query", .query = "charlie channel:sms"});
  ASSERT_TRUE(by_query.has_value()) << by_query.error().ToString();
  EXPECT_EQ(by_query->matched_at_creation, 1);
  auto run = r.Run();
  ASSERT_TRUE(run.has_value());
  EXPECT_EQ(Ids(*run), std::vector<std::int64_t>{d});
  auto holds = r.ListHolds();
  ASSERT_EQ(holds->size(), 3u);
  EXPECT_EQ((*holds)[0].person, "+12025550101");
  EXPECT_EQ((*holds)[2].query, "charlie channel:sms");
  ASSERT_TRUE(r.ReleaseHold(by_conversation->id).has_value());
  EXPECT_EQ(Ids(*r.Run()), std::vector<std::int64_t>{b});
  ASSERT_TRUE(r.ReleaseHold(by_person->id).has_value());
  ASSERT_TRUE(r.ReleaseHold(by_query->id).has_value());
  EXPECT_EQ(Ids(*r.Run()), (std::vector<std::int64_t>{a, c}));
  EXPECT_EQ(r.ReleaseHold(by_query->id).status().code(), core::StatusCode::kFailedPrecondition);
  EXPECT_EQ(r.ReleaseHold(99).status().code(), core::StatusCode::kNotFound);
}

TEST_F(RetentionServiceTest, HoldRequestsAreChecked) {
  RetentionService& r = custos_->retention();
  EXPECT_EQ(r.CreateHold({.name = "x"}).status().code(), core::StatusCode::kInvalidArgument);
  EXPECT_EQ(r.CreateHold({.name = "x", .person = "+1", .query = "q"}).status().code(),
            core::StatusCode::kInvalidArgument);
  EXPECT_EQ(r.CreateHold({.name = "", .person = "+1"}).status().code(),
            core::StatusCode::kInvalidArgument);
  EXPECT_EQ(r.CreateHold({.name = "x", .conversation = "nope"}).status().code(),
            core::StatusCode::kNotFound);
  EXPECT_EQ(r.CreateHold({.name = "x", .query = "\"unterminated"}).status().code(),
            core::StatusCode::kInvalidArgument);
  EXPECT_TRUE(r.ListHolds()->empty());
}

TEST_F(RetentionServiceTest, QueryHoldsCoverMessagesThatArriveLater) {
  ASSERT_TRUE(custos_->retention().CreateHold({.name = "q", .query = "merger"}).has_value());
  const std::int64_t later = Add("later", "sms", 200 * kDay, "the merger plan");
  const std::int64_t other = Add("other", "sms", 200 * kDay, "lunch");
  EXPECT_EQ(Ids(*custos_->retention().Run()), std::vector<std::int64_t>{other});
  EXPECT_TRUE(custos_->store().Get(later)->has_value());
}

TEST_F(RetentionServiceTest, QueryHoldsMayFilterByConversation) {
  const std::int64_t in = Add("in", "sms", 200 * kDay, "lunch", "conv-x");
  const std::int64_t out = Add("out", "sms", 200 * kDay, "lunch", "conv-y");
  auto hold = custos_->retention().CreateHold({.name = "q", .query = "lunch conversation:conv-x"});
  ASSERT_TRUE(hold.has_value()) << hold.error().ToString();
  EXPECT_EQ(hold->matched_at_creation, 1);
  auto run = custos_->retention().Run();
  ASSERT_TRUE(run.has_value()) << run.error().ToString();
  EXPECT_EQ(Ids(*run), std::vector<std::int64_t>{out});
  EXPECT_TRUE(custos_->store().Get(in)->has_value());
}

TEST_F(RetentionServiceTest, ABadConfigurationIsRefusedWithPositions) {
  custos_.reset();
  std::ofstream(dir_.File("custos.yaml")) << "retention:\n  classes:\n    - name: x\n"
                                             "      period: 1y\n      legal_basis: y\n"
                                             "      channels: [pigeon]\n";
  auto c = Custos::Open({dir_.Path(), false, &clock_});
  ASSERT_FALSE(c.has_value());
  EXPECT_EQ(c.error().code(), core::StatusCode::kInvalidArgument);
  EXPECT_NE(c.error().message().find("custos.yaml:6:17: unknown channel \"pigeon\""),
            std::string::npos)
      << c.error().message();
}

TEST_F(RetentionServiceTest, TheDefaultIsSevenYearsWithoutAConfigurationFile) {
  custos_.reset();
  std::remove(dir_.File("custos.yaml").c_str());
  auto c = Custos::Open({dir_.Path(), false, &clock_});
  ASSERT_TRUE(c.has_value()) << c.error().ToString();
  custos_ = std::move(c).value();
  Add("six", "sms", 6 * 365 * kDay, "six years");
  const std::int64_t eight = Add("eight", "sms", 8 * 365 * kDay, "eight years");
  auto dry = custos_->retention().Run({.dry_run = true});
  EXPECT_EQ(Ids(*dry), std::vector<std::int64_t>{eight});
  EXPECT_EQ(dry->items[0].period, "7y");
}

}  // namespace
}  // namespace custos::app
