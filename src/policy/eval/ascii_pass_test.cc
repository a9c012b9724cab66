// SPDX-License-Identifier: Apache-2.0
// ScanAscii against a byte-at-a-time reference, on random texts of every length around the
// 16-byte blocks of its vector loop.
#include "policy/eval/ascii_pass.h"

#include <random>
#include <string>

#include <gtest/gtest.h>

#include "policy/detectors/detector.h"

namespace custos::policy::eval {
namespace {

bool IsLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

bool IsWord(char c) { return IsLetter(c) || (c >= '0' && c <= '9'); }

AsciiPass Reference(const std::string& s, std::string& lower) {
  AsciiPass pass;
  lower.clear();
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (static_cast<unsigned char>(c) >= 0x80) {
      pass.ascii = false;
    }
    lower.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
    if (static_cast<unsigned char>(c) < 0x20 || (c == ' ' && i + 1 < s.size() && s[i + 1] == ' ')) {
      pass.simple_blanks = false;
    }
    if (IsLetter(c) && (i == 0 || !IsWord(s[i - 1])) && (i + 1 == s.size() || !IsWord(s[i + 1]))) {
      ++pass.single_letters;
    }
  }
  pass.profile = TextProfile::Of(s).present;
  return pass;
}

TEST(AsciiPassTest, MatchesTheReferenceOnRandomTexts) {
  const std::string alphabet = "aAbZzgx09 5@:-_.\t\n!";
  std::mt19937 rng(11);
  for (int round = 0; round < 20000; ++round) {
    const std::size_t len = rng() % 70;
    std::string s;
    for (std::size_t i = 0; i < len; ++i) {
      s.push_back(alphabet[rng() % alphabet.size()]);
    }
    std::string want_lower;
    const AsciiPass want = Reference(s, want_lower);
    std::string lower;
    const AsciiPass got = ScanAscii(s, lower);
    ASSERT_TRUE(got.ascii) << s;
    EXPECT_EQ(lower, want_lower) << s;
    EXPECT_EQ(got.simple_blanks, want.simple_blanks) << s;
    EXPECT_EQ(got.single_letters, want.single_letters) << s;
    EXPECT_EQ(got.profile, want.profile) << s;
  }
}

TEST(AsciiPassTest, FindsANonAsciiByteAnywhere) {
  for (std::size_t len = 1; len < 60; ++len) {
    for (std::size_t at = 0; at < len; ++at) {
      std::string s(len, 'a');
      s[at] = '\xC3';
      std::string lower;
      EXPECT_FALSE(ScanAscii(s, lower).ascii) << len << " " << at;
    }
    std::string lower;
    EXPECT_TRUE(ScanAscii(std::string(len, 'a'), lower).ascii);
  }
}

TEST(AsciiPassTest, EmptyText) {
  std::string lower = "x";
  const AsciiPass pass = ScanAscii("", lower);
  EXPECT_TRUE(pass.ascii);
  EXPECT_TRUE(lower.empty());
  EXPECT_EQ(pass.single_letters, 0U);
  EXPECT_EQ(pass.profile, 0);
}

}  // namespace
}  // namespace custos::policy::eval
