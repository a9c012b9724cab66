// SPDX-License-Identifier: Apache-2.0
#include "cli/exit_codes.h"

namespace custos::cli {

int ExitCodeFor(const core::Status& status) {
  switch (status.code()) {
    case core::StatusCode::kOk:
      return kExitOk;
    case core::StatusCode::kInvalidArgument:
      return kExitDataError;
    case core::StatusCode::kNotFound:
      return kExitNoInput;
    case core::StatusCode::kAlreadyExists:
    case core::StatusCode::kFailedPrecondition:
      return kExitConfig;
    case core::StatusCode::kPermissionDenied:
    case core::StatusCode::kUnauthenticated:
      return kExitNoPermission;
    case core::StatusCode::kResourceExhausted:
    case core::StatusCode::kDeadlineExceeded:
      return kExitTempFail;
    case core::StatusCode::kUnavailable:
      return kExitUnavailable;
    case core::StatusCode::kDataLoss:
      return kExitIoError;
    case core::StatusCode::kInternal:
    case core::StatusCode::kUnimplemented:
      return kExitSoftware;
  }
  return kExitSoftware;
}

int VerifyExitCodeFor(const core::Status& status) {
  if (status.code() == core::StatusCode::kDataLoss ||
      status.code() == core::StatusCode::kUnauthenticated) {
    return kExitIntegrity;
  }
  return ExitCodeFor(status);
}

}  // namespace custos::cli
