// SPDX-License-Identifier: Apache-2.0
#include "auth/totp.h"

#include <cstdint>
#include <string>

#include <gtest/gtest.h>

#include "auth/base32.h"

namespace custos::auth {
namespace {

using core::kMicrosPerSecond;
using core::StatusCode;

constexpr std::string_view kSeedSha1 = "12345678901234567890";
constexpr std::string_view kSeedSha256 = "12345678901234567890123456789012";

core::Micros At(std::int64_t seconds) { return seconds * kMicrosPerSecond; }

struct Vector {
  std::int64_t time;
  std::int64_t step;
  const char* sha1;
  const char* sha256;
};

// RFC 6238 Appendix B (8 digits; ../shared/reference/workflows.md §5.4).
constexpr Vector kRfc6238[] = {
    {59, 0x1, "94287082", "46119246"},
    {1111111109, 0x23523EC, "07081804", "68084774"},
    {1111111111, 0x23523ED, "14050471", "67062674"},
    {1234567890, 0x273EF07, "89005924", "91819424"},
    {2000000000, 0x3F940AA, "69279037", "90698825"},
    {20000000000, 0x27BC86AA, "65353130", "77737706"},
};

TEST(Totp, MatchesEveryRfc6238AppendixBVector) {
  for (const Vector& v : kRfc6238) {
    EXPECT_EQ(TotpStep(At(v.time)), v.step) << v.time;
    EXPECT_EQ(TotpCode(kSeedSha1, TotpAlgorithm::kSha1, v.step, 8), v.sha1) << v.time;
    EXPECT_EQ(TotpCode(kSeedSha256, TotpAlgorithm::kSha256, v.step, 8), v.sha256) << v.time;
    // Verification at that instant returns the vector's step.
    EXPECT_EQ(
        VerifyTotp(kSeedSha1, TotpAlgorithm::kSha1, v.sha1, At(v.time), std::nullopt, 8).value(),
        v.step);
    EXPECT_EQ(VerifyTotp(kSeedSha256, TotpAlgorithm::kSha256, v.sha256, At(v.time), std::nullopt, 8)
                  .value(),
              v.step);
  }
}

TEST(Totp, SixDigitCodeIsTheLastSixDigits) {
  EXPECT_EQ(TotpCode(kSeedSha1, TotpAlgorithm::kSha1, 1), "287082");
  EXPECT_EQ(TotpCode(kSeedSha1, TotpAlgorithm::kSha1, 0x23523EC), "081804");
  EXPECT_EQ(VerifyTotp(kSeedSha1, TotpAlgorithm::kSha1, "287 082", At(59), std::nullopt).value(),
            1);
}

TEST(Totp, AcceptsOneStepOfDriftEitherWayAndNoMore) {
  const std::int64_t step = 1000;
  const core::Micros now = At(step * kTotpStepSeconds + 10);
  for (const std::int64_t offset : {-1, 0, 1}) {
    const std::string code = TotpCode(kSeedSha1, TotpAlgorithm::kSha1, step + offset);
    EXPECT_EQ(VerifyTotp(kSeedSha1, TotpAlgorithm::kSha1, code, now, std::nullopt).value(),
              step + offset);
  }
  for (const std::int64_t offset : {-3, -2, 2, 3}) {
    const std::string code = TotpCode(kSeedSha1, TotpAlgorithm::kSha1, step + offset);
    auto r = VerifyTotp(kSeedSha1, TotpAlgorithm::kSha1, code, now, std::nullopt);
    ASSERT_FALSE(r.has_value()) << offset;
    EXPECT_EQ(r.error().code(), StatusCode::kUnauthenticated);
    EXPECT_EQ(r.error().message(), "TOTP code does not match");
  }
}

TEST(Totp, RefusesAReplayedCode) {
  const core::Micros now = At(1111111111);
  const std::int64_t step = TotpStep(now);
  const std::string code = TotpCode(kSeedSha256, TotpAlgorithm::kSha256, step);
  auto first = VerifyTotp(kSeedSha256, TotpAlgorithm::kSha256, code, now, step - 1);
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(*first, step);
  // The same code again, still within its window: refused.
  for (const core::Micros later : {now, now + At(20), now + At(30)}) {
    auto again = VerifyTotp(kSeedSha256, TotpAlgorithm::kSha256, code, later, *first);
    ASSERT_FALSE(again.has_value());
    EXPECT_EQ(again.error().code(), StatusCode::kUnauthenticated);
    EXPECT_NE(again.error().message().find("already used"), std::string::npos);
  }
  // An older code (previous step) after a newer one was accepted: refused too.
  const std::string older = TotpCode(kSeedSha256, TotpAlgorithm::kSha256, step - 1);
  auto r = VerifyTotp(kSeedSha256, TotpAlgorithm::kSha256, older, now, *first);
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message().find("already used"), std::string::npos);
  // The next step's code is fine.
  const std::string next = TotpCode(kSeedSha256, TotpAlgorithm::kSha256, step + 1);
  EXPECT_EQ(VerifyTotp(kSeedSha256, TotpAlgorithm::kSha256, next, now + At(30), *first).value(),
            step + 1);
}

TEST(Totp, RejectsMalformedCodes) {
  for (const char* bad :
       {"", "12345", "1234567", "12345a", "１２３４５６", "123-456", "12345678"}) {
    auto r = VerifyTotp(kSeedSha1, TotpAlgorithm::kSha1, bad, At(59), std::nullopt);
    ASSERT_FALSE(r.has_value()) << bad;
    EXPECT_EQ(r.error().code(), StatusCode::kInvalidArgument) << bad;
    EXPECT_NE(r.error().message().find("TOTP code"), std::string::npos);
  }
  auto empty_secret = VerifyTotp("", TotpAlgorithm::kSha1, "123456", At(59), std::nullopt);
  ASSERT_FALSE(empty_secret.has_value());
  EXPECT_EQ(empty_secret.error().code(), StatusCode::kInvalidArgument);
}

TEST(Totp, WrongAlgorithmDoesNotMatch) {
  auto r = VerifyTotp(kSeedSha1, TotpAlgorithm::kSha256, "287082", At(59), std::nullopt);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), StatusCode::kUnauthenticated);
}

