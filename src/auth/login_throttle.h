// SPDX-License-Identifier: Apache-2.0
// LoginThrottle: the login rate limiter. It counts failed logins per account and per client
// address; after `max_failures` failures within `failure_window`, that account (or address) is
// locked for `lockout`, and Check refuses every attempt until then with an error that says when
// the lock ends. It is pure in-memory state with time passed in by the caller (core::Clock::Now()
// in the server, a FakeClock in tests), and bounded: at most `max_tracked_accounts` and
// `max_tracked_addresses` entries, the least recently failed evicted first (its lock, if any, is
// the one that ends soonest). Account names are counted whether or not the account exists, so the
// throttle never tells which accounts exist. State is lost on restart, by design (a restart
// grants at most one more round of attempts).
// Thread-safety: every method may be called concurrently (one core::Mutex).
#pragma once

#include <cstddef>
#include <list>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/mutex.h"
#include "core/status.h"
#include "core/time.h"

namespace custos::auth {

struct LoginThrottleOptions {
  int max_failures_per_account = 5;
  int max_failures_per_address = 5;
  core::Micros lockout = 15 * 60 * core::kMicrosPerSecond;
  // Failures older than this (counted from the first of a run) no longer count.
  core::Micros failure_window = 15 * 60 * core::kMicrosPerSecond;
  std::size_t max_tracked_accounts = 100'000;
  std::size_t max_tracked_addresses = 100'000;
};

// Account names and addresses longer than this are cut to it before counting.
inline constexpr std::size_t kMaxThrottleKeyBytes = 256;

class LoginThrottle {
 public:
  explicit LoginThrottle(LoginThrottleOptions options = {});
  LoginThrottle(const LoginThrottle&) = delete;
  LoginThrottle& operator=(const LoginThrottle&) = delete;

  // OK when a login attempt for `account` from `address` may proceed at `now`.
  // kResourceExhausted otherwise: "account 'alice' is locked after 5 failed logins until
  // 2024-01-01T00:15:00Z (try again in 15 min)" or the same for "logins from address ...". An
  // empty address is not tracked (only the account).
  core::Status Check(std::string_view account, std::string_view address, core::Micros now) const;

  // Counts one failed login for both the account and the address; the one that reaches its
  // maximum is locked from `now` for `lockout`.
  void RecordFailure(std::string_view account, std::string_view address, core::Micros now);

  // A successful login clears the account's failures. The address's failures stay: one valid
  // account must not reset the count of an address that is guessing at others.
  void RecordSuccess(std::string_view account, std::string_view address, core::Micros now);

  // How many accounts and addresses are tracked now (for tests and metrics).
  std::size_t TrackedAccounts() const;
  std::size_t TrackedAddresses() const;

 private:
  struct Entry {
    int failures = 0;
    core::Micros first_failure = 0;
    core::Micros locked_until = 0;
    std::list<std::string>::iterator order;  // position in the table's LRU list
  };

  // Entries for one kind of key, least recently failed at the back of `order`.
  struct Table {
    std::unordered_map<std::string, Entry> entries;
    std::list<std::string> order;
  };

  core::Status CheckTable(const Table& table, std::string_view key, std::string_view what,
                          int max_failures, core::Micros now) const CUSTOS_REQUIRES(mu_);
  void Fail(Table& table, std::string_view key, int max_failures, std::size_t cap, core::Micros now)
      CUSTOS_REQUIRES(mu_);

  // Immutable after construction.
  const LoginThrottleOptions options_;

  mutable core::Mutex mu_;
  Table accounts_ CUSTOS_GUARDED_BY(mu_);
  Table addresses_ CUSTOS_GUARDED_BY(mu_);
};

}  // namespace custos::auth
