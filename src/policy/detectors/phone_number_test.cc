// SPDX-License-Identifier: Apache-2.0
#include "policy/detectors/phone_number.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <phonenumbers/phonenumberutil.h>

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

// PhoneNumberCheck builds international numbers itself rather than calling Parse (which is
// slow); it must agree with Parse + IsValidNumber, including Italian leading zeros.
TEST(PhoneNumberCheck, InternationalNumbersAgreeWithLibphonenumbersParse) {
  using i18n::phonenumbers::PhoneNumberUtil;
  const PhoneNumberUtil& util = *PhoneNumberUtil::GetInstance();
  for (const char* number :
       {"+44 20 7946 0958", "+44 7700 900123",  "+1 650-253-0000",    "+1 212 555 0100",
        "+49 30 901820",    "+49 171 1234567",  "+33 1 42 68 53 00",  "+33 6 12 34 56 78",
        "+41446681800",     "+39 06 6982 3456", "+39 347 123 4567",   "+39 02 1234 5678",
        "+34 612 34 56 78", "+31 20 123 4567",  "+81 3-1234-5678",    "+86 10 1234 5678",
        "+91 98765 43210",  "+61 2 9876 5432",  "+7 495 123-45-67",   "+55 11 91234-5678",
        "+352 26 12 34 56", "+353 1 234 5678",  "+971 4 123 4567",    "+1 123 456 7890",
        "+44 20 7946 095",  "+999 123 456 789", "+44 0 20 7946 0958", "+3906698"}) {
    i18n::phonenumbers::PhoneNumber parsed;
    const bool want = util.Parse(number, "ZZ", &parsed) == PhoneNumberUtil::NO_PARSING_ERROR &&
                      util.IsValidNumber(parsed);
    EXPECT_EQ(PhoneNumberCheck(number) == Validity::kValid, want) << number;
  }
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
