// SPDX-License-Identifier: Apache-2.0
// app::ExportService driven directly (no CLI) on a real data directory: everything oldest first,
// simple filters from the store, full-text and from: through the index (still oldest first), an
// unknown conversation refused, a bad query refused, and a sink's error stopping the export.
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "app/custos.h"
#include "testing/temp_dir.h"

namespace custos::app {
namespace {

constexpr core::Micros kDay = 86'400 * core::kMicrosPerSecond;
constexpr core::Micros kT0 = 1'790'000'000'000'000;

model::Message Msg(std::string id, std::string channel, std::string conversation, std::string from,
                   std::string text, core::Micros t) {
  model::Message m;
  m.source = "test";
  m.source_id = std::move(id);
  m.channel = std::move(channel);
  m.conversation = std::move(conversation);
  m.from = std::move(from);
  m.to = {"+447700900456"};
  m.sent_at = t;
  m.direction = model::Direction::kOutbound;
  m.text = std::move(text);
  return m;
}

class ExportServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto c = Custos::Open({dir_.File("data"), false});
    ASSERT_TRUE(c.has_value()) << c.error().ToString();
    custos_ = std::move(c).value();
    // Submitted newest first: the export's order is the messages' time, not arrival.
    const auto outcomes = custos_->ingest().Ingest({
        Msg("4", "whatsapp", "deal", "+447700900123", "closing the deal today", kT0 + 3 * kDay),
        Msg("3", "sms", "c1", "+447700900999", "lunch at noon", kT0 + 2 * kDay),
        Msg("2", "whatsapp", "deal", "+447700900999", "the deal terms attached", kT0 + kDay),
        Msg("1", "sms", "c1", "+447700900123", "good morning", kT0),
    });
    for (const IngestOutcome& o : outcomes) {
      ASSERT_EQ(o.status, IngestStatus::kAccepted) << o.error;
    }
  }

  // The texts `query` selects, in the order they were handed over.
  std::vector<std::string> Texts(const std::string& query) {
    std::vector<std::string> out;
    auto count = custos_->exports().Select(query, [&](const model::Message& m) {
      out.push_back(m.text);
      return core::Status::Ok();
    });
    EXPECT_TRUE(count.has_value()) << query << ": " << count.error().ToString();
    if (count.has_value()) {
      EXPECT_EQ(*count, static_cast<std::int64_t>(out.size()));
    }
    return out;
  }

  testing::TempDir dir_;
  std::unique_ptr<Custos> custos_;
};

TEST_F(ExportServiceTest, EverythingOldestFirst) {
  EXPECT_EQ(Texts(""), (std::vector<std::string>{"good morning", "the deal terms attached",
                                                 "lunch at noon", "closing the deal today"}));
}

TEST_F(ExportServiceTest, SimpleFiltersFromTheStore) {
  EXPECT_EQ(Texts("channel:SMS"), (std::vector<std::string>{"good morning", "lunch at noon"}));
  EXPECT_EQ(Texts("conversation:deal"),
            (std::vector<std::string>{"the deal terms attached", "closing the deal today"}));
  EXPECT_EQ(Texts("after:2026-09-01 channel:whatsapp"),
            Texts("channel:whatsapp"));  // every message is from late 2026
}

TEST_F(ExportServiceTest, FullTextAndFromThroughTheIndexStillOldestFirst) {
  EXPECT_EQ(Texts("deal"),
            (std::vector<std::string>{"the deal terms attached", "closing the deal today"}));
  EXPECT_EQ(Texts("from:+447700900123"),
            (std::vector<std::string>{"good morning", "closing the deal today"}));
  EXPECT_EQ(Texts("lunch OR morning"), (std::vector<std::string>{"good morning", "lunch at noon"}));
}

TEST_F(ExportServiceTest, RefusesUnknownConversationsAndBadQueries) {
  auto missing = custos_->exports().Select("conversation:nope", [](const model::Message&) {
    ADD_FAILURE() << "nothing may be handed over";
    return core::Status::Ok();
  });
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code(), core::StatusCode::kNotFound);
  EXPECT_NE(missing.error().message().find("nope"), std::string::npos);
  // Wherever the query names it (here under OR, with words).
  auto hidden = custos_->exports().Select("deal OR conversation:nope",
                                          [](const model::Message&) { return core::Status::Ok(); });
  ASSERT_FALSE(hidden.has_value());
  EXPECT_EQ(hidden.error().code(), core::StatusCode::kNotFound);
  auto bad = custos_->exports().Select("after:yesterday-ish",
                                       [](const model::Message&) { return core::Status::Ok(); });
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().code(), core::StatusCode::kInvalidArgument);
}

TEST_F(ExportServiceTest, ASinkErrorStopsTheExport) {
  for (const std::string query : {"", "deal"}) {
    int seen = 0;
    auto r = custos_->exports().Select(query, [&](const model::Message&) {
      ++seen;
      return core::Unavailable("disk full");
    });
    ASSERT_FALSE(r.has_value()) << query;
    EXPECT_EQ(r.error().code(), core::StatusCode::kUnavailable);
    EXPECT_EQ(seen, 1) << query;
  }
}

TEST_F(ExportServiceTest, AReadOnlyOpenExportsToo) {
  custos_.reset();
  auto ro = Custos::Open({dir_.File("data"), true});
  ASSERT_TRUE(ro.has_value()) << ro.error().ToString();
  std::int64_t n = 0;
  auto count = (*ro)->exports().Select("channel:whatsapp", [&](const model::Message&) {
    ++n;
    return core::Status::Ok();
  });
  ASSERT_TRUE(count.has_value());
  EXPECT_EQ(*count, 2);
  EXPECT_EQ(n, 2);
}

}  // namespace
}  // namespace custos::app