TEST(Totp, NewSecretsHaveTheHmacSizeAndDiffer) {
  const std::string a = NewTotpSecret(TotpAlgorithm::kSha1).value();
  const std::string b = NewTotpSecret(TotpAlgorithm::kSha1).value();
  EXPECT_EQ(a.size(), kTotpSecretBytesSha1);
  EXPECT_NE(a, b);
  EXPECT_EQ(NewTotpSecret(TotpAlgorithm::kSha256).value().size(), kTotpSecretBytesSha256);
}

TEST(OtpauthUri, WritesTheKeyUriFormat) {
  EXPECT_EQ(OtpauthUri("custos", "alice@example.com", kSeedSha1, TotpAlgorithm::kSha1).value(),
            "otpauth://totp/custos:alice%40example.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
            "&issuer=custos&algorithm=SHA1&digits=6&period=30");
  EXPECT_EQ(
      OtpauthUri("ACME Co", "bob smith", "\x01\x02\x03\x04\x05", TotpAlgorithm::kSha256).value(),
      "otpauth://totp/ACME%20Co:bob%20smith?secret=AEBAGBAF&issuer=ACME%20Co"
      "&algorithm=SHA256&digits=6&period=30");
}

TEST(OtpauthUri, RejectsBadNames) {
  EXPECT_EQ(OtpauthUri("a:b", "x", kSeedSha1, TotpAlgorithm::kSha1).error().code(),
            StatusCode::kInvalidArgument);
  EXPECT_FALSE(OtpauthUri("", "x", kSeedSha1, TotpAlgorithm::kSha1).has_value());
  EXPECT_FALSE(OtpauthUri("custos", "", kSeedSha1, TotpAlgorithm::kSha1).has_value());
  EXPECT_FALSE(OtpauthUri("custos", "a\nb", kSeedSha1, TotpAlgorithm::kSha1).has_value());
  EXPECT_FALSE(OtpauthUri("custos", " a", kSeedSha1, TotpAlgorithm::kSha1).has_value());
  EXPECT_FALSE(OtpauthUri("custos ", "a", kSeedSha1, TotpAlgorithm::kSha1).has_value());
  EXPECT_FALSE(OtpauthUri("custos", std::string(kMaxOtpauthNameBytes + 1, 'a'), kSeedSha1,
                          TotpAlgorithm::kSha1)
                   .has_value());
  EXPECT_FALSE(OtpauthUri("custos", "a", "", TotpAlgorithm::kSha1).has_value());
}

