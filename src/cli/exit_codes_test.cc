// SPDX-License-Identifier: Apache-2.0
#include "cli/exit_codes.h"

#include <gtest/gtest.h>

namespace custos::cli {
namespace {

TEST(ExitCodes, MapsStatusCodesToSysexits) {
  EXPECT_EQ(ExitCodeFor(core::Status::Ok()), 0);
  EXPECT_EQ(ExitCodeFor(core::InvalidArgument("x")), kExitDataError);
  EXPECT_EQ(ExitCodeFor(core::NotFound("x")), kExitNoInput);
  EXPECT_EQ(ExitCodeFor(core::Unavailable("x")), kExitUnavailable);
  EXPECT_EQ(ExitCodeFor(core::DataLoss("x")), kExitIoError);
  EXPECT_EQ(ExitCodeFor(core::Internal("x")), kExitSoftware);
  EXPECT_EQ(ExitCodeFor(core::PermissionDenied("x")), kExitNoPermission);
}

TEST(ExitCodes, NeverReturnsZeroForAnError) {
  for (int c = 1; c <= static_cast<int>(core::StatusCode::kUnimplemented); ++c) {
    EXPECT_NE(ExitCodeFor(core::Status(static_cast<core::StatusCode>(c), "x")), 0) << c;
  }
}

TEST(ExitCodes, VerificationFailuresHaveTheirOwnCode) {
  EXPECT_EQ(VerifyExitCodeFor(core::Status::Ok()), kExitOk);
  EXPECT_EQ(VerifyExitCodeFor(core::DataLoss("x")), kExitIntegrity);
  EXPECT_EQ(VerifyExitCodeFor(core::Unauthenticated("x")), kExitIntegrity);
  EXPECT_EQ(VerifyExitCodeFor(core::InvalidArgument("x")), kExitDataError);
  EXPECT_EQ(VerifyExitCodeFor(core::NotFound("x")), kExitNoInput);
  for (int c = 1; c <= static_cast<int>(core::StatusCode::kUnimplemented); ++c) {
    const core::Status s(static_cast<core::StatusCode>(c), "x");
    const bool integrity =
        s.code() == core::StatusCode::kDataLoss || s.code() == core::StatusCode::kUnauthenticated;
    EXPECT_EQ(ExitCodeFor(s) == kExitIntegrity, false) << c;
    EXPECT_EQ(VerifyExitCodeFor(s) == kExitIntegrity, integrity) << c;
  }
}

}  // namespace
}  // namespace custos::cli
