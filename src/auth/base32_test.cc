// SPDX-License-Identifier: Apache-2.0
#include "auth/base32.h"

#include <string>

#include <gtest/gtest.h>

namespace custos::auth {
namespace {

using core::StatusCode;

TEST(Base32, MatchesRfc4648TestVectors) {
  // RFC 4648 §10.
  const std::pair<std::string, std::string> vectors[] = {{"", ""},
                                                         {"f", "MY======"},
                                                         {"fo", "MZXQ===="},
                                                         {"foo", "MZXW6==="},
                                                         {"foob", "MZXW6YQ="},
                                                         {"fooba", "MZXW6YTB"},
                                                         {"foobar", "MZXW6YTBOI======"}};
  for (const auto& [plain, encoded] : vectors) {
    EXPECT_EQ(Base32Encode(plain, /*pad=*/true), encoded);
    auto decoded = Base32Decode(encoded);
    ASSERT_TRUE(decoded.has_value()) << encoded << ": " << decoded.error().ToString();
    EXPECT_EQ(*decoded, plain);
  }
}

TEST(Base32, UnpaddedAndLowerCaseDecode) {
  EXPECT_EQ(Base32Encode("foobar"), "MZXW6YTBOI");
  EXPECT_EQ(Base32Decode("mzxw6ytboi").value(), "foobar");
  EXPECT_EQ(Base32Encode("12345678901234567890"), "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
}

TEST(Base32, RoundTripsEveryLength) {
  std::string bytes;
  for (int n = 0; n < 40; ++n) {
    EXPECT_EQ(Base32Decode(Base32Encode(bytes)).value(), bytes);
    EXPECT_EQ(Base32Decode(Base32Encode(bytes, true)).value(), bytes);
    bytes.push_back(static_cast<char>(n * 37 + 11));
  }
}

TEST(Base32, RejectsMalformedText) {
  for (const char* bad : {"MZXW6YT1", "MZXW6YTB!", "M", "MZX", "MZXW6Y", "MZ=XQ===", "MZXQ==",
                          "MZXQ=====", "========", "MZ======A", "MZXW6YQ=M"}) {
    auto r = Base32Decode(bad);
    ASSERT_FALSE(r.has_value()) << bad;
    EXPECT_EQ(r.error().code(), StatusCode::kInvalidArgument) << bad;
    EXPECT_NE(r.error().message().find("base32"), std::string::npos);
  }
}

TEST(Base32, RejectsNonCanonicalTrailingBits) {
  // "MY" is 'f'; "MZ" sets a bit past the last byte.
  EXPECT_TRUE(Base32Decode("MY").has_value());
  EXPECT_FALSE(Base32Decode("MZ").has_value());
}

TEST(Base32, RejectsTextOverTheLimit) {
  const std::string long_text(kMaxBase32Chars + 8, 'A');
  auto r = Base32Decode(long_text);
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message().find("limit"), std::string::npos);
  EXPECT_TRUE(Base32Decode(std::string(kMaxBase32Chars, 'A')).has_value());
}

}  // namespace
}  // namespace custos::auth