TEST(ParseOtpauthUri, RoundTripsWhatOtpauthUriWrites) {
  // An issuer holding ':' (the label separator) is refused.
  EXPECT_FALSE(
      OtpauthUri("ACME: Compliance", "ana ñ@example.com", kSeedSha256, TotpAlgorithm::kSha256)
          .has_value());
  const std::string good =
      OtpauthUri("ACME Compliance", "ana ñ@example.com", kSeedSha256, TotpAlgorithm::kSha256)
          .value();
  const OtpauthKey key = ParseOtpauthUri(good).value();
  EXPECT_EQ(key.issuer, "ACME Compliance");
  EXPECT_EQ(key.account, "ana ñ@example.com");
  EXPECT_EQ(key.secret, kSeedSha256);
  EXPECT_EQ(key.algorithm, TotpAlgorithm::kSha256);
  EXPECT_EQ(key.digits, 6);
  EXPECT_EQ(key.period_seconds, 30);
}

TEST(ParseOtpauthUri, ReadsOtherIssuersForms) {
  const OtpauthKey key =
      ParseOtpauthUri("otpauth://totp/Example:%20alice?secret=gezdgnbvgy3tqojq&digits=8").value();
  EXPECT_EQ(key.issuer, "Example");
  EXPECT_EQ(key.account, "alice");
  EXPECT_EQ(key.secret, "1234567890");
  EXPECT_EQ(key.algorithm, TotpAlgorithm::kSha1);
  EXPECT_EQ(key.digits, 8);
}

TEST(ParseOtpauthUri, RejectsMalformedUris) {
  for (const char* bad : {
           "otpauth://hotp/a?secret=GEZDGNBV", "otpauth://totp/a", "otpauth://totp/a?issuer=x",
           "otpauth://totp/a?secret=GEZDGNB1", "otpauth://totp/a?secret=GEZDGNBV&secret=GEZDGNBV",
           "otpauth://totp/a?secret=GEZDGNBV&algorithm=SHA512",
           "otpauth://totp/a?secret=GEZDGNBV&digits=7",
           "otpauth://totp/a?secret=GEZDGNBV&period=60", "otpauth://totp/a%2?secret=GEZDGNBV",
           "otpauth://totp/X:a?secret=GEZDGNBV&issuer=Y", "otpauth://totp/?secret=GEZDGNBV",
           "otpauth://totp/%20e?secret=GEZDGNBV&issuer=x",  // found by fuzz_otpauth_uri
       }) {
    auto r = ParseOtpauthUri(bad);
    ASSERT_FALSE(r.has_value()) << bad;
    EXPECT_EQ(r.error().code(), StatusCode::kInvalidArgument) << bad;
  }
  std::string many = "otpauth://totp/a?secret=GEZDGNBV";
  for (int i = 0; i < 40; ++i) {
    many += "&x" + std::to_string(i) + "=1";
  }
  EXPECT_FALSE(ParseOtpauthUri(many).has_value());
  EXPECT_FALSE(
      ParseOtpauthUri("otpauth://totp/a?secret=GEZDGNBV&x=" + std::string(kMaxOtpauthUriBytes, 'a'))
          .has_value());
}

}  // namespace
}  // namespace custos::auth
