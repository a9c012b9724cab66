// SPDX-License-Identifier: Apache-2.0
#include "http/status_mapping.h"

#include <gtest/gtest.h>

namespace custos::http {
namespace {

using core::StatusCode;

TEST(HttpStatusFor, MapsClientErrorsToFourHundreds) {
  EXPECT_EQ(HttpStatusFor(StatusCode::kInvalidArgument), 400);
  EXPECT_EQ(HttpStatusFor(StatusCode::kUnauthenticated), 401);
  EXPECT_EQ(HttpStatusFor(StatusCode::kPermissionDenied), 403);
  EXPECT_EQ(HttpStatusFor(StatusCode::kNotFound), 404);
  EXPECT_EQ(HttpStatusFor(StatusCode::kAlreadyExists), 409);
  EXPECT_EQ(HttpStatusFor(StatusCode::kFailedPrecondition), 409);
  EXPECT_EQ(HttpStatusFor(StatusCode::kResourceExhausted), 429);
}

TEST(HttpStatusFor, MapsServerSideErrorsToFiveHundreds) {
  EXPECT_EQ(HttpStatusFor(StatusCode::kUnavailable), 503);
  EXPECT_EQ(HttpStatusFor(StatusCode::kDeadlineExceeded), 504);
  EXPECT_EQ(HttpStatusFor(StatusCode::kUnimplemented), 501);
  EXPECT_EQ(HttpStatusFor(StatusCode::kInternal), 500);
  EXPECT_EQ(HttpStatusFor(StatusCode::kDataLoss), 500);
  EXPECT_EQ(HttpStatusFor(core::Status::Ok()), 200);
}

TEST(IsServerFault, OnlyInternalAndDataLossHideTheirMessage) {
  EXPECT_TRUE(IsServerFault(StatusCode::kInternal));
  EXPECT_TRUE(IsServerFault(StatusCode::kDataLoss));
  EXPECT_FALSE(IsServerFault(StatusCode::kInvalidArgument));
  EXPECT_FALSE(IsServerFault(StatusCode::kUnavailable));
}

}  // namespace
}  // namespace custos::http
