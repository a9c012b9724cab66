// SPDX-License-Identifier: Apache-2.0
#include "policy/detectors/uk_nino.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace custos::policy {
namespace {

std::vector<DetectorHit> Scan(std::string_view text) { return UkNinoDetector().Scan(text); }

std::string OnlyMatch(std::string_view text) {
  const auto hits = Scan(text);
  if (hits.size() != 1) {
    return "";
  }
  return std::string(text.substr(hits[0].begin, hits[0].end - hits[0].begin));
}

TEST(UkNinoValid, AcceptsAllocatedPrefixesAndSuffixesAToD) {
  EXPECT_TRUE(UkNinoValid("AB123456C"));
  EXPECT_TRUE(UkNinoValid("AB 12 34 56 C"));
  EXPECT_TRUE(UkNinoValid("JG103759A"));
  EXPECT_TRUE(UkNinoValid("ce 00 00 00 d"));
  EXPECT_TRUE(UkNinoValid("ZY999999B"));
}

TEST(UkNinoValid, RejectsForbiddenLettersPrefixesAndSuffixes) {
  EXPECT_FALSE(UkNinoValid("QQ 12 34 56 C"));  // HMRC's published sample
  EXPECT_FALSE(UkNinoValid("DA123456A"));
  EXPECT_FALSE(UkNinoValid("FA123456A"));
  EXPECT_FALSE(UkNinoValid("IA123456A"));
  EXPECT_FALSE(UkNinoValid("UA123456A"));
  EXPECT_FALSE(UkNinoValid("VA123456A"));
  EXPECT_FALSE(UkNinoValid("AO123456A"));
  EXPECT_FALSE(UkNinoValid("AD123456A"));
  EXPECT_FALSE(UkNinoValid("BG123456A"));
  EXPECT_FALSE(UkNinoValid("GB123456A"));
  EXPECT_FALSE(UkNinoValid("KN123456A"));
  EXPECT_FALSE(UkNinoValid("NK123456A"));
  EXPECT_FALSE(UkNinoValid("NT123456A"));
  EXPECT_FALSE(UkNinoValid("TN123456A"));
  EXPECT_FALSE(UkNinoValid("ZZ123456A"));
  EXPECT_FALSE(UkNinoValid("AB123456E"));
  EXPECT_FALSE(UkNinoValid("AB12345C"));
  EXPECT_FALSE(UkNinoValid("AB1234567"));
}

TEST(UkNinoDetector, FindsUnbrokenAndSpacedForms) {
  EXPECT_EQ(OnlyMatch("NI: AB123456C"), "AB123456C");
  EXPECT_EQ(OnlyMatch("NI: AB 12 34 56 C."), "AB 12 34 56 C");
  EXPECT_EQ(OnlyMatch("NI: AB 123456 C"), "AB 123456 C");
  EXPECT_EQ(OnlyMatch("ni: ab123456c"), "ab123456c");
  EXPECT_EQ(OnlyMatch("line\nJG103759A\nnext"), "JG103759A");
}

TEST(UkNinoDetector, IgnoresMatchesInsideWordsAndBrokenShapes) {
  EXPECT_TRUE(Scan("XAB123456C").empty());
  EXPECT_TRUE(Scan("AB123456CD").empty());
  EXPECT_TRUE(Scan("AB1234567C").empty());
  EXPECT_TRUE(Scan("AB123456 C").empty());
  EXPECT_TRUE(Scan("AB 12 3456 C").empty());
  EXPECT_TRUE(Scan("AB 12 34 56").empty());
  EXPECT_TRUE(Scan("AB\n12 34 56 C").empty());
  EXPECT_TRUE(Scan("QQ 12 34 56 C").empty());
}

TEST(UkNinoDetector, ConfidenceIsHighOnlyWithASupportingWord) {
  const auto alone = Scan("AB123456C");
  ASSERT_EQ(alone.size(), 1u);
  EXPECT_EQ(alone[0].confidence, Confidence::kMedium);
  EXPECT_EQ(alone[0].masked_text, "*****456C");
  const auto with_word = Scan("My National Insurance number is AB 12 34 56 C");
  ASSERT_EQ(with_word.size(), 1u);
  EXPECT_EQ(with_word[0].confidence, Confidence::kHigh);
  EXPECT_EQ(with_word[0].masked_text, "** ** *4 56 C");
}

}  // namespace
}  // namespace custos::policy
