// SPDX-License-Identifier: Apache-2.0
#include "policy/detectors/secrets.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace custos::policy {
namespace {

// Test secrets are assembled at run time so no token-shaped literal sits in the source tree.
std::string Join(std::string_view a, std::string_view b) { return std::string(a) + std::string(b); }

// A PEM-shaped block with filler instead of real key material.
std::string PemBlock(std::string_view label, std::string_view newline = "\n") {
  std::string out = Join("-----BEGIN ", label) + "-----";
  for (int line = 0; line < 3; ++line) {
    out += newline;
    out += "MIIEpAIBAAKCAQEA" + std::string(48, 'Q');
  }
  out += newline;
  out += Join("-----END ", label) + "-----";
  return out;
}

std::string OnlyMatch(const Detector& detector, std::string_view text) {
  const auto hits = detector.Scan(text);
  if (hits.size() != 1) {
    return "";
  }
  return std::string(text.substr(hits[0].begin, hits[0].end - hits[0].begin));
}

TEST(PrivateKeyDetector, FindsCompleteBlocksOfEveryKeyType) {
  const Detector& d = PrivateKeyDetector();
  for (const char* label :
       {"RSA PRIVATE KEY", "EC PRIVATE KEY", "DSA PRIVATE KEY", "OPENSSH PRIVATE KEY",
        "PRIVATE KEY", "ENCRYPTED PRIVATE KEY", "PGP PRIVATE KEY BLOCK"}) {
    const std::string block = PemBlock(label);
    const std::string text = "here is the key:\n" + block + "\nthanks";
    EXPECT_EQ(OnlyMatch(d, text), block) << label;
    const auto hits = d.Scan(text);
    ASSERT_EQ(hits.size(), 1u);
    EXPECT_EQ(hits[0].confidence, Confidence::kHigh);
  }
}

TEST(PrivateKeyDetector, AcceptsLineBreaksFoldedIntoSpaces) {
  const std::string block = PemBlock("RSA PRIVATE KEY", " ");
  EXPECT_EQ(OnlyMatch(PrivateKeyDetector(), block), block);
}

TEST(PrivateKeyDetector, MasksTheKeyMaterialButKeepsTheArmour) {
  const auto hits = PrivateKeyDetector().Scan(PemBlock("EC PRIVATE KEY"));
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(
      hits[0].masked_text,
      "-----BEGIN EC PRIVATE KEY-----\n[192 characters masked]\n-----END EC PRIVATE KEY-----");
}

TEST(PrivateKeyDetector, ReportsTruncatedBlocksAsPlausible) {
  const Detector& d = PrivateKeyDetector();
  const std::string cut =
      "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA" + std::string(40, 'z');
  const auto alone = d.Scan(cut + "\n\nsorry, the rest did not paste");
  ASSERT_EQ(alone.size(), 1u);
  EXPECT_EQ(alone[0].confidence, Confidence::kLow);
  EXPECT_EQ(alone[0].end, cut.size());
  EXPECT_EQ(d.Scan("ssh key " + cut)[0].confidence, Confidence::kMedium);
}

TEST(PrivateKeyDetector, IgnoresPublicKeysCertificatesAndEmptyBlocks) {
  const Detector& d = PrivateKeyDetector();
  EXPECT_TRUE(d.Scan(PemBlock("PUBLIC KEY")).empty());
  EXPECT_TRUE(d.Scan(PemBlock("CERTIFICATE")).empty());
  EXPECT_TRUE(d.Scan("-----BEGIN RSA PRIVATE KEY-----\n-----END RSA PRIVATE KEY-----").empty());
  EXPECT_TRUE(d.Scan("-----BEGIN RSA PRIVATE KEY----- short").empty());
  EXPECT_TRUE(d.Scan("the header -----BEGIN PRIVATE KEY----- alone").empty());
}

TEST(AwsAccessKeyIdDetector, FindsKeyIdsAtWordBoundaries) {
  const Detector& d = AwsAccessKeyIdDetector();
  EXPECT_EQ(OnlyMatch(d, "aws_access_key_id = AKIAIOSFODNN7EXAMPLE\n"), "AKIAIOSFODNN7EXAMPLE");
  const std::string sts = Join("ASIA", "Y34FZKBOKMUTVV7A");
  EXPECT_EQ(OnlyMatch(d, "temp creds " + sts + "."), sts);
  const auto hits = d.Scan("AKIAIOSFODNN7EXAMPLE");
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].confidence, Confidence::kHigh);
  EXPECT_EQ(hits[0].masked_text, "****************MPLE");
}

