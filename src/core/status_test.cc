// SPDX-License-Identifier: Apache-2.0
#include "core/status.h"

#include <gtest/gtest.h>

namespace custos::core {
namespace {

Result<int> Half(int v) {
  if (v % 2 != 0) {
    return InvalidArgument("odd value " + std::to_string(v));
  }
  return v / 2;
}

Result<int> Quarter(int v) {
  ASSIGN_OR_RETURN(int half, Half(v));
  return Half(half);
}

Status Check(int v) {
  RETURN_IF_ERROR(Quarter(v).status());
  return Status::Ok();
}

TEST(Status, DefaultIsOk) { EXPECT_TRUE(Status().ok()); }

TEST(Status, WithContextPrependsToMessage) {
  Status s = NotFound("no such message");
  s.WithContext("while exporting");
  EXPECT_EQ(s.message(), "while exporting: no such message");
  EXPECT_EQ(s.ToString(), "not_found: while exporting: no such message");
}

TEST(Result, PropagatesErrorsThroughMacros) {
  EXPECT_EQ(*Quarter(8), 2);
  EXPECT_EQ(Quarter(6).error().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Quarter(6).error().message(), "odd value 3");
  EXPECT_TRUE(Check(4).ok());
  EXPECT_FALSE(Check(2).ok());
}

TEST(ResultDeathTest, ValueOnAnErrorAbortsWithTheStatusText) {
  EXPECT_DEATH(
      {
        Result<int> r = Half(3);
        static_cast<void>(r.value());
      },
      "Result::value\\(\\) on an error: invalid_argument: odd value 3");
}

}  // namespace
}  // namespace custos::core
