// SPDX-License-Identifier: Apache-2.0
#include "auth/login_throttle.h"

#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "testing/fake_clock.h"

namespace custos::auth {
namespace {

using core::kMicrosPerSecond;
using core::StatusCode;

constexpr core::Micros kMinute = 60 * kMicrosPerSecond;

TEST(LoginThrottle, LocksAnAccountAfterFiveFailuresForFifteenMinutes) {
  testing::FakeClock clock;
  LoginThrottle throttle;
  for (int i = 0; i < 4; ++i) {
    ASSERT_TRUE(throttle.Check("alice", "192.0.2.1", clock.Now()).ok());
    throttle.RecordFailure("alice", "192.0.2.1", clock.Now());
    clock.Advance(kMicrosPerSecond);
  }
  // The fifth failure comes from another address, so only the account locks.
  throttle.RecordFailure("alice", "192.0.2.2", clock.Now());
  const core::Status locked = throttle.Check("alice", "192.0.2.9", clock.Now());
  ASSERT_FALSE(locked.ok());
  EXPECT_EQ(locked.code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(locked.message(),
            "account 'alice' is locked after 5 failed logins until 2024-01-01T00:15:04Z (try again "
            "in 15 min)");
  EXPECT_TRUE(throttle.Check("bob", "192.0.2.1", clock.Now()).ok());

  clock.Advance(15 * kMinute - 1);
  EXPECT_FALSE(throttle.Check("alice", "192.0.2.9", clock.Now()).ok());
  clock.Advance(1);
  EXPECT_TRUE(throttle.Check("alice", "192.0.2.9", clock.Now()).ok());
}

TEST(LoginThrottle, LocksAnAddressGuessingAtManyAccounts) {
  testing::FakeClock clock;
  LoginThrottle throttle;
  for (int i = 0; i < 5; ++i) {
    throttle.RecordFailure("user" + std::to_string(i), "198.51.100.7", clock.Now());
  }
  const core::Status s = throttle.Check("someone-else", "198.51.100.7", clock.Now());
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kResourceExhausted);
  EXPECT_NE(s.message().find("logins from address 198.51.100.7 is locked"), std::string::npos);
  EXPECT_TRUE(throttle.Check("someone-else", "198.51.100.8", clock.Now()).ok());
  // A success of another account from that address does not lift the address's lock.
  throttle.RecordSuccess("user9", "198.51.100.7", clock.Now());
  EXPECT_FALSE(throttle.Check("user9", "198.51.100.7", clock.Now()).ok());
}

TEST(LoginThrottle, SuccessClearsTheAccountsFailures) {
  testing::FakeClock clock;
  LoginThrottle throttle({.max_failures_per_address = 100});
  for (int i = 0; i < 4; ++i) {
    throttle.RecordFailure("alice", "192.0.2.1", clock.Now());
  }
  throttle.RecordSuccess("alice", "192.0.2.1", clock.Now());
  EXPECT_EQ(throttle.TrackedAccounts(), 0u);
  for (int i = 0; i < 4; ++i) {
    throttle.RecordFailure("alice", "192.0.2.1", clock.Now());
  }
  EXPECT_TRUE(throttle.Check("alice", "192.0.2.1", clock.Now()).ok());
}

TEST(LoginThrottle, OldFailuresExpire) {
  testing::FakeClock clock;
  LoginThrottle throttle;
  for (int i = 0; i < 4; ++i) {
    throttle.RecordFailure("alice", "", clock.Now());
  }
  clock.Advance(16 * kMinute);
  throttle.RecordFailure("alice", "", clock.Now());
  EXPECT_TRUE(throttle.Check("alice", "", clock.Now()).ok());
  EXPECT_EQ(throttle.TrackedAddresses(), 0u);  // an empty address is not tracked
}

TEST(LoginThrottle, MemoryIsBoundedEvictingTheLeastRecentlyFailed) {
  testing::FakeClock clock;
  LoginThrottle throttle(
      {.max_failures_per_account = 1, .max_tracked_accounts = 3, .max_tracked_addresses = 2});
  for (int i = 0; i < 10; ++i) {
    throttle.RecordFailure("user" + std::to_string(i), "10.0.0." + std::to_string(i), clock.Now());
    clock.Advance(kMicrosPerSecond);
  }
  EXPECT_EQ(throttle.TrackedAccounts(), 3u);
  EXPECT_EQ(throttle.TrackedAddresses(), 2u);
  EXPECT_FALSE(throttle.Check("user9", "", clock.Now()).ok());
  EXPECT_FALSE(throttle.Check("user7", "", clock.Now()).ok());
  EXPECT_TRUE(throttle.Check("user6", "", clock.Now()).ok());  // evicted
}

TEST(LoginThrottle, CutsLongKeys) {
  testing::FakeClock clock;
  LoginThrottle throttle({.max_failures_per_account = 1});
  const std::string long_name(10'000, 'a');
  throttle.RecordFailure(long_name, "", clock.Now());
  const core::Status s = throttle.Check(long_name + "b", "", clock.Now());
  ASSERT_FALSE(s.ok());
  EXPECT_LT(s.message().size(), kMaxThrottleKeyBytes + 200);
}

TEST(LoginThrottle, CountsFailuresFromManyThreads) {
  testing::FakeClock clock;
  LoginThrottle throttle({.max_failures_per_account = 400, .max_failures_per_address = 1000});
  std::vector<std::thread> threads;
  threads.reserve(4);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&throttle, &clock] {
      for (int i = 0; i < 100; ++i) {
        throttle.RecordFailure("shared", "203.0.113.1", clock.Now());
        throttle.Check("shared", "203.0.113.1", clock.Now()).IgnoreError();
      }
    });
  }
  for (std::thread& t : threads) {
    t.join();
  }
  // Exactly 400 failures: the 400th locked the account.
  EXPECT_FALSE(throttle.Check("shared", "", clock.Now()).ok());
  EXPECT_TRUE(throttle.Check("other", "203.0.113.1", clock.Now()).ok());
}

}  // namespace
}  // namespace custos::auth
