// SPDX-License-Identifier: Apache-2.0
// Status and Result<T>: the one error vocabulary of custos.
//
// A Status is either OK or a code plus a message and a chain of context strings added as the
// error travels up ("while importing line 12"). Result<T> holds a value or a non-OK Status and
// copies the member names of std::expected so that moving to it later is a rename.
// Both are [[nodiscard]]; ignoring an error needs an explicit, greppable IgnoreError().
// Thread-safety: const methods may be called concurrently; everything else needs external
// synchronisation, as for any value type.
#pragma once

#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace custos::core {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,
  kNotFound,
  kAlreadyExists,
  kPermissionDenied,
  kUnauthenticated,
  kFailedPrecondition,
  kResourceExhausted,
  kUnavailable,
  kDeadlineExceeded,
  kDataLoss,
  kInternal,
  kUnimplemented,
};

// Short stable name of a code ("invalid_argument"), used in JSON error bodies.
std::string_view StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;

  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return {}; }

  bool ok() const { return code_ == StatusCode::kOk; }

  StatusCode code() const { return code_; }

  const std::string& message() const { return message_; }

  // Prepends context ("while X: <message>") and returns *this for chaining.
  Status& WithContext(std::string_view context);

  // "code: message", for logs and CLI output.
  std::string ToString() const;

  // Marks an error as deliberately ignored.
  void IgnoreError() const {}

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

Status InvalidArgument(std::string message);
Status NotFound(std::string message);
Status AlreadyExists(std::string message);
Status PermissionDenied(std::string message);
Status Unauthenticated(std::string message);
Status FailedPrecondition(std::string message);
Status ResourceExhausted(std::string message);
Status Unavailable(std::string message);
Status DataLoss(std::string message);
Status Internal(std::string message);
Status Unimplemented(std::string message);

namespace internal {
// Aborts with the status text: value() was called on a Result that holds an error.
[[noreturn]] void ValueOnError(const Status& status);
}  // namespace internal

// value() (and * and ->) on a Result that holds an error is a programmer error: it aborts with
// the status text (as CUSTOS_CHECK does) instead of throwing std::bad_variant_access.
template <typename T>
class [[nodiscard]] Result {
 public:
  // Implicit by design, so functions can `return value;` or `return status;`.
  Result(T value) : data_(std::move(value)) {}  // NOLINT(google-explicit-constructor)

  Result(Status status) : data_(std::move(status)) {  // NOLINT(google-explicit-constructor)
    if (std::get<Status>(data_).ok()) {
      std::abort();  // A Result must not be built from an OK status.
    }
  }

  bool has_value() const { return std::holds_alternative<T>(data_); }

  explicit operator bool() const { return has_value(); }

  // (std::get cannot throw here: CheckHasValue aborts first.)
  T& value() & {
    CheckHasValue();
    return std::get<T>(data_);
  }

  const T& value() const& {
    CheckHasValue();
    return std::get<T>(data_);
  }

  T&& value() && {
    CheckHasValue();
    return std::get<T>(std::move(data_));
  }

  const Status& error() const { return std::get<Status>(data_); }

  Status status() const { return has_value() ? Status::Ok() : error(); }

  T& operator*() & { return value(); }

  const T& operator*() const& { return value(); }

  T&& operator*() && { return std::move(*this).value(); }

  T* operator->() { return &value(); }

  const T* operator->() const { return &value(); }

 private:
  void CheckHasValue() const {
    if (!has_value()) {
      internal::ValueOnError(std::get<Status>(data_));
    }
  }

  std::variant<T, Status> data_;
};

}  // namespace custos::core

#define CUSTOS_CONCAT_INNER(a, b) a##b
#define CUSTOS_CONCAT(a, b) CUSTOS_CONCAT_INNER(a, b)

// Returns the Status from the enclosing function when `expr` is not OK.
#define RETURN_IF_ERROR(expr)                       \
  do {                                              \
    ::custos::core::Status custos_status_ = (expr); \
    if (!custos_status_.ok())                       \
      return custos_status_;                        \
  } while (false)

// `tmp` names the variable being declared and `lhs` is a declaration ("auto x"): neither can be
// parenthesised, which bugprone-macro-parentheses asks for.
// NOLINTBEGIN(bugprone-macro-parentheses)
#define CUSTOS_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                                 \
  if (!tmp.has_value())                              \
    return tmp.error();                              \
  lhs = std::move(tmp).value()
// NOLINTEND(bugprone-macro-parentheses)

// `ASSIGN_OR_RETURN(auto x, Fn());` declares x from a Result or returns its error.
#define ASSIGN_OR_RETURN(lhs, expr) \
  CUSTOS_ASSIGN_OR_RETURN_IMPL(CUSTOS_CONCAT(custos_result_, __LINE__), lhs, expr)

// Aborts with a message when a programmer invariant fails (never for user input).
#define CUSTOS_CHECK(cond)                                              \
  do {                                                                  \
    if (!(cond))                                                        \
      ::custos::core::internal::CheckFailed(#cond, __FILE__, __LINE__); \
  } while (false)

namespace custos::core::internal {
[[noreturn]] void CheckFailed(const char* cond, const char* file, int line);
}  // namespace custos::core::internal
