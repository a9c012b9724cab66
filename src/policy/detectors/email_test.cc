// SPDX-License-Identifier: Apache-2.0
#include "policy/detectors/email.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace custos::policy {
namespace {

std::vector<DetectorHit> Scan(std::string_view text) { return EmailDetector().Scan(text); }

std::string OnlyMatch(std::string_view text) {
  const auto hits = Scan(text);
  if (hits.size() != 1) {
    return "";
  }
  return std::string(text.substr(hits[0].begin, hits[0].end - hits[0].begin));
}

TEST(EmailValid, AcceptsCommonAddresses) {
  EXPECT_TRUE(EmailValid("john.doe@example.com"));
  EXPECT_TRUE(EmailValid("j_d+tag%x-y@mail.example.co.uk"));
  EXPECT_TRUE(EmailValid("a@b.io"));
  EXPECT_TRUE(EmailValid("user@xn--bcher-kva.example"));
  EXPECT_TRUE(EmailValid("user@sub-domain.example.org"));
}

TEST(EmailValid, RejectsMalformedLocalPartsAndDomains) {
  EXPECT_FALSE(EmailValid("@example.com"));
  EXPECT_FALSE(EmailValid("john@"));
  EXPECT_FALSE(EmailValid("john@localhost"));
  EXPECT_FALSE(EmailValid(".john@example.com"));
  EXPECT_FALSE(EmailValid("john.@example.com"));
  EXPECT_FALSE(EmailValid("jo..hn@example.com"));
  EXPECT_FALSE(EmailValid("john@-example.com"));
  EXPECT_FALSE(EmailValid("john@example-.com"));
  EXPECT_FALSE(EmailValid("john@example..com"));
  EXPECT_FALSE(EmailValid("john@example.c"));
  EXPECT_FALSE(EmailValid("john@example.123"));
  EXPECT_FALSE(EmailValid("john@@example.com"));
  EXPECT_FALSE(EmailValid("jo hn@example.com"));
  EXPECT_FALSE(EmailValid(std::string(65, 'a') + "@example.com"));
  EXPECT_FALSE(EmailValid("a@" + std::string(64, 'b') + ".com"));
}

TEST(EmailDetector, FindsAddressesInSentences) {
  EXPECT_EQ(OnlyMatch("mail me at a.b@example.com."), "a.b@example.com");
  EXPECT_EQ(OnlyMatch("<john.doe@example.com>"), "john.doe@example.com");
  EXPECT_EQ(OnlyMatch("mailto:john@example.com?subject=hi"), "john@example.com");
  EXPECT_EQ(OnlyMatch("(x@example.org), thanks"), "x@example.org");
  EXPECT_EQ(OnlyMatch("first line\njohn@example.com\nlast"), "john@example.com");
  EXPECT_EQ(OnlyMatch("...john@example.com"), "john@example.com");
}

TEST(EmailDetector, FindsSeveralAddresses) {
  const auto hits = Scan("a@example.com, b@example.org; c@example.net");
  ASSERT_EQ(hits.size(), 3u);
  EXPECT_EQ(hits[1].begin, 15u);
}

TEST(EmailDetector, IgnoresHandlesAndNonAddresses) {
  EXPECT_TRUE(Scan("ping @john on slack").empty());
  EXPECT_TRUE(Scan("john@localhost").empty());
  EXPECT_TRUE(Scan("a@b@c.com").empty());
  EXPECT_TRUE(Scan("price 5@3.50").empty());
  EXPECT_TRUE(Scan("josé@example.com").empty());
  EXPECT_TRUE(Scan("john@example.comé").empty());
}

TEST(EmailDetector, ConfidenceIsHighOnlyWithASupportingWordOutsideTheAddress) {
  const auto alone = Scan("john@example.com");
  ASSERT_EQ(alone.size(), 1u);
  EXPECT_EQ(alone[0].confidence, Confidence::kMedium);
  EXPECT_EQ(alone[0].masked_text, "****@******e.com");
  EXPECT_EQ(Scan("john@mail.example.com")[0].confidence, Confidence::kMedium);
  EXPECT_EQ(Scan("my e-mail: john@example.com")[0].confidence, Confidence::kHigh);
  EXPECT_EQ(Scan("E-Mail john@example.com")[0].confidence, Confidence::kHigh);
}

}  // namespace
}  // namespace custos::policy
