// SPDX-License-Identifier: Apache-2.0
#include "policy/detectors/phone_number.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace custos::policy {
namespace {

std::vector<DetectorHit> Scan(std::string_view text) { return PhoneNumberDetector().Scan(text); }

std::string OnlyMatch(std::string_view text) {
  const auto hits = Scan(text);
  if (hits.size() != 1) {
    return "";
  }
  return std::string(text.substr(hits[0].begin, hits[0].end - hits[0].begin));
}

TEST(PhoneNumberCheck, InternationalNumbersMustBeValidForTheirCountry) {
  EXPECT_EQ(PhoneNumberCheck("+44 20 7946 0958"), Validity::kValid);
  EXPECT_EQ(PhoneNumberCheck("+1 650-253-0000"), Validity::kValid);
  EXPECT_EQ(PhoneNumberCheck("+49 30 901820"), Validity::kValid);
  EXPECT_EQ(PhoneNumberCheck("+33 1 42 68 53 00"), Validity::kValid);
  EXPECT_EQ(PhoneNumberCheck("+41446681800"), Validity::kValid);
  EXPECT_EQ(PhoneNumberCheck("+1 123 456 7890"), Validity::kInvalid);
  EXPECT_EQ(PhoneNumberCheck("+44 20 7946 095"), Validity::kInvalid);
}

TEST(PhoneNumberCheck, NationalNumbersArePlausibleWhenValidInAKnownRegion) {
  EXPECT_EQ(PhoneNumberCheck("(650) 253-0000"), Validity::kPlausible);
  EXPECT_EQ(PhoneNumberCheck("020 7946 0958"), Validity::kPlausible);
  EXPECT_EQ(PhoneNumberCheck("030/901820"), Validity::kPlausible);
  EXPECT_EQ(PhoneNumberCheck("12345678"), Validity::kInvalid);
  EXPECT_EQ(PhoneNumberCheck("17.05.1990"), Validity::kInvalid);
  // Valid in Germany as written, but without a trunk 0 it is not read as a German number.
  EXPECT_EQ(PhoneNumberCheck("536-90-4399"), Validity::kInvalid);
  EXPECT_EQ(PhoneNumberCheck("0171 1234567"), Validity::kPlausible);
  EXPECT_EQ(PhoneNumberCheck("612 345 678"), Validity::kPlausible);
}

TEST(PhoneNumberDetector, FindsInternationalNumbersInText) {
  EXPECT_EQ(OnlyMatch("reach me on +44 20 7946 0958."), "+44 20 7946 0958");
  EXPECT_EQ(OnlyMatch("(+1 650-253-0000)"), "+1 650-253-0000");
  EXPECT_EQ(OnlyMatch("line\n+33 1 42 68 53 00\nline"), "+33 1 42 68 53 00");
  const auto hits = Scan("+44 20 7946 0958");
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].confidence, Confidence::kMedium);
  EXPECT_EQ(hits[0].masked_text, "+** ** **** 0958");
  EXPECT_EQ(Scan("text me on WhatsApp: +44 20 7946 0958")[0].confidence, Confidence::kHigh);
}

TEST(PhoneNumberDetector, NationalNumbersNeedAKeyword) {
  EXPECT_TRUE(Scan("ref (650) 253-0000").empty());
  const auto hits = Scan("call me at (650) 253-0000");
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].confidence, Confidence::kMedium);
  EXPECT_EQ(OnlyMatch("mein Handy: 030/901820"), "030/901820");
}

TEST(PhoneNumberDetector, IgnoresInvalidNumbersAndDigitsInsideLongerRuns) {
  EXPECT_TRUE(Scan("call +1 123 456 7890").empty());
  EXPECT_TRUE(Scan("call x+442079460958").empty());
  EXPECT_TRUE(Scan("call +442079460958123456").empty());
  EXPECT_TRUE(Scan("call +44 20 7946 0958x").empty());
  // Two spaces end a number: what follows is read as a separate, national number.
  EXPECT_EQ(OnlyMatch("call +44  20 7946 0958"), "20 7946 0958");
}

}  // namespace
}  // namespace custos::policy
