// SPDX-License-Identifier: Apache-2.0
#include "policy/detectors/payment_card.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace custos::policy {
namespace {

std::vector<DetectorHit> Scan(std::string_view text) { return PaymentCardDetector().Scan(text); }

// The matched text of the only hit, or "" when there is not exactly one hit.
std::string OnlyMatch(std::string_view text) {
  const auto hits = Scan(text);
  if (hits.size() != 1) {
    return "";
  }
  return std::string(text.substr(hits[0].begin, hits[0].end - hits[0].begin));
}

TEST(LuhnValid, AcceptsPublishedTestNumbersAndRejectsTypos) {
  EXPECT_TRUE(LuhnValid("4111111111111111"));
  EXPECT_TRUE(LuhnValid("378282246310005"));
  EXPECT_TRUE(LuhnValid("79927398713"));
  EXPECT_FALSE(LuhnValid("4111111111111112"));
  EXPECT_FALSE(LuhnValid("79927398710"));
  EXPECT_FALSE(LuhnValid("1"));
  EXPECT_FALSE(LuhnValid("41111x1111111111"));
}

TEST(CardBrandOf, RecognisesEveryBrandByIinAndLength) {
  EXPECT_EQ(CardBrandOf("4111111111111111"), CardBrand::kVisa);
  EXPECT_EQ(CardBrandOf("4222222222222"), CardBrand::kVisa);
  EXPECT_EQ(CardBrandOf("4000000000000000006"), CardBrand::kVisa);
  EXPECT_EQ(CardBrandOf("5555555555554444"), CardBrand::kMastercard);
  EXPECT_EQ(CardBrandOf("2221000000000009"), CardBrand::kMastercard);
  EXPECT_EQ(CardBrandOf("2720000000000005"), CardBrand::kMastercard);
  EXPECT_EQ(CardBrandOf("378282246310005"), CardBrand::kAmex);
  EXPECT_EQ(CardBrandOf("6011111111111117"), CardBrand::kDiscover);
  EXPECT_EQ(CardBrandOf("6500000000000002"), CardBrand::kDiscover);
  EXPECT_EQ(CardBrandOf("3530111333300000"), CardBrand::kJcb);
  EXPECT_EQ(CardBrandOf("30569309025904"), CardBrand::kDiners);
  EXPECT_EQ(CardBrandOf("36227206271667"), CardBrand::kDiners);
  EXPECT_EQ(CardBrandOf("6200000000000005"), CardBrand::kUnionPay);
  EXPECT_EQ(CardBrandOf("6205500000000000004"), CardBrand::kUnionPay);
  EXPECT_EQ(CardBrandName(CardBrand::kAmex), "American Express");
}

TEST(CardBrandOf, RejectsUnknownIinsAndWrongLengths) {
  EXPECT_FALSE(CardBrandOf("2721000000000004"));  // just past the Mastercard 2-series
  EXPECT_FALSE(CardBrandOf("9000000000000001"));
  EXPECT_FALSE(CardBrandOf("8100000000000002"));
  EXPECT_FALSE(CardBrandOf("3400000000000000"));  // Amex IIN with 16 digits
  EXPECT_FALSE(CardBrandOf("411111111111111"));   // Visa with 15 digits
  EXPECT_FALSE(CardBrandOf("41111111111111111111"));
}

TEST(PaymentCardDetector, FindsPublishedTestNumbersInEveryFormat) {
  EXPECT_EQ(OnlyMatch("4111111111111111"), "4111111111111111");
  EXPECT_EQ(OnlyMatch("pay with 4111 1111 1111 1111 please"), "4111 1111 1111 1111");
  EXPECT_EQ(OnlyMatch("pay with 4111-1111-1111-1111."), "4111-1111-1111-1111");
  EXPECT_EQ(OnlyMatch("amex 3782 822463 10005"), "3782 822463 10005");
  EXPECT_EQ(OnlyMatch("(5555 5555 5555 4444)"), "5555 5555 5555 4444");
  EXPECT_EQ(OnlyMatch("mc:2223003122003222"), "2223003122003222");
  EXPECT_EQ(OnlyMatch("diners 3056 930902 5904"), "3056 930902 5904");
  EXPECT_EQ(OnlyMatch("up 6205 5000 0000 0000 004"), "6205 5000 0000 0000 004");
  EXPECT_EQ(OnlyMatch("visa 4222 2222 2222 2"), "4222 2222 2222 2");
}

TEST(PaymentCardDetector, FindsNumbersOnTheirOwnLines) {
  const std::string text = "cards:\n4111111111111111\r\n5105105105105100\n";
  const auto hits = Scan(text);
  ASSERT_EQ(hits.size(), 2u);
  EXPECT_EQ(hits[0].begin, 7u);
  EXPECT_EQ(hits[1].begin, 25u);
}

TEST(PaymentCardDetector, DoesNotJoinGroupsAcrossLineBreaksOrMixedSeparators) {
  EXPECT_TRUE(Scan("4111 1111\n1111 1111").empty());
  EXPECT_TRUE(Scan("4111 1111-1111 1111").empty());
  EXPECT_TRUE(Scan("4111  1111  1111  1111").empty());
}

TEST(PaymentCardDetector, RejectsLuhnFailuresAndUnknownBrands) {
  EXPECT_TRUE(Scan("4111 1111 1111 1112").empty());
  EXPECT_TRUE(Scan("1234 5678 9012 3456").empty());
  EXPECT_TRUE(Scan("9000000000000001").empty());
  EXPECT_TRUE(Scan("2721 0000 0000 0004").empty());
}

TEST(PaymentCardDetector, IgnoresNumbersInsideLongerRunsAndWords) {
  EXPECT_TRUE(Scan("1234567890123456789012").empty());
  // A valid 19-digit Visa number is not found inside a longer digit run.
  EXPECT_EQ(OnlyMatch("4000000000000000006"), "4000000000000000006");
  EXPECT_TRUE(Scan("ref 14000000000000000006 ok").empty());
  EXPECT_TRUE(Scan("ref 40000000000000000060 ok").empty());
  EXPECT_TRUE(Scan("id 44111111111111111").empty());  // 17 digits, no brand at that length
  EXPECT_TRUE(Scan("x4111111111111111").empty());
  EXPECT_TRUE(Scan("4111111111111111y").empty());
  EXPECT_TRUE(Scan("order_4111111111111111").empty());
  EXPECT_TRUE(Scan("0.4111111111111111").empty());
  EXPECT_TRUE(Scan("4111111111111111.5").empty());
  EXPECT_TRUE(Scan("4111111111111111,25").empty());
  EXPECT_TRUE(Scan("4111 1111 1111 11112").empty());
}

TEST(PaymentCardDetector, SkipsLeadingGroupsThatAreNotPartOfTheCard) {
  EXPECT_EQ(OnlyMatch("qty 12 4111 1111 1111 1111"), "4111 1111 1111 1111");
  EXPECT_EQ(OnlyMatch("4111 1111 1111 1111 exp 12 28"), "4111 1111 1111 1111");
  EXPECT_EQ(OnlyMatch("4111 1111 1111 1111 2028"), "4111 1111 1111 1111");
}

TEST(PaymentCardDetector, ConfidenceIsHighOnlyWithASupportingWord) {
  const auto alone = Scan("4111 1111 1111 1111");
  ASSERT_EQ(alone.size(), 1u);
  EXPECT_EQ(alone[0].confidence, Confidence::kMedium);
  const auto with_word = Scan("my Visa is 4111 1111 1111 1111, cvv 123");
  ASSERT_EQ(with_word.size(), 1u);
  EXPECT_EQ(with_word[0].confidence, Confidence::kHigh);
  const auto far = Scan("card " + std::string(400, '.') + " 4111 1111 1111 1111");
  ASSERT_EQ(far.size(), 1u);
  EXPECT_EQ(far[0].confidence, Confidence::kMedium);
}

TEST(PaymentCardDetector, MasksAllButTheLastFourDigits) {
  const auto hits = Scan("card 4111 1111 1111 1111");
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].masked_text, "**** **** **** 1111");
  EXPECT_EQ(hits[0].detector, "payment_card");
  EXPECT_EQ(hits[0].begin, 5u);
  EXPECT_EQ(hits[0].end, 24u);
}

TEST(PaymentCardDetector, FindsSeveralCardsInOneMessage) {
  const auto hits = Scan("4111111111111111 and 378282246310005 and 6011 1111 1111 1117");
  ASSERT_EQ(hits.size(), 3u);
  EXPECT_EQ(hits[2].masked_text, "**** **** **** 1117");
}

}  // namespace
}  // namespace custos::policy
