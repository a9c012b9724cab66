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

}  // namespace
}  // namespace custos::cli
