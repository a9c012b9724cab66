// SPDX-License-Identifier: Apache-2.0
#include "crypto/crypto.h"

#include <string>

#include <gtest/gtest.h>

#include "core/text.h"

namespace custos::crypto {
namespace {

using core::HexEncode;
using core::StatusCode;

std::string Key(char fill) { return std::string(kAesKeyBytes, fill); }

TEST(Sha256, MatchesKnownAnswers) {
  EXPECT_EQ(HexEncode(Sha256("abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(HexEncode(Sha256("")),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(Sha256Hasher, IncrementalEqualsOneShot) {
  const std::string data = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
  Sha256Hasher hasher;
  hasher.Update(data.substr(0, 5));
  hasher.Update("");
  hasher.Update(data.substr(5));
  const std::string digest = hasher.Finish();
  EXPECT_EQ(digest, Sha256(data));
  EXPECT_EQ(HexEncode(digest), "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(HmacSha1, MatchesRfc2202) {
  // Test cases 1, 2 and 6 (a key longer than the block size).
  EXPECT_EQ(HexEncode(HmacSha1(std::string(20, '\x0b'), "Hi There")),
            "b617318655057264e28bc0b6fb378c8ef146be00");
  EXPECT_EQ(HexEncode(HmacSha1("Jefe", "what do ya want for nothing?")),
            "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
  EXPECT_EQ(HexEncode(HmacSha1(std::string(80, '\xaa'),
                               "Test Using Larger Than Block-Size Key - Hash Key First")),
            "aa4ae5e15272d00e95705637ce8a3b55ed402112");
}

TEST(HmacSha256, MatchesRfc4231) {
  // Test case 1.
  EXPECT_EQ(HexEncode(HmacSha256(std::string(20, '\x0b'), "Hi There")),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  // Test case 2.
  EXPECT_EQ(HexEncode(HmacSha256("Jefe", "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  // Test case 6: a key longer than the block size.
  EXPECT_EQ(HexEncode(HmacSha256(std::string(131, '\xaa'),
                                 "Test Using Larger Than Block-Size Key - Hash Key First")),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

TEST(HmacSha256, AcceptsEmptyKeyAndData) { EXPECT_EQ(HmacSha256("", "").size(), kSha256Bytes); }

TEST(RandomBytes, ReturnsFreshBytesOfTheRequestedLength) {
  auto a = RandomBytes(32);
  auto b = RandomBytes(32);
  ASSERT_TRUE(a.has_value());
  ASSERT_TRUE(b.has_value());
  EXPECT_EQ(a->size(), 32u);
  EXPECT_NE(*a, *b);
  EXPECT_EQ(RandomBytes(0)->size(), 0u);
}

TEST(ConstantTimeEquals, ComparesContentAndLength) {
  EXPECT_TRUE(ConstantTimeEquals("", ""));
  EXPECT_TRUE(ConstantTimeEquals("abc", "abc"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abd"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "ab"));
}

TEST(Base64, RoundTripsRfc4648Vectors) {
  const std::pair<const char*, const char*> vectors[] = {
      {"", ""},
      {"f", "Zg=="},
      {"fo", "Zm8="},
      {"foo", "Zm9v"},
      {"foob", "Zm9vYg=="},
      {"fooba", "Zm9vYmE="},
      {"foobar", "Zm9vYmFy"},
  };
  for (const auto& [plain, encoded] : vectors) {
    EXPECT_EQ(Base64Encode(plain), encoded);
    auto decoded = Base64Decode(encoded);
    ASSERT_TRUE(decoded.has_value()) << encoded;
    EXPECT_EQ(*decoded, plain);
  }
  const std::string all_bytes = [] {
    std::string s;
    for (int i = 0; i < 256; ++i) {
      s.push_back(static_cast<char>(i));
    }
    return s;
  }();
  EXPECT_EQ(*Base64Decode(Base64Encode(all_bytes)), all_bytes);
}

TEST(Base64, RejectsMalformedText) {
  for (const char* bad : {"Zg=", "Z===", "Zh==", "Zm9=", "Zm9v\n", "Zm=v", "Zm9v====", "Zm9v Zm9v",
                          "Zm9-", "Zm9_", "=Zm9"}) {
    auto decoded = Base64Decode(bad);
    EXPECT_FALSE(decoded.has_value()) << bad;
    if (!decoded.has_value()) {
      EXPECT_EQ(decoded.error().code(), StatusCode::kInvalidArgument) << bad;
    }
  }
}

TEST(Seal, RoundTripsAndUsesAFreshNonce) {
  const std::string key = Key('k');
  auto a = Seal(key, "the message", "record-1");
  auto b = Seal(key, "the message", "record-1");
  ASSERT_TRUE(a.has_value());
  ASSERT_TRUE(b.has_value());
  EXPECT_EQ(a->size(), kGcmNonceBytes + 11 + kGcmTagBytes);
  EXPECT_NE(*a, *b);
  auto opened = Open(key, *a, "record-1");
  ASSERT_TRUE(opened.has_value());
  EXPECT_EQ(*opened, "the message");
}

TEST(Seal, RoundTripsEmptyPlaintext) {
  auto sealed = Seal(Key('k'), "", "");
  ASSERT_TRUE(sealed.has_value());
  auto opened = Open(Key('k'), *sealed, "");
  ASSERT_TRUE(opened.has_value());
  EXPECT_EQ(*opened, "");
}

TEST(Seal, RejectsKeysOfTheWrongLength) {
  EXPECT_EQ(Seal("short", "x", "").error().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Open("short", std::string(40, 'x'), "").error().code(), StatusCode::kInvalidArgument);
}

TEST(Open, ReportsDataLossWhenAnyByteIsAltered) {
  const std::string key = Key('k');
  const std::string sealed = *Seal(key, "attack at dawn", "aad");
  for (std::size_t i = 0; i < sealed.size(); ++i) {
    std::string tampered = sealed;
    tampered[i] = static_cast<char>(tampered[i] ^ 0x01);
    auto opened = Open(key, tampered, "aad");
    ASSERT_FALSE(opened.has_value()) << "byte " << i;
    EXPECT_EQ(opened.error().code(), StatusCode::kDataLoss) << "byte " << i;
  }
}

TEST(Open, ReportsDataLossForWrongAadKeyOrLength) {
  const std::string key = Key('k');
  const std::string sealed = *Seal(key, "attack at dawn", "aad");
  EXPECT_EQ(Open(key, sealed, "aae").error().code(), StatusCode::kDataLoss);
  EXPECT_EQ(Open(key, sealed, "").error().code(), StatusCode::kDataLoss);
  EXPECT_EQ(Open(Key('j'), sealed, "aad").error().code(), StatusCode::kDataLoss);
  EXPECT_EQ(Open(key, sealed.substr(0, sealed.size() - 1), "aad").error().code(),
            StatusCode::kDataLoss);
  EXPECT_EQ(Open(key, sealed + "x", "aad").error().code(), StatusCode::kDataLoss);
  EXPECT_EQ(Open(key, sealed.substr(0, 10), "aad").error().code(), StatusCode::kDataLoss);
}

TEST(HmacSha256Key, EqualsOneShotHmacForAllKeyAndDataSizes) {
  for (const std::size_t key_size : {0, 1, 32, 64, 65, 200}) {
    const std::string key(key_size, 'k');
    const HmacSha256Key keyed(key);
    for (const std::size_t data_size : {0, 1, 55, 56, 64, 1000}) {
      const std::string data(data_size, 'd');
      EXPECT_EQ(keyed.Hash(data), HmacSha256(key, data)) << key_size << "/" << data_size;
    }
  }
}

}  // namespace
}  // namespace custos::crypto
