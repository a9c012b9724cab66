// SPDX-License-Identifier: Apache-2.0
#include "policy/detectors/us_ssn.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace custos::policy {
namespace {

std::vector<DetectorHit> Scan(std::string_view text) { return UsSsnDetector().Scan(text); }

std::string OnlyMatch(std::string_view text) {
  const auto hits = Scan(text);
  if (hits.size() != 1) {
    return "";
  }
  return std::string(text.substr(hits[0].begin, hits[0].end - hits[0].begin));
}

TEST(UsSsnValid, AcceptsNumbersThatFollowTheNumberingRules) {
  EXPECT_TRUE(UsSsnValid("536-90-4399"));
  EXPECT_TRUE(UsSsnValid("536 90 4399"));
  EXPECT_TRUE(UsSsnValid("536904399"));
  EXPECT_TRUE(UsSsnValid("001-01-0001"));
  EXPECT_TRUE(UsSsnValid("899-99-9998"));
}

TEST(UsSsnValid, RejectsReservedAreasGroupsAndSerials) {
  EXPECT_FALSE(UsSsnValid("000-12-3456"));
  EXPECT_FALSE(UsSsnValid("666-12-3456"));
  EXPECT_FALSE(UsSsnValid("900-12-3456"));
  EXPECT_FALSE(UsSsnValid("987-65-4320"));  // advertising range
  EXPECT_FALSE(UsSsnValid("536-00-4399"));
  EXPECT_FALSE(UsSsnValid("536-90-0000"));
}

TEST(UsSsnValid, RejectsKnownInvalidAndSampleNumbers) {
  EXPECT_FALSE(UsSsnValid("078-05-1120"));  // the Woolworth wallet card
  EXPECT_FALSE(UsSsnValid("219-09-9999"));
  EXPECT_FALSE(UsSsnValid("123-45-6789"));
  EXPECT_FALSE(UsSsnValid("111-11-1111"));
  EXPECT_FALSE(UsSsnValid("555555555"));
}

TEST(UsSsnValid, RejectsMixedSeparatorsAndOtherShapes) {
  EXPECT_FALSE(UsSsnValid("536-90 4399"));
  EXPECT_FALSE(UsSsnValid("536.90.4399"));
  EXPECT_FALSE(UsSsnValid("53-690-4399"));
  EXPECT_FALSE(UsSsnValid("5369043990"));
  EXPECT_FALSE(UsSsnValid(""));
}

TEST(UsSsnDetector, FormattedNumberIsLowAloneAndHighWithAKeyword) {
  const auto alone = Scan("ref 536-90-4399");
  ASSERT_EQ(alone.size(), 1u);
  EXPECT_EQ(alone[0].confidence, Confidence::kLow);
  EXPECT_EQ(alone[0].masked_text, "***-**-4399");
  const auto with_word = Scan("my SSN is 536-90-4399.");
  ASSERT_EQ(with_word.size(), 1u);
  EXPECT_EQ(with_word[0].confidence, Confidence::kHigh);
  EXPECT_EQ(with_word[0].begin, 10u);
  EXPECT_EQ(with_word[0].end, 21u);
  const auto spaced = Scan("Social Security Number: 536 90 4399");
  ASSERT_EQ(spaced.size(), 1u);
  EXPECT_EQ(spaced[0].confidence, Confidence::kHigh);
}

TEST(UsSsnDetector, UnbrokenNumberNeedsAKeyword) {
  EXPECT_TRUE(Scan("order 536904399 shipped").empty());
  const auto hits = Scan("ssn: 536904399");
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].confidence, Confidence::kMedium);
}

TEST(UsSsnDetector, FindsNumbersAcrossLinesAndInPunctuation) {
  EXPECT_EQ(OnlyMatch("SSN\n536-90-4399\n"), "536-90-4399");
  EXPECT_EQ(OnlyMatch("(536-90-4399)"), "536-90-4399");
}

TEST(UsSsnDetector, IgnoresNumbersInsideLongerNumbersAndWords) {
  EXPECT_TRUE(Scan("ssn 1536-90-4399").empty());
  EXPECT_TRUE(Scan("ssn 536-90-43991").empty());
  EXPECT_TRUE(Scan("ssn 1-536-90-4399").empty());
  EXPECT_TRUE(Scan("ssn 536-90-4399-7").empty());
  EXPECT_TRUE(Scan("ssn 536-90-4399.5").empty());
  EXPECT_TRUE(Scan("ssn 12 536 90 4399").empty());
  EXPECT_TRUE(Scan("ssn 536 90 4399 12").empty());
  EXPECT_TRUE(Scan("ssn 1536904399").empty());
  EXPECT_TRUE(Scan("ssn x536904399").empty());
  EXPECT_TRUE(Scan("ssn 536-90-4399a").empty());
  EXPECT_TRUE(Scan("ssn 536-904399").empty());
}

TEST(UsSsnDetector, DropsInvalidNumbersEvenWithAKeyword) {
  EXPECT_TRUE(Scan("ssn 078-05-1120").empty());
  EXPECT_TRUE(Scan("ssn 666-12-3456").empty());
  EXPECT_TRUE(Scan("ssn 123-45-6789").empty());
}

}  // namespace
}  // namespace custos::policy
