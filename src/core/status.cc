// SPDX-License-Identifier: Apache-2.0
#include "core/status.h"

#include <cstdio>

namespace custos::core {

std::string_view StatusCodeName(StatusCode code) {
  switch (code) {
    case StatusCode::kOk:
      return "ok";
    case StatusCode::kInvalidArgument:
      return "invalid_argument";
    case StatusCode::kNotFound:
      return "not_found";
    case StatusCode::kAlreadyExists:
      return "already_exists";
    case StatusCode::kPermissionDenied:
      return "permission_denied";
    case StatusCode::kUnauthenticated:
      return "unauthenticated";
    case StatusCode::kFailedPrecondition:
      return "failed_precondition";
    case StatusCode::kResourceExhausted:
      return "resource_exhausted";
    case StatusCode::kUnavailable:
      return "unavailable";
    case StatusCode::kDeadlineExceeded:
      return "deadline_exceeded";
    case StatusCode::kDataLoss:
      return "data_loss";
    case StatusCode::kInternal:
      return "internal";
    case StatusCode::kUnimplemented:
      return "unimplemented";
  }
  return "unknown";
}

Status& Status::WithContext(std::string_view context) {
  if (!ok()) {
    message_ = std::string(context) + ": " + message_;
  }
  return *this;
}

std::string Status::ToString() const {
  if (ok()) {
    return "ok";
  }
  return std::string(StatusCodeName(code_)) + ": " + message_;
}

Status InvalidArgument(std::string message) {
  return {StatusCode::kInvalidArgument, std::move(message)};
}

Status NotFound(std::string message) { return {StatusCode::kNotFound, std::move(message)}; }

Status AlreadyExists(std::string message) {
  return {StatusCode::kAlreadyExists, std::move(message)};
}

Status PermissionDenied(std::string message) {
  return {StatusCode::kPermissionDenied, std::move(message)};
}

Status Unauthenticated(std::string message) {
  return {StatusCode::kUnauthenticated, std::move(message)};
}

Status FailedPrecondition(std::string message) {
  return {StatusCode::kFailedPrecondition, std::move(message)};
}

Status ResourceExhausted(std::string message) {
  return {StatusCode::kResourceExhausted, std::move(message)};
}

Status Unavailable(std::string message) { return {StatusCode::kUnavailable, std::move(message)}; }

Status DataLoss(std::string message) { return {StatusCode::kDataLoss, std::move(message)}; }

Status Internal(std::string message) { return {StatusCode::kInternal, std::move(message)}; }

Status Unimplemented(std::string message) {
  return {StatusCode::kUnimplemented, std::move(message)};
}

namespace internal {

void CheckFailed(const char* cond, const char* file, int line) {
  std::fprintf(stderr, "custos: check failed: %s at %s:%d\n", cond, file, line);
  std::abort();
}

void ValueOnError(const Status& status) {
  std::fprintf(stderr, "custos: check failed: Result::value() on an error: %s\n",
               status.ToString().c_str());
  std::abort();
}

}  // namespace internal
}  // namespace custos::core
