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

// The query tree in a compact text form, for assertions.
std::string Show(const Node& n) {
  switch (n.op) {
    case Node::Op::kTerm: {
      const Term& t = n.term;
      if (t.kind == Term::Kind::kPhrase || t.kind == Term::Kind::kPrefix) {
        std::string out = t.kind == Term::Kind::kPrefix ? "prefix(" : "\"";
        for (std::size_t i = 0; i < t.words.size(); ++i) {
          out += (i > 0 ? " " : "") + t.words[i];
        }
        return out + (t.kind == Term::Kind::kPrefix ? ")" : "\"");
      }
      return "filter=" + t.value;
    }
    case Node::Op::kNot:
      return "NOT " + Show(n.children[0]);
    case Node::Op::kAnd:
    case Node::Op::kOr: {
      std::string out = n.op == Node::Op::kAnd ? "AND(" : "OR(";
      for (std::size_t i = 0; i < n.children.size(); ++i) {
        out += (i > 0 ? ", " : "") + Show(n.children[i]);
      }
      return out + ")";
    }
  }
  return "";
}

std::string ShowQuery(std::string_view text) {
  auto q = ParseQuery(text);
  return q.has_value() ? Show(q->root) : "error: " + q.error().message();
}

TEST(ParseQuery, ReadsTermsPhrasesAndFilters) {
  auto q =
      ParseQuery(R"(guaranteed "text me" channel:WhatsApp from:+447700900123 after:2026-10-01)");
  ASSERT_TRUE(q.has_value()) << q.error().ToString();
  EXPECT_EQ(Show(q->root),
            "AND(\"guaranteed\", \"text me\", filter=whatsapp, filter=+447700900123, "
            "filter=2026-10-01)");
  EXPECT_EQ(*q->channel, "whatsapp");
  EXPECT_EQ(*q->from, "+447700900123");
  EXPECT_EQ(*q->after, *core::ParseRfc3339("2026-10-01T00:00:00Z"));
  EXPECT_FALSE(q->before.has_value());
  EXPECT_TRUE(q->HasText());
  EXPECT_EQ(q->FirstWord(), "guaranteed");
}

TEST(ParseQuery, QuotedFilterValues) {
  auto q = ParseQuery(R"(conversation:"Client desk A" before:2026-11-01T12:00:00Z)");
  ASSERT_TRUE(q.has_value());
  EXPECT_EQ(*q->conversation, "Client desk A");
  EXPECT_FALSE(q->HasText());
  EXPECT_TRUE(q->OnlySimpleFilters());
}

TEST(ParseQuery, NegationOrPrefixAndParentheses) {
  EXPECT_EQ(ShowQuery("guarantee -returns"), "AND(\"guarantee\", NOT \"returns\")");
  EXPECT_EQ(ShowQuery("NOT returns"), "AND(NOT \"returns\")");
  EXPECT_EQ(ShowQuery("-channel:sms"), "AND(NOT filter=sms)");
  EXPECT_EQ(ShowQuery("guarantee*"), "AND(prefix(guarantee))");
  EXPECT_EQ(ShowQuery("a b OR c"), "AND(\"a\", OR(\"b\", \"c\"))");
  EXPECT_EQ(ShowQuery("(a b) OR -c"), "AND(OR(AND(\"a\", \"b\"), NOT \"c\"))");
  EXPECT_EQ(ShowQuery("to:+447700900045 direction:Outbound"),
            "AND(filter=+447700900045, filter=outbound)");
  EXPECT_EQ(ShowQuery("rule:promissory.guarantees flagged:yes action:BLOCK severity:high"),
            "AND(filter=promissory.guarantees, filter=yes, filter=block, filter=high)");
  // Lower-case "or" and "not" are words; a lone dash is punctuation; URLs are text.
  EXPECT_EQ(ShowQuery("this or that"), "AND(\"this\", \"or\", \"that\")");
  EXPECT_EQ(ShowQuery("profit - loss"), "AND(\"profit\", \"loss\")");
  EXPECT_EQ(ShowQuery("https://example.com"), "AND(\"https example com\")");
  EXPECT_FALSE(ParseQuery("-channel:sms").value().OnlySimpleFilters());
}

TEST(ParseQuery, ReportsWhatIsWrong) {
  const auto error = [](std::string_view text) {
    auto q = ParseQuery(text);
    return q.has_value() ? std::string("accepted") : q.error().message();
  };
  EXPECT_NE(error(R"(hello "text me)").find("unterminated quote"), std::string::npos);
  EXPECT_NE(error("after:yesterday").find("after"), std::string::npos);
  EXPECT_NE(error("from:").find("from: needs a value"), std::string::npos);
  EXPECT_NE(error("to:").find("to: needs a value"), std::string::npos);
  EXPECT_NE(error("after:2026-02-01 before:2026-01-01").find("after:"), std::string::npos);
  EXPECT_NE(error("channel:whatsap").find("\"whatsap\""), std::string::npos);
  EXPECT_NE(error("direction:sideways").find("\"sideways\""), std::string::npos);
  EXPECT_NE(error("flagged:maybe").find("\"maybe\""), std::string::npos);
  EXPECT_NE(error("action:shout").find("\"shout\""), std::string::npos);
  EXPECT_NE(error("severity:huge").find("\"huge\""), std::string::npos);
  EXPECT_NE(error("sender:anna").find("unknown filter \"sender:\""), std::string::npos);
  EXPECT_NE(error("re: hello").find("unknown filter \"re:\""), std::string::npos);
  EXPECT_NE(error("gu*").find("too short"), std::string::npos);
  EXPECT_NE(error("e-mail*").find("one word"), std::string::npos);
  EXPECT_NE(error("a OR").find("OR"), std::string::npos);
  EXPECT_NE(error("OR a").find("OR"), std::string::npos);
  EXPECT_NE(error("NOT").find("NOT"), std::string::npos);
  EXPECT_NE(error("(a b").find("missing"), std::string::npos);
  EXPECT_NE(error("a b)").find("unbalanced"), std::string::npos);
  EXPECT_NE(error("()").find("empty"), std::string::npos);
  EXPECT_NE(error("👍 !!!").find("nothing to search for"), std::string::npos);
  EXPECT_EQ(error(""), "accepted");  // every message (export without a query)
}

}  // namespace
}  // namespace custos::search
