// SPDX-License-Identifier: Apache-2.0
// Evasion defences (docs/policy-language.md §5) and the Scunthorpe problem, plus the bound on a
// huge message.
#include <chrono>

#include <gtest/gtest.h>

#include "policy/policy.h"

namespace custos::policy {
namespace {

constexpr const char* kPack = R"(
- list: offensive
  leet: true
  items: [fuck, shit, ass, asshole, bitch, cunt, "wank*"]
- list: plain
  items: [idiot]
- rule: offensive
  clause: "4.1 No offensive language"
  condition: text matches list:offensive or text matches list:plain
  severity: high
  action: block
- rule: cards
  clause: "6.1 No card numbers"
  condition: detect(payment_card)
  severity: critical
  action: block
)";

class Evasion : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    result_ = new LoadResult(LoadPackFromFiles({{"p.yaml", kPack}}));
    ASSERT_TRUE(result_->ok()) << result_->diagnostics.ToText();
  }

  static void TearDownTestSuite() {
    delete result_;
    result_ = nullptr;
  }

  static std::vector<std::string> Rules(const std::string& text) {
    Facts f;
    f.text = text;
    return result_->pack->Evaluate(f).RuleIds();
  }

  static bool Caught(const std::string& text) {
    const auto ids = Rules(text);
    return std::find(ids.begin(), ids.end(), "offensive") != ids.end();
  }

  static LoadResult* result_;
};

LoadResult* Evasion::result_ = nullptr;

TEST_F(Evasion, PlainWordsInAnyCase) {
  EXPECT_TRUE(Caught("what the FUCK"));
  EXPECT_TRUE(Caught("you Idiot."));
  EXPECT_TRUE(Caught("wankers"));
}

TEST_F(Evasion, ZeroWidthAndBidiCharactersInsideWords) {
  EXPECT_TRUE(
      Caught("f\xE2\x80\x8Bu\xE2\x80\x8C"
             "c\xE2\x80\x8Dk"));             // ZWSP, ZWNJ, ZWJ
  EXPECT_TRUE(Caught("sh\xEF\xBB\xBFit"));   // BOM
  EXPECT_TRUE(Caught("b\xE2\x80\xAEitch"));  // right-to-left override
  EXPECT_TRUE(
      Caught("a\xC2\xAD"
             "ss"));  // soft hyphen
}

TEST_F(Evasion, FullWidthAndStyledLetters) {
  EXPECT_TRUE(Caught("\xEF\xBC\xA6\xEF\xBC\xB5\xEF\xBC\xA3\xEF\xBC\xAB"));  // ＦＵＣＫ
  EXPECT_TRUE(Caught("\xF0\x9D\x90\x9F\xF0\x9D\x90\xAE\xF0\x9D\x90\x9C\xF0\x9D\x90\xA4"));  // 𝐟𝐮𝐜𝐤
  EXPECT_TRUE(Caught("\xE2\x93\x91\xE2\x93\x98\xE2\x93\xA3\xE2\x93\x92\xE2\x93\x97"));  // ⓑⓘⓣⓒⓗ
}

TEST_F(Evasion, HomoglyphsFromOtherScripts) {
  EXPECT_TRUE(Caught("fu\xD1\x81k"));                // Cyrillic es
  EXPECT_TRUE(Caught("\xD0\xB0ss"));                 // Cyrillic a
  EXPECT_TRUE(Caught("\xD1\x95hit"));                // Cyrillic dze
  EXPECT_TRUE(Caught("b\xCE\xB9tch"));               // Greek iota
  EXPECT_FALSE(Caught("\xD0\x90\xD0\xA1\xD0\x95"));  // all-Cyrillic "АСЕ" folds to "ace"
}

TEST_F(Evasion, DiacriticsAndCombiningMarks) {
  EXPECT_TRUE(
      Caught("f\xC3\xBC"
             "ck"));                                            // ü
  EXPECT_TRUE(Caught("s\xCC\xB6h\xCC\xB6i\xCC\xB6t\xCC\xB6"));  // strike-through marks
}

TEST_F(Evasion, SpacingAndPunctuationBetweenLetters) {
  EXPECT_TRUE(Caught("f u c k you"));
  EXPECT_TRUE(Caught("F.U.C.K"));
  EXPECT_TRUE(Caught("s-h-i-t"));
  EXPECT_TRUE(Caught("b_i_t_c_h"));
  EXPECT_TRUE(Caught("c * u * n * t") == false);  // spaced stars are not one separator
}

TEST_F(Evasion, LeetspeakInListsThatAskForIt) {
  EXPECT_TRUE(Caught("sh1t"));
  EXPECT_TRUE(Caught("a$$hole"));
  EXPECT_TRUE(Caught("b!tch"));
  EXPECT_TRUE(Caught("f4ck") == false);  // 4 reads as a, not u
  EXPECT_TRUE(Caught("5h17"));
  EXPECT_FALSE(Caught("1d10t"));  // `plain` does not ask for leet folding
}

TEST_F(Evasion, ScunthorpeWordsAreNotCaught) {
  for (const char* text :
       {"Scunthorpe United", "a classic assessment", "bass guitar", "passion", "shiitake",
        "Sussex and Essex", "cocktail", "assume", "embarrass", "titmouse", "Dickens",
        "the grass is greener", "mass assassination of assets", "therapist", "cumbersome",
        "class of 2005", "$500 cash", "me@home", "bitchin"}) {
    EXPECT_FALSE(Caught(text)) << text;
  }
}

TEST_F(Evasion, CardNumbersInDisguise) {
  EXPECT_EQ(Rules("\xEF\xBC\x94\xEF\xBC\x91\xEF\xBC\x91\xEF\xBC\x91 1111 1111 1111"),
            std::vector<std::string>{"cards"});  // full-width digits
  EXPECT_EQ(Rules("4111\xE2\x80\x8B 1111 1111 1111"), std::vector<std::string>{"cards"});
}

TEST_F(Evasion, ATenMegabyteMessageIsEvaluatedInBoundedTime) {
  std::string text;
  text.reserve(10u << 20);
  const std::string chunk =
      "guaranteed returns f u c k 4111 1111 1111 1111 classic \xD0\xBF\xD1\x80\xD0\xB8 a$$ ";
  while (text.size() + chunk.size() < (10u << 20)) {
    text += chunk;
  }
  const auto start = std::chrono::steady_clock::now();
  Facts f;
  f.text = text;
  const Verdict v = result_->pack->Evaluate(f);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(v.RuleIds(), (std::vector<std::string>{"cards", "offensive"}));
  EXPECT_LE(v.hits[0].evidence.size(), kMaxEvidencePerHit);
  EXPECT_LT(seconds, 60.0);
  std::printf("10 MB message: %.2f s\n", seconds);
}

TEST_F(Evasion, InvalidUtf8AndEmptyTextAreHarmless) {
  EXPECT_TRUE(Rules("").empty());
  EXPECT_TRUE(Caught("\xFF\xFE fuck \xC3"));
}

}  // namespace
}  // namespace custos::policy
