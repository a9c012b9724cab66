// SPDX-License-Identifier: Apache-2.0
#include "policy/lang/parser.h"

#include <gtest/gtest.h>

#include "policy/lang/lexer.h"

namespace custos::policy::lang {
namespace {

std::string Canon(std::string_view condition) {
  auto parsed = Parse(condition);
  if (auto* error = std::get_if<SyntaxError>(&parsed)) {
    return "error@" + std::to_string(error->offset) + ": " + error->message;
  }
  return ToString(*std::get<ExprPtr>(parsed));
}

SyntaxError ErrorOf(std::string_view condition) {
  auto parsed = Parse(condition);
  EXPECT_TRUE(std::holds_alternative<SyntaxError>(parsed)) << condition;
  if (auto* error = std::get_if<SyntaxError>(&parsed)) {
    return *error;
  }
  return {};
}

TEST(Parser, AndBindsTighterThanOrAndNotTightest) {
  EXPECT_EQ(Canon("a or b and c"), "(a or (b and c))");
  EXPECT_EQ(Canon("(a or b) and c"), "((a or b) and c)");
  EXPECT_EQ(Canon("not a and b"), "(not a and b)");
  EXPECT_EQ(Canon("not (a and b)"), "not (a and b)");
  EXPECT_EQ(Canon("a and b and c or d"), "((a and b and c) or d)");
  EXPECT_EQ(Canon("true or false"), "(true or false)");
}

TEST(Parser, TextTests) {
  EXPECT_EQ(Canon(R"(text contains "risk free")"), R"(text contains "risk free")");
  EXPECT_EQ(Canon("text matches list:offensive"), "text matches list:offensive");
  EXPECT_EQ(Canon("text matches 'can\\'t lose'"), R"(text matches "can't lose")");
  EXPECT_EQ(Canon(R"(text regex "guarantee[sd]?\\s+\\d+%")"),
            R"(text regex "guarantee[sd]?\\s+\\d+%")");
  EXPECT_EQ(Canon(R"(text contains "\u00e9t\u00e9")"), "text contains \"\xc3\xa9t\xc3\xa9\"");
}

TEST(Parser, Proximity) {
  EXPECT_EQ(Canon(R"(near("guarantee*", list:returns, 4))"),
            R"(near("guarantee*", list:returns, 4))");
  EXPECT_EQ(Canon(R"(onear(list:a, "b", 0))"), R"(onear(list:a, "b", 0))");
}

TEST(Parser, DetectAndCount) {
  EXPECT_EQ(Canon("detect(payment_card)"), "detect(payment_card)");
  EXPECT_EQ(Canon("detect(iban) >= medium"), "detect(iban) >= medium");
  EXPECT_EQ(Canon("count(detect(email)) >= 3"), "count(detect(email)) >= 3");
  EXPECT_EQ(Canon("count(detect(email) == high) > 1"), "count(detect(email) == high) > 1");
  EXPECT_EQ(Canon("count(list:slurs) >= 2"), "count(list:slurs) >= 2");
}

TEST(Parser, Fields) {
  EXPECT_EQ(Canon("direction == outbound"), "direction == outbound");
  EXPECT_EQ(Canon("counterparty.external"), "counterparty.external");
  EXPECT_EQ(Canon("not time.work_hours"), "not time.work_hours");
  EXPECT_EQ(Canon(R"(channel in [whatsapp, "sms"])"), R"(channel in [whatsapp, "sms"])");
  EXPECT_EQ(Canon("channel not in list:approved"), "channel not in list:approved");
  EXPECT_EQ(Canon("attachment.size > 25MB"), "attachment.size > 25000000");
  EXPECT_EQ(Canon("attachment.size >= 1KiB"), "attachment.size >= 1024");
  EXPECT_EQ(Canon(R"(attachment.name glob "*.exe")"), R"(attachment.name glob "*.exe")");
  EXPECT_EQ(Canon(R"(attachment.mime startswith "video/")"),
            R"(attachment.mime startswith "video/")");
  EXPECT_EQ(Canon("conversation.participants > 10 and message.length < 5"),
            "(conversation.participants > 10 and message.length < 5)");
  EXPECT_EQ(Canon("time.work_hours == false"), "time.work_hours == false");
}

TEST(Parser, MacroReferences) {
  auto parsed = Parse("external_outbound and not is_compliance");
  ASSERT_TRUE(std::holds_alternative<ExprPtr>(parsed));
  const Expr& e = *std::get<ExprPtr>(parsed);
  ASSERT_EQ(e.kind, ExprKind::kAnd);
  EXPECT_EQ(e.children[0]->kind, ExprKind::kMacro);
  EXPECT_EQ(e.children[0]->name, "external_outbound");
  EXPECT_EQ(e.children[1]->children[0]->name_offset, 26u);
}

TEST(Parser, NodesKnowTheirSourceRange) {
  const std::string c = R"(channel == sms and text contains "x")";
  auto parsed = Parse(c);
  ASSERT_TRUE(std::holds_alternative<ExprPtr>(parsed));
  const Expr& e = *std::get<ExprPtr>(parsed);
  EXPECT_EQ(c.substr(e.children[0]->offset, e.children[0]->length), "channel == sms");
  EXPECT_EQ(c.substr(e.children[1]->offset, e.children[1]->length), R"(text contains "x")");
  EXPECT_EQ(e.length, c.size());
}

TEST(Parser, ErrorsPointAtTheOffendingToken) {
  EXPECT_EQ(ErrorOf("text contains").offset, 13u);
  EXPECT_EQ(ErrorOf("a and").offset, 5u);
  EXPECT_EQ(ErrorOf("a b").offset, 2u);
  EXPECT_EQ(ErrorOf("(a or b").offset, 7u);
  EXPECT_EQ(ErrorOf("channel = 'sms'").offset, 8u);
  EXPECT_EQ(ErrorOf("text contains \"abc").offset, 14u);
  EXPECT_EQ(ErrorOf("detect(card) >= huge").offset, 16u);
  EXPECT_EQ(ErrorOf("near(\"a\", \"b\")").offset, 13u);
  EXPECT_EQ(ErrorOf("sender.grup == 'x'").offset, 0u);
  EXPECT_EQ(ErrorOf("channel").offset, 7u);
  EXPECT_EQ(ErrorOf("attachment.size > 5TB").offset, 19u);
  EXPECT_EQ(ErrorOf("channel in []").offset, 12u);
  EXPECT_EQ(ErrorOf("a and or b").offset, 6u);
  EXPECT_EQ(ErrorOf("text matches \"\"").offset, 13u);
  EXPECT_EQ(ErrorOf("count(list:x)").offset, 13u);
  EXPECT_EQ(ErrorOf("x \xc3\xa9").offset, 2u);
}

TEST(Parser, ErrorMessagesSayWhatWasExpected) {
  EXPECT_EQ(ErrorOf("text has 'x'").message,
            "expected 'contains', 'matches' or 'regex' after 'text', got 'has'");
  EXPECT_EQ(ErrorOf("a b").message, "expected 'and', 'or' or the end of the condition, got 'b'");
  EXPECT_EQ(ErrorOf("sender.grup == 'x'").message, "unknown field 'sender.grup'");
}

TEST(Parser, DeepNestingIsAnErrorNotACrash) {
  std::string deep(5000, '(');
  deep += "a";
  deep += std::string(5000, ')');
  EXPECT_EQ(ErrorOf(deep).message, "condition is nested too deeply");
  std::string nots;
  for (int i = 0; i < 5000; ++i) {
    nots += "not ";
  }
  EXPECT_EQ(ErrorOf(nots + "a").message, "condition is nested too deeply");
}

TEST(Lexer, NumbersWithUnitsAndOverflow) {
  auto tokens = std::get<std::vector<Token>>(Lex("10MiB 3 2GB"));
  ASSERT_EQ(tokens.size(), 4u);
  EXPECT_EQ(tokens[0].number, 10 * 1024 * 1024);
  EXPECT_EQ(tokens[1].number, 3);
  EXPECT_EQ(tokens[2].number, 2'000'000'000);
  EXPECT_TRUE(std::holds_alternative<SyntaxError>(Lex("99999999999999999999")));
  EXPECT_TRUE(std::holds_alternative<SyntaxError>(Lex("9999999999999GiB")));
}

TEST(Lexer, StringEscapesAndListReferences) {
  auto tokens = std::get<std::vector<Token>>(Lex(R"('a\'b' "c\"d\\" list:x_1 sender.group)"));
  ASSERT_EQ(tokens.size(), 5u);
  EXPECT_EQ(tokens[0].text, "a'b");
  EXPECT_EQ(tokens[1].text, "c\"d\\");
  EXPECT_EQ(tokens[2].kind, TokenKind::kListRef);
  EXPECT_EQ(tokens[2].text, "x_1");
  EXPECT_EQ(tokens[3].text, "sender.group");
  EXPECT_EQ(tokens[3].offset, 25u);
  EXPECT_TRUE(std::holds_alternative<SyntaxError>(Lex(R"("\ud800")")));
  EXPECT_TRUE(std::holds_alternative<SyntaxError>(Lex(R"("\q")")));
  EXPECT_TRUE(std::holds_alternative<SyntaxError>(Lex("\"\xff\"")));
}

}  // namespace
}  // namespace custos::policy::lang
