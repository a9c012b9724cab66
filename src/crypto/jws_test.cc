// SPDX-License-Identifier: Apache-2.0
#include "crypto/jws.h"

#include <string>

#include <gtest/gtest.h>

#include "crypto/crypto.h"
#include "testing/test_signing_key.h"

namespace custos::crypto {
namespace {

using core::StatusCode;
using testing::TestSigningKey;

const std::string kInput = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhIn0";

TEST(Base64Url, RoundTripsAndRefusesPaddingAndTheStandardAlphabet) {
  const std::string bytes("\xfb\xff\x00\x01", 4);
  EXPECT_EQ(Base64UrlEncode(bytes), "-_8AAQ");
  auto back = Base64UrlDecode("-_8AAQ");
  ASSERT_TRUE(back.has_value()) << back.error().ToString();
  EXPECT_EQ(*back, bytes);
  EXPECT_EQ(Base64UrlDecode("-_8AAQ==").error().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Base64UrlDecode("+/8AAQ").error().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Base64UrlDecode("abcde").error().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Base64UrlDecode("ab c").error().code(), StatusCode::kInvalidArgument);
  // "QR" decodes to 'A' only when the unused bits are zero: "QQ" is canonical, "QR" is not.
  EXPECT_TRUE(Base64UrlDecode("QQ").has_value());
  EXPECT_FALSE(Base64UrlDecode("QR").has_value());
}

TEST(VerifyJwsSignature, AcceptsRs256AndRefusesAnAlteredInput) {
  TestSigningKey key(TestSigningKey::Type::kRsa2048, "r1");
  const std::string sig = key.Sign(kInput);
  EXPECT_TRUE(VerifyJwsSignature("RS256", key.PublicKey(), kInput, sig).ok());
  const core::Status altered = VerifyJwsSignature("RS256", key.PublicKey(), kInput + "x", sig);
  EXPECT_EQ(altered.code(), StatusCode::kUnauthenticated) << altered.ToString();
}

TEST(VerifyJwsSignature, AcceptsEs256RawSignaturesAndRefusesAnotherKey) {
  TestSigningKey key(TestSigningKey::Type::kEcP256, "e1");
  TestSigningKey other(TestSigningKey::Type::kEcP256, "e2");
  const std::string sig = key.Sign(kInput);
  ASSERT_EQ(sig.size(), 64u);
  EXPECT_TRUE(VerifyJwsSignature("ES256", key.PublicKey(), kInput, sig).ok());
  EXPECT_EQ(VerifyJwsSignature("ES256", other.PublicKey(), kInput, sig).code(),
            StatusCode::kUnauthenticated);
  EXPECT_EQ(VerifyJwsSignature("ES256", key.PublicKey(), kInput, sig.substr(1)).code(),
            StatusCode::kUnauthenticated);
}

TEST(VerifyJwsSignature, RefusesEveryOtherAlgorithm) {
  TestSigningKey key(TestSigningKey::Type::kRsa2048, "r1");
  const std::string sig = key.Sign(kInput);
  for (const char* alg : {"none", "HS256", "RS384", "PS256", "rs256", ""}) {
    const core::Status s = VerifyJwsSignature(alg, key.PublicKey(), kInput, sig);
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << alg;
    EXPECT_NE(s.message().find("not allowed"), std::string::npos) << s.message();
  }
  EXPECT_FALSE(IsAllowedJwsAlg("none"));
  EXPECT_TRUE(IsAllowedJwsAlg("ES256"));
}

TEST(VerifyJwsSignature, RefusesAKeyOfTheWrongTypeForTheAlg) {
  TestSigningKey rsa(TestSigningKey::Type::kRsa2048, "r1");
  const core::Status s = VerifyJwsSignature("ES256", rsa.PublicKey(), kInput, rsa.Sign(kInput));
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("needs a key of type EC"), std::string::npos) << s.message();
}

TEST(CheckJwsPublicKey, RefusesShortRsaModuliAndPointsOffTheCurve) {
  TestSigningKey small(TestSigningKey::Type::kRsa1024, "s");
  const core::Status weak = CheckJwsPublicKey(small.PublicKey());
  EXPECT_EQ(weak.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(weak.message().find("1024 bits"), std::string::npos) << weak.message();

  TestSigningKey ec(TestSigningKey::Type::kEcP256, "e");
  JwsPublicKey off = ec.PublicKey();
  off.y[31] = static_cast<char>(off.y[31] ^ 1);
  EXPECT_EQ(CheckJwsPublicKey(off).code(), StatusCode::kInvalidArgument);
  JwsPublicKey curve = ec.PublicKey();
  curve.crv = "P-384";
  EXPECT_EQ(CheckJwsPublicKey(curve).code(), StatusCode::kInvalidArgument);
  JwsPublicKey even = TestSigningKey(TestSigningKey::Type::kRsa2048, "r").PublicKey();
  even.e = std::string(1, '\x02');
  EXPECT_EQ(CheckJwsPublicKey(even).code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(CheckJwsPublicKey(ec.PublicKey()).ok());
}

}  // namespace
}  // namespace custos::crypto
