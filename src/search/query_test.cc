// SPDX-License-Identifier: Apache-2.0
#include "search/query.h"

#include <gtest/gtest.h>

namespace custos::search {
namespace {

using Tokens = std::vector<std::string>;

TEST(Tokenize, SplitsAndFoldsAcrossScripts) {
  EXPECT_EQ(Tokenize("Guaranteed RETURNS, 10%!"), (Tokens{"guaranteed", "returns", "10"}));
  EXPECT_EQ(Tokenize("Grüße ÜBER Straße"), (Tokens{"grüße", "über", "straße"}));
  EXPECT_EQ(Tokenize("ПРИВЕТ мир"), (Tokens{"привет", "мир"}));
  EXPECT_EQ(Tokenize("你好world"), (Tokens{"你", "好", "world"}));
  EXPECT_EQ(Tokenize("ok 👍 e-mail"), (Tokens{"ok", "e", "mail"}));
  EXPECT_EQ(Tokenize("ＦＵＬＬ"), (Tokens{"full"}));
  EXPECT_TRUE(Tokenize("  ...  ").empty());
}

TEST(ParseQuery, ReadsTermsPhrasesAndFilters) {
  auto q =
      ParseQuery(R"(guaranteed "text me" channel:WhatsApp from:+447700900123 after:2026-10-01)");
  ASSERT_TRUE(q.has_value()) << q.error().ToString();
  ASSERT_EQ(q->phrases.size(), 2u);
  EXPECT_EQ(q->phrases[0], (Tokens{"guaranteed"}));
  EXPECT_EQ(q->phrases[1], (Tokens{"text", "me"}));
  EXPECT_EQ(*q->channel, "whatsapp");
  EXPECT_EQ(*q->from, "+447700900123");
  EXPECT_EQ(*q->after, *core::ParseRfc3339("2026-10-01T00:00:00Z"));
  EXPECT_FALSE(q->before.has_value());
}

TEST(ParseQuery, QuotedFilterValues) {
  auto q = ParseQuery(R"(conversation:"Client desk A" before:2026-11-01T12:00:00Z)");
  ASSERT_TRUE(q.has_value());
  EXPECT_EQ(*q->conversation, "Client desk A");
  EXPECT_FALSE(q->HasText());
}

TEST(ParseQuery, ReportsWhatIsWrong) {
  auto unterminated = ParseQuery(R"(hello "text me)");
  ASSERT_FALSE(unterminated.has_value());
  EXPECT_NE(unterminated.error().message().find("unterminated quote"), std::string::npos);
  auto bad_date = ParseQuery("after:yesterday");
  ASSERT_FALSE(bad_date.has_value());
  EXPECT_NE(bad_date.error().message().find("after"), std::string::npos);
  EXPECT_FALSE(ParseQuery("from:").has_value());
  EXPECT_FALSE(ParseQuery("after:2026-02-01 before:2026-01-01").has_value());
}

}  // namespace
}  // namespace custos::search
