// SPDX-License-Identifier: Apache-2.0
#include "policy/eval/matchers.h"

#include <algorithm>
#include <random>
#include <tuple>

#include <gtest/gtest.h>

namespace custos::policy::eval {
namespace {

using Match = std::tuple<unsigned, std::size_t, std::size_t>;

std::vector<Match> All(const LiteralMatcher& m, std::string_view text) {
  std::vector<Match> out;
  m.Scan(text, [&](unsigned id, std::size_t b, std::size_t e) {
    out.emplace_back(id, b, e);
    return true;
  });
  std::sort(out.begin(), out.end());
  return out;
}

std::string Random(std::mt19937& rng, std::size_t len) {
  static constexpr std::string_view kAlphabet = "ab c\xC3\xA9";
  std::string s;
  std::uniform_int_distribution<std::size_t> pick(0, kAlphabet.size() - 1);
  for (std::size_t i = 0; i < len; ++i) {
    s.push_back(kAlphabet[pick(rng)]);
  }
  return s;
}

TEST(LiteralMatchers, VectorscanAgreesWithTheStraightforwardMatcher) {
  std::mt19937 rng(42);
  for (int round = 0; round < 50; ++round) {
    std::vector<std::string> literals;
    for (int i = 0; i < 20; ++i) {
      std::string lit = Random(rng, 1 + rng() % 4);
      if (std::find(literals.begin(), literals.end(), lit) == literals.end()) {
        literals.push_back(lit);
      }
    }
    ScratchPool pool;
    auto hs = MakeVectorscanLiteralMatcher(literals, pool);
    ASSERT_TRUE(hs.has_value()) << hs.error().ToString();
    auto naive = MakeNaiveLiteralMatcher(literals);
    const std::string text = Random(rng, 300);
    EXPECT_EQ(All(**hs, text), All(*naive, text)) << "round " << round;
  }
}

TEST(LiteralMatchers, ScanStopsWhenTheCallbackSaysSo) {
  ScratchPool pool;
  auto hs = MakeVectorscanLiteralMatcher({"a"}, pool);
  ASSERT_TRUE(hs.has_value());
  int calls = 0;
  (*hs)->Scan("aaaaaaaa", [&](unsigned, std::size_t, std::size_t) { return ++calls < 3; });
  EXPECT_EQ(calls, 3);
}

TEST(RegexCheck, ReportsRejectedCostlyAndSpanlessPatterns) {
  EXPECT_FALSE(CheckRegex("guarantee[sd]?").error.has_value());
  EXPECT_TRUE(CheckRegex("guarantee[sd]?").start_offsets);
  EXPECT_TRUE(CheckRegex("(a)\\1").error.has_value());
  EXPECT_TRUE(CheckRegex("a(?=b)").error.has_value());
  EXPECT_TRUE(CheckRegex("x*").error.has_value());  // matches the empty string
  EXPECT_TRUE(CheckRegex(".*secret").costly);
  EXPECT_TRUE(CheckRegex("[a-z]+@").costly);
  EXPECT_TRUE(CheckRegex("\\w{3,}x").costly);
  EXPECT_FALSE(CheckRegex("\\w{3,5}x").costly);
  EXPECT_FALSE(CheckRegex("@[a-z]+").costly);
}

TEST(RegexCheck, NamesTheConstructVectorscanRejects) {
  EXPECT_NE(CheckRegex("(a)\\1").error->find("back-reference '\\1'"), std::string::npos);
  EXPECT_NE(CheckRegex("(?<n>a)\\k<n>").error->find("back-reference"), std::string::npos);
  EXPECT_NE(CheckRegex("a(?=b)").error->find("look-ahead '(?='"), std::string::npos);
  EXPECT_NE(CheckRegex("a(?!b)").error->find("look-ahead '(?!'"), std::string::npos);
  EXPECT_NE(CheckRegex("(?<=a)b").error->find("look-behind '(?<='"), std::string::npos);
  EXPECT_NE(CheckRegex("(?<!a)b").error->find("look-behind '(?<!'"), std::string::npos);
  // Escaped or inside a class, the same characters are ordinary.
  EXPECT_FALSE(CheckRegex("[(?=]x\\(\\?=").error.has_value());
}

TEST(RegexCheck, WarnsOfLeadingUnboundedRepeatsAndHugeAlternations) {
  EXPECT_TRUE(CheckRegex("(ab|cd)+x").costly);
  EXPECT_TRUE(CheckRegex("(?:\\w)*@x").costly);
  EXPECT_TRUE(CheckRegex("^.+x").costly);
  EXPECT_FALSE(CheckRegex("(ab|cd){1,3}x").costly);
  EXPECT_NE(CheckRegex(".*secret").costly_reason.find("unbounded repeat"), std::string::npos);
  std::string many = "w0";
  for (int i = 1; i <= 40; ++i) {
    many += "|w" + std::to_string(i);
  }
  const RegexCheck huge = CheckRegex(many);
  EXPECT_FALSE(huge.error.has_value());
  EXPECT_TRUE(huge.costly);
  EXPECT_NE(huge.costly_reason.find("alternation of 41 branches"), std::string::npos);
  EXPECT_FALSE(CheckRegex("a|b|c|[|]|\\|").costly);  // 3 branches; the rest are literal bars
}

TEST(RegexSet, ReportsSpansOfEachPattern) {
  ScratchPool pool;
  auto set = MakeRegexSet({{"ab+c", true}, {"[0-9]{3}", true}}, pool);
  ASSERT_TRUE(set.has_value()) << set.error().ToString();
  std::vector<Match> got;
  (*set)->Scan("xx abbbc 1234", [&](unsigned id, std::size_t b, std::size_t e) {
    got.emplace_back(id, b, e);
    return true;
  });
  std::sort(got.begin(), got.end());
  const std::vector<Match> want = {{0, 3, 8}, {1, 9, 12}, {1, 10, 13}};
  EXPECT_EQ(got, want);
}

}  // namespace
}  // namespace custos::policy::eval
