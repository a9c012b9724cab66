// SPDX-License-Identifier: Apache-2.0
#include "auth/recovery_codes.h"

#include <regex>
#include <set>
#include <string>

#include <gtest/gtest.h>

namespace custos::auth {
namespace {

using core::StatusCode;

const std::string kKey(32, 'k');

TEST(RecoveryCodes, TenDistinctCodesInTheShownFormat) {
  const RecoveryCodes codes = NewRecoveryCodes(kKey, "user-1").value();
  ASSERT_EQ(codes.codes.size(), kRecoveryCodeCount);
  ASSERT_EQ(codes.hashes.size(), kRecoveryCodeCount);
  const std::regex shape("[0-9a-hjkmnp-tv-z]{4}-[0-9a-hjkmnp-tv-z]{4}-[0-9a-hjkmnp-tv-z]{4}");
  for (std::size_t i = 0; i < kRecoveryCodeCount; ++i) {
    EXPECT_TRUE(std::regex_match(codes.codes[i], shape)) << codes.codes[i];
    EXPECT_EQ(codes.hashes[i].size(), 32u);
    EXPECT_EQ(codes.hashes[i], HashRecoveryCode(kKey, "user-1", codes.codes[i]).value());
    EXPECT_EQ(codes.hashes[i].find(codes.codes[i]), std::string::npos);
  }
  EXPECT_EQ(std::set<std::string>(codes.codes.begin(), codes.codes.end()).size(),
            kRecoveryCodeCount);
}

TEST(RecoveryCodes, EachCodeWorksOnceWhenTheCallerClearsItsSlot) {
  RecoveryCodes codes = NewRecoveryCodes(kKey, "user-1").value();
  const std::size_t index =
      ConsumeRecoveryCode(kKey, "user-1", codes.codes[3], codes.hashes).value();
  EXPECT_EQ(index, 3u);
  codes.hashes[index].clear();
  auto again = ConsumeRecoveryCode(kKey, "user-1", codes.codes[3], codes.hashes);
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(ConsumeRecoveryCode(kKey, "user-1", codes.codes[9], codes.hashes).value(), 9u);
}

TEST(RecoveryCodes, NormalisesWhatPeopleType) {
  const RecoveryCodes codes = NewRecoveryCodes(kKey, "u").value();
  std::string typed = codes.codes[0];
  for (char& c : typed) {
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  typed.erase(4, 1);  // one dash dropped
  EXPECT_EQ(ConsumeRecoveryCode(kKey, "u", " " + typed, codes.hashes).value(), 0u);
  // Crockford: i and l read as 1, o as 0.
  EXPECT_EQ(HashRecoveryCode(kKey, "u", "1111-0000-abcd").value(),
            HashRecoveryCode(kKey, "u", "iLlI-oOoO-ABCD").value());
}

TEST(RecoveryCodes, BoundToTheUserAndTheKey) {
  const RecoveryCodes codes = NewRecoveryCodes(kKey, "user-1").value();
  EXPECT_EQ(ConsumeRecoveryCode(kKey, "user-2", codes.codes[0], codes.hashes).error().code(),
            StatusCode::kUnauthenticated);
  EXPECT_EQ(ConsumeRecoveryCode(std::string(32, 'K'), "user-1", codes.codes[0], codes.hashes)
                .error()
                .code(),
            StatusCode::kUnauthenticated);
}

TEST(RecoveryCodes, RejectsMalformedCodesAndShortKeys) {
  const RecoveryCodes codes = NewRecoveryCodes(kKey, "u").value();
  for (const std::string& bad :
       {std::string(""), std::string("abcd-efgh"), std::string("abcd-efgh-jkmn-p"),
        std::string("abcd-efgh-jkmu"), std::string(100, 'a')}) {
    auto r = ConsumeRecoveryCode(kKey, "u", bad, codes.hashes);
    ASSERT_FALSE(r.has_value()) << bad;
    EXPECT_EQ(r.error().code(), StatusCode::kInvalidArgument) << bad;
    EXPECT_NE(r.error().message().find("recovery code"), std::string::npos);
  }
  EXPECT_EQ(NewRecoveryCodes("short", "u").error().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace custos::auth
