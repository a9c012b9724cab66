// SPDX-License-Identifier: Apache-2.0
#include "policy/detectors/ip_address.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace custos::policy {
namespace {

std::string OnlyMatch(const Detector& detector, std::string_view text) {
  const auto hits = detector.Scan(text);
  if (hits.size() != 1) {
    return "";
  }
  return std::string(text.substr(hits[0].begin, hits[0].end - hits[0].begin));
}

TEST(Ipv4Valid, AcceptsStrictDottedQuads) {
  EXPECT_TRUE(Ipv4Valid("192.168.1.1"));
  EXPECT_TRUE(Ipv4Valid("0.0.0.0"));
  EXPECT_TRUE(Ipv4Valid("255.255.255.255"));
  EXPECT_TRUE(Ipv4Valid("8.8.8.8"));
}

TEST(Ipv4Valid, RejectsOutOfRangeLeadingZerosAndWrongShapes) {
  EXPECT_FALSE(Ipv4Valid("256.1.1.1"));
  EXPECT_FALSE(Ipv4Valid("1.1.1.999"));
  EXPECT_FALSE(Ipv4Valid("010.1.1.1"));
  EXPECT_FALSE(Ipv4Valid("1.1.1"));
  EXPECT_FALSE(Ipv4Valid("1.1.1.1.1"));
  EXPECT_FALSE(Ipv4Valid("1..1.1"));
  EXPECT_FALSE(Ipv4Valid("1.1.1.1."));
  EXPECT_FALSE(Ipv4Valid("a.b.c.d"));
  EXPECT_FALSE(Ipv4Valid(""));
}

TEST(Ipv4Detector, FindsAddressesInText) {
  const Detector& d = Ipv4Detector();
  EXPECT_EQ(OnlyMatch(d, "ssh to 10.0.0.1."), "10.0.0.1");
  EXPECT_EQ(OnlyMatch(d, "IP:192.168.1.20,"), "192.168.1.20");
  EXPECT_EQ(OnlyMatch(d, "(8.8.8.8)"), "8.8.8.8");
  EXPECT_EQ(OnlyMatch(d, "line\n172.16.0.1\nline"), "172.16.0.1");
  EXPECT_EQ(OnlyMatch(d, "10.0.0.1:8080"), "10.0.0.1");
  EXPECT_EQ(OnlyMatch(d, "10.0.0.1/24"), "10.0.0.1");
}

TEST(Ipv4Detector, IgnoresVersionsLongerSequencesAndInvalidParts) {
  const Detector& d = Ipv4Detector();
  EXPECT_TRUE(d.Scan("v1.2.3.4").empty());
  EXPECT_TRUE(d.Scan("1.2.3.4.5").empty());
  EXPECT_TRUE(d.Scan("0.1.2.3.4").empty());
  EXPECT_TRUE(d.Scan("1.2.3.4a").empty());
  EXPECT_TRUE(d.Scan("1.2.3").empty());
  EXPECT_TRUE(d.Scan("1.2.3.1234").empty());
  EXPECT_TRUE(d.Scan("1234.2.3.4").empty());
  EXPECT_TRUE(d.Scan("300.1.1.1").empty());
  EXPECT_TRUE(d.Scan("01.1.1.1").empty());
}

TEST(Ipv4Detector, ConfidenceIsHighOnlyWithASupportingWord) {
  const Detector& d = Ipv4Detector();
  const auto alone = d.Scan("10.20.30.40");
  ASSERT_EQ(alone.size(), 1u);
  EXPECT_EQ(alone[0].confidence, Confidence::kMedium);
  EXPECT_EQ(alone[0].masked_text, "**.**.30.40");
  EXPECT_EQ(d.Scan("the server is at 10.20.30.40")[0].confidence, Confidence::kHigh);
  EXPECT_EQ(d.Scan("my IP: 10.20.30.40")[0].confidence, Confidence::kHigh);
}

TEST(Ipv6Valid, AcceptsFullCompressedAndMixedForms) {
  EXPECT_TRUE(Ipv6Valid("2001:0db8:85a3:0000:0000:8a2e:0370:7334"));
  EXPECT_TRUE(Ipv6Valid("2001:db8:85a3::8a2e:370:7334"));
  EXPECT_TRUE(Ipv6Valid("2001:db8::1"));
  EXPECT_TRUE(Ipv6Valid("::1"));
  EXPECT_TRUE(Ipv6Valid("fe80::"));
  EXPECT_TRUE(Ipv6Valid("::ffff:192.0.2.1"));
  EXPECT_TRUE(Ipv6Valid("64:ff9b::192.0.2.33"));
  EXPECT_TRUE(Ipv6Valid("0:0:0:0:0:ffff:192.0.2.1"));
  EXPECT_TRUE(Ipv6Valid("1:2:3:4:5:6:7::"));
  EXPECT_TRUE(Ipv6Valid("FE80::ABCD"));
}

TEST(Ipv6Valid, RejectsWrongGroupCountsAndShapes) {
  EXPECT_FALSE(Ipv6Valid("::"));
  EXPECT_FALSE(Ipv6Valid("1:2:3:4:5:6:7"));
  EXPECT_FALSE(Ipv6Valid("1:2:3:4:5:6:7:8:9"));
  EXPECT_FALSE(Ipv6Valid("1:2:3:4:5:6:7:8::"));
  EXPECT_FALSE(Ipv6Valid("1::2::3"));
  EXPECT_FALSE(Ipv6Valid(":::1"));
  EXPECT_FALSE(Ipv6Valid("12345::1"));
  EXPECT_FALSE(Ipv6Valid("2001:db8:::1"));
  EXPECT_FALSE(Ipv6Valid(":1:2:3:4:5:6:7"));
  EXPECT_FALSE(Ipv6Valid("12:30:45"));
  EXPECT_FALSE(Ipv6Valid("00:1a:2b:3c:4d:5e"));
  EXPECT_FALSE(Ipv6Valid("::ffff:192.0.2.256"));
  EXPECT_FALSE(Ipv6Valid("192.0.2.1::1"));
  EXPECT_FALSE(Ipv6Valid("::g"));
}

TEST(Ipv6Detector, FindsAddressesInText) {
  const Detector& d = Ipv6Detector();
  EXPECT_EQ(OnlyMatch(d, "connect to 2001:db8::1."), "2001:db8::1");
  EXPECT_EQ(OnlyMatch(d, "IP:2001:db8::1"), "2001:db8::1");
  EXPECT_EQ(OnlyMatch(d, "[2001:db8::1]:443"), "2001:db8::1");
  EXPECT_EQ(OnlyMatch(d, "loopback ::1 only"), "::1");
  EXPECT_EQ(OnlyMatch(d, "fe80::1%eth0"), "fe80::1");
  EXPECT_EQ(OnlyMatch(d, "mapped ::ffff:192.0.2.1\n"), "::ffff:192.0.2.1");
  EXPECT_EQ(OnlyMatch(d, "2001:0db8:85a3:0000:0000:8a2e:0370:7334"),
            "2001:0db8:85a3:0000:0000:8a2e:0370:7334");
}

TEST(Ipv6Detector, IgnoresTimesMacsScopeOperatorsAndWords) {
  const Detector& d = Ipv6Detector();
  EXPECT_TRUE(d.Scan("meet at 12:30:45").empty());
  EXPECT_TRUE(d.Scan("mac 00:1a:2b:3c:4d:5e").empty());
  EXPECT_TRUE(d.Scan("std::vector and Foo::bar").empty());
  EXPECT_TRUE(d.Scan("a :: b").empty());
  EXPECT_TRUE(d.Scan("x2001:db8::1").empty());
  EXPECT_TRUE(d.Scan("2001:db8::1x").empty());
}

TEST(Ipv6Detector, ConfidenceIsHighOnlyWithASupportingWord) {
  const Detector& d = Ipv6Detector();
  const auto alone = d.Scan("2001:db8::1");
  ASSERT_EQ(alone.size(), 1u);
  EXPECT_EQ(alone[0].confidence, Confidence::kMedium);
  EXPECT_EQ(alone[0].masked_text, "****:db8::1");
  EXPECT_EQ(d.Scan("host 2001:db8::1")[0].confidence, Confidence::kHigh);
}

}  // namespace
}  // namespace custos::policy
