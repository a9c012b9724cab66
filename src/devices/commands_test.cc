// SPDX-License-Identifier: Apache-2.0
#include "devices/commands.h"

#include <gtest/gtest.h>

#include "devices/credentials.h"

namespace custos::devices {
namespace {

constexpr core::Micros kMinute = 60 * core::kMicrosPerSecond;

DeviceFacts Android(Ownership o) { return {Platform::kAndroid, o, "fully_managed", Tri::kTrue}; }

TEST(Commands, QueuedSentAcknowledged) {
  auto c = NewCommand("d1", CommandType::kLock, Android(Ownership::kCorporate), "admin", "u1", 0);
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->state, CommandState::kQueued);
  EXPECT_FALSE(MarkAcknowledged(&*c, 1).ok());  // not sent yet
  ASSERT_TRUE(MarkSent(&*c, 1).ok());
  ASSERT_TRUE(MarkAcknowledged(&*c, 2, "Acknowledged").ok());
  EXPECT_TRUE(c->terminal());
  EXPECT_FALSE(MarkFailed(&*c, 3, "late").ok());
}

TEST(Commands, AndroidCommandsExpireAfterTenMinutes) {
  auto c = NewCommand("d1", CommandType::kLock, Android(Ownership::kCorporate), "admin", "u", 0);
  ASSERT_TRUE(c.has_value());
  ASSERT_TRUE(MarkSent(&*c, kMinute).ok());
  EXPECT_FALSE(ExpireIfDue(&*c, 9 * kMinute));
  EXPECT_FALSE(MarkAcknowledged(&*c, 10 * kMinute).ok());  // expires first, then refuses
  EXPECT_EQ(c->state, CommandState::kExpired);
}

TEST(Commands, AppleCommandsWaitForCheckIn) {
  DeviceFacts ios{Platform::kIos, Ownership::kCorporate, "supervised", Tri::kTrue};
  auto c = NewCommand("d1", CommandType::kLostMode, ios, "admin", "u", 0);
  ASSERT_TRUE(c.has_value());
  EXPECT_FALSE(ExpireIfDue(&*c, 24 * 60 * kMinute));
  EXPECT_TRUE(ExpireIfDue(&*c, 31LL * 24 * 60 * kMinute));
  ASSERT_TRUE(MarkFailed(&*c, 0, "x").code() == core::StatusCode::kFailedPrecondition);
}

TEST(Commands, PlatformLimits) {
  const DeviceFacts byod{Platform::kIos, Ownership::kPersonal, "user_enrollment", Tri::kFalse};
  EXPECT_FALSE(CheckPlatformLimits(CommandType::kErase, byod).ok());
  EXPECT_FALSE(CheckPlatformLimits(CommandType::kLostMode, byod).ok());
  EXPECT_TRUE(CheckPlatformLimits(CommandType::kRetire, byod).ok());
  EXPECT_TRUE(CheckPlatformLimits(CommandType::kLock, byod).ok());
  const DeviceFacts unsupervised{Platform::kIos, Ownership::kCorporate, "device_enrollment",
                                 Tri::kFalse};
  EXPECT_FALSE(CheckPlatformLimits(CommandType::kLostMode, unsupervised).ok());
  EXPECT_TRUE(CheckPlatformLimits(CommandType::kErase, unsupervised).ok());
  EXPECT_FALSE(NewCommand("d", CommandType::kErase, byod, "admin", "u", 0).has_value());
}

TEST(Credentials, StoredHashedComparedAndOneTime) {
  auto s = NewSecret("cdc_");
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->plaintext.rfind("cdc_", 0), 0u);
  EXPECT_EQ(s->plaintext.size(), 4u + 64u);
  EXPECT_EQ(s->hash.find(s->plaintext), std::string::npos);
  EXPECT_TRUE(VerifySecret(s->plaintext, s->hash));
  EXPECT_FALSE(VerifySecret(s->plaintext + "x", s->hash));
  EnrollmentToken t{s->hash, "d1", 100, false};
  EXPECT_TRUE(CheckRedeemable(t, 99).ok());
  EXPECT_EQ(CheckRedeemable(t, 100).code(), core::StatusCode::kUnauthenticated);
  t.used = true;
  EXPECT_FALSE(CheckRedeemable(t, 0).ok());
}

}  // namespace
}  // namespace custos::devices
