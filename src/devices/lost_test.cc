// SPDX-License-Identifier: Apache-2.0
#include "devices/lost.h"

#include <gtest/gtest.h>

namespace custos::devices {
namespace {

constexpr core::Micros kHour = 3600 * core::kMicrosPerSecond;

TEST(Lost, ReportContainFoundFreshPostureActive) {
  LostMachine m;
  auto t = m.ReportLost("alice", 100);
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(t->from, LostState::kActive);
  EXPECT_EQ(t->to, LostState::kReported);
  EXPECT_TRUE(m.blocks_messaging());
  ASSERT_TRUE(m.Contain(101).has_value());
  EXPECT_EQ(m.state(), LostState::kContained);
  EXPECT_FALSE(m.Found("admin", false, 200).ok());  // identity must be re-verified
  ASSERT_TRUE(m.Found("admin", true, 200).ok());
  EXPECT_FALSE(m.OnCompliantPosture(150, 210).has_value());  // a report from before found
  auto back = m.OnCompliantPosture(205, 210);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->to, LostState::kActive);
  EXPECT_FALSE(m.blocks_messaging());
}

TEST(Lost, TimeoutThenApprovedWipeThenRetired) {
  LostMachine m;
  ASSERT_TRUE(m.ReportLost("alice", 0).has_value());
  ASSERT_TRUE(m.Contain(1).has_value());
  EXPECT_FALSE(m.CheckTimeout(48, 47 * kHour).has_value());
  auto t = m.CheckTimeout(48, 48 * kHour);
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(t->to, LostState::kWipePending);
  EXPECT_EQ(m.ApproveWipe("alice", 49 * kHour).error().code(),
            core::StatusCode::kPermissionDenied);  // the reporter cannot approve
  ASSERT_TRUE(m.ApproveWipe("ciso", 49 * kHour).has_value());
  EXPECT_EQ(m.state(), LostState::kWiped);
  ASSERT_TRUE(m.WipeAcknowledged(50 * kHour).has_value());
  EXPECT_EQ(m.state(), LostState::kRetired);
  EXPECT_TRUE(m.blocks_messaging());
}

TEST(Lost, RefusesEventsFromTheWrongState) {
  LostMachine m;
  EXPECT_EQ(m.ApproveWipe("x", 0).error().code(), core::StatusCode::kFailedPrecondition);
  EXPECT_FALSE(m.ConfirmStolen("x", 0).has_value());
  ASSERT_TRUE(m.ReportLost("a", 0).has_value());
  EXPECT_FALSE(m.ReportLost("a", 0).has_value());
  ASSERT_TRUE(m.Contain(0).has_value());
  auto stolen = m.ConfirmStolen("admin", 5);
  ASSERT_TRUE(stolen.has_value());
  EXPECT_EQ(stolen->to, LostState::kWipePending);
  EXPECT_EQ(ParseLostState("wipe_pending").value(), LostState::kWipePending);
}

}  // namespace
}  // namespace custos::devices
