// SPDX-License-Identifier: Apache-2.0
#include "oidc/pending_logins.h"

#include <string>

#include <gtest/gtest.h>

namespace custos::oidc {
namespace {

using core::StatusCode;

constexpr core::Micros kStart = 1'700'000'000 * core::kMicrosPerSecond;

TEST(PendingLogins, AStateIsTakenOnceOnly) {
  PendingLogins logins;
  ASSERT_TRUE(logins.Add("s1", {"n1", "v1", 0}, kStart).ok());
  auto first = logins.Take("s1", kStart + 1);
  ASSERT_TRUE(first.has_value()) << first.error().ToString();
  EXPECT_EQ(first->nonce, "n1");
  EXPECT_EQ(first->code_verifier, "v1");
  auto again = logins.Take("s1", kStart + 2);
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().code(), StatusCode::kUnauthenticated);
  EXPECT_NE(again.error().message().find("already used"), std::string::npos);
  EXPECT_EQ(logins.size(), 0u);
}

TEST(PendingLogins, ALoginExpiresAfterItsTtl) {
  PendingLogins logins(10, 60 * core::kMicrosPerSecond);
  ASSERT_TRUE(logins.Add("s1", {"n", "v", 0}, kStart).ok());
  auto late = logins.Take("s1", kStart + 60 * core::kMicrosPerSecond);
  ASSERT_FALSE(late.has_value());
  EXPECT_NE(late.error().message().find("expired"), std::string::npos);
}

TEST(PendingLogins, RefusesNewLoginsWhenFullUntilOldOnesExpire) {
  PendingLogins logins(2, 60 * core::kMicrosPerSecond);
  ASSERT_TRUE(logins.Add("a", {}, kStart).ok());
  ASSERT_TRUE(logins.Add("b", {}, kStart + 1).ok());
  EXPECT_EQ(logins.Add("c", {}, kStart + 2).code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(logins.Add("a", {}, kStart + 2).code(), StatusCode::kResourceExhausted);
  // "a" expires: its room is free again, and "b" still completes.
  ASSERT_TRUE(logins.Add("c", {}, kStart + 60 * core::kMicrosPerSecond).ok());
  EXPECT_EQ(logins.size(), 2u);
  EXPECT_TRUE(logins.Take("b", kStart + 60 * core::kMicrosPerSecond).has_value());
  EXPECT_FALSE(logins.Take("a", kStart + 60 * core::kMicrosPerSecond).has_value());
}

}  // namespace
}  // namespace custos::oidc