TEST(AwsAccessKeyIdDetector, GradesNonBase32CharactersAsPlausible) {
  const Detector& d = AwsAccessKeyIdDetector();
  const auto hits = d.Scan(Join("AKIA", "IOSFODNN0EXAMPL1"));
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].confidence, Confidence::kLow);
  EXPECT_EQ(d.Scan(Join("aws key AKIA", "IOSFODNN0EXAMPL1"))[0].confidence, Confidence::kMedium);
}

TEST(AwsAccessKeyIdDetector, IgnoresWrongLengthsPrefixesAndCase) {
  const Detector& d = AwsAccessKeyIdDetector();
  EXPECT_TRUE(d.Scan("AKIAIOSFODNN7EXAMPL").empty());
  EXPECT_TRUE(d.Scan("AKIAIOSFODNN7EXAMPLEX").empty());
  EXPECT_TRUE(d.Scan("XAKIAIOSFODNN7EXAMPLE").empty());
  EXPECT_TRUE(d.Scan("AKIAiosfodnn7example").empty());
  EXPECT_TRUE(d.Scan("AIDAIOSFODNN7EXAMPLE").empty());
}

TEST(GithubTokenDetector, FindsClassicAndFineGrainedTokens) {
  const Detector& d = GithubTokenDetector();
  for (const char* prefix : {"ghp_", "gho_", "ghu_", "ghs_", "ghr_"}) {
    const std::string token = Join(prefix, "aB3dE5gH7jK9mN1pQ3sT5vW7yZ9bC1dE3fG5");
    EXPECT_EQ(OnlyMatch(d, "token: " + token + "\n"), token) << prefix;
  }
  const std::string pat = Join("github_pat_", "11ABCDEFG0123456789abc_" + std::string(59, 'x'));
  const auto hits = d.Scan("export GH=" + pat);
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].end - hits[0].begin, pat.size());
  EXPECT_EQ(hits[0].confidence, Confidence::kHigh);
}

TEST(GithubTokenDetector, IgnoresOtherPrefixesAndLengths) {
  const Detector& d = GithubTokenDetector();
  EXPECT_TRUE(d.Scan(Join("ghx_", std::string(36, 'a'))).empty());
  EXPECT_TRUE(d.Scan(Join("ghp_", std::string(35, 'a'))).empty());
  EXPECT_TRUE(d.Scan(Join("ghp_", std::string(37, 'a'))).empty());
  EXPECT_TRUE(d.Scan(Join("xghp_", std::string(36, 'a'))).empty());
  EXPECT_TRUE(d.Scan(Join("github_pat_", std::string(81, 'a'))).empty());
  EXPECT_TRUE(d.Scan("ghp_ is the prefix of a personal access token").empty());
}

TEST(SlackTokenDetector, FindsBotAndUserTokens) {
  const Detector& d = SlackTokenDetector();
  const std::string bot = Join("xoxb-", "263594206564-2343594206574-FGqddMF8t08v8N7Oq4i57vs1");
  EXPECT_EQ(OnlyMatch(d, "SLACK_TOKEN=" + bot + "\n"), bot);
  EXPECT_EQ(d.Scan(bot)[0].confidence, Confidence::kHigh);
  const std::string user = Join("xoxp-", "1111111111-2222222222-3333333333-abcdef0123456789abcdef");
  EXPECT_EQ(OnlyMatch(d, "(" + user + ")"), user);
}

TEST(SlackTokenDetector, GradesUnusualShapesAsPlausibleAndIgnoresShortOnes) {
  const Detector& d = SlackTokenDetector();
  const auto odd = d.Scan(Join("xoxs-", "abcdefghijkl"));
  ASSERT_EQ(odd.size(), 1u);
  EXPECT_EQ(odd[0].confidence, Confidence::kLow);
  EXPECT_TRUE(d.Scan(Join("xoxb-", "123")).empty());
  EXPECT_TRUE(d.Scan(Join("xoxz-", "263594206564-2343594206574-FGqddMF8t")).empty());
  EXPECT_TRUE(d.Scan(Join("axoxb-", "263594206564-2343594206574-FGqddMF8t")).empty());
}

}  // namespace
}  // namespace custos::policy
