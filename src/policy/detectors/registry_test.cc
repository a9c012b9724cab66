// SPDX-License-Identifier: Apache-2.0
#include "policy/detectors/registry.h"

#include <set>
#include <string>

#include <gtest/gtest.h>

namespace custos::policy {
namespace {

TEST(BuiltinDetectors, ListsEveryDetectorOnceUnderAUniqueName) {
  const auto& detectors = BuiltinDetectors();
  EXPECT_EQ(detectors.size(), 15u);
  std::set<std::string_view> names;
  for (const Detector* detector : detectors) {
    ASSERT_NE(detector, nullptr);
    EXPECT_TRUE(names.insert(detector->Name()).second) << detector->Name();
    EXPECT_FALSE(detector->Traits().keywords.empty()) << detector->Name();
    EXPECT_EQ(FindBuiltinDetector(detector->Name()), detector);
  }
  for (const char* name : {"payment_card", "iban", "us_ssn", "uk_nino", "email", "phone_number",
                           "ipv4", "ipv6", "bitcoin_address", "ethereum_address", "private_key",
                           "aws_access_key_id", "github_token", "slack_token", "date_of_birth"}) {
    EXPECT_NE(FindBuiltinDetector(name), nullptr) << name;
  }
  EXPECT_EQ(FindBuiltinDetector("phone"), nullptr);  // names are exact
}

TEST(ScanAll, ReportsEachKindOfDataInOneMessageInOrder) {
  const std::string text =
      "Hi, card 4111 1111 1111 1111, IBAN GB82 WEST 1234 5698 7654 32, SSN 536-90-4399, "
      "NI AB 12 34 56 C, mail john@example.com, tel +44 20 7946 0958, "
      "host 10.0.0.1 / 2001:db8::1, "
      "btc 1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2, eth 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed, "
      "key AKIAIOSFODNN7EXAMPLE, DOB 17/05/1990.";
  const auto hits = ScanAll(BuiltinDetectors(), text);
  std::vector<std::string_view> names;
  for (const DetectorHit& hit : hits) {
    names.push_back(hit.detector);
  }
  EXPECT_EQ(names, (std::vector<std::string_view>{"payment_card", "iban", "us_ssn", "uk_nino",
                                                  "email", "phone_number", "ipv4", "ipv6",
                                                  "bitcoin_address", "ethereum_address",
                                                  "aws_access_key_id", "date_of_birth"}));
  for (std::size_t i = 1; i < hits.size(); ++i) {
    EXPECT_LE(hits[i - 1].begin, hits[i].begin);
  }
}

TEST(ScanAll, FindsNothingInOrdinaryChat) {
  const std::string text =
      "See you at 10:30 tomorrow, the report v1.2.3 is on page 12 of 300. Order #12345 shipped "
      "for EUR 1,250.00 - call me on Friday.";
  EXPECT_TRUE(ScanAll(BuiltinDetectors(), text).empty());
}

TEST(ScanAll, SurvivesHostileInput) {
  std::string text(200000, '1');
  text += std::string(1000, '@') + std::string(1000, ':') + "-----BEGIN PRIVATE KEY-----";
  text += std::string("\xC3\xFF\xE2\x82", 4) + std::string(5000, '-');
  const auto hits = ScanAll(BuiltinDetectors(), text);
  EXPECT_TRUE(hits.empty());
}

TEST(ScanAll, HandlesAQuarterMegabyteOfDenseCandidates) {
  std::string text;
  while (text.size() < (1u << 18)) {
    text += "card 4111 1111 1111 1111 ip 10.0.0.1 DOB 17/05/1990 mail a@example.com\n";
  }
  const auto hits = ScanAll(BuiltinDetectors(), text);
  EXPECT_EQ(hits.size() % 4, 0u);
  EXPECT_GT(hits.size(), 10000u);
}

}  // namespace
}  // namespace custos::policy
