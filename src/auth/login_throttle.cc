// SPDX-License-Identifier: Apache-2.0
#include "auth/login_throttle.h"

#include <string>

namespace custos::auth {
namespace {

std::string_view Key(std::string_view s) { return s.substr(0, kMaxThrottleKeyBytes); }

std::string Wait(core::Micros remaining) {
  const core::Micros minutes =
      (remaining + 60 * core::kMicrosPerSecond - 1) / (60 * core::kMicrosPerSecond);
  return std::to_string(minutes) + " min";
}

}  // namespace

LoginThrottle::LoginThrottle(LoginThrottleOptions options) : options_(options) {
  CUSTOS_CHECK(options_.max_failures_per_account > 0 && options_.max_failures_per_address > 0);
  CUSTOS_CHECK(options_.lockout > 0 && options_.failure_window > 0);
  CUSTOS_CHECK(options_.max_tracked_accounts > 0 && options_.max_tracked_addresses > 0);
}

core::Status LoginThrottle::CheckTable(const Table& table, std::string_view key,
                                       std::string_view what, int max_failures,
                                       core::Micros now) const {
  const auto it = table.entries.find(std::string(Key(key)));
  if (it == table.entries.end() || it->second.locked_until <= now) {
    return core::Status::Ok();
  }
  return core::ResourceExhausted(std::string(what) + " is locked after " +
                                 std::to_string(max_failures) + " failed logins until " +
                                 core::FormatRfc3339(it->second.locked_until) + " (try again in " +
                                 Wait(it->second.locked_until - now) + ")");
}

core::Status LoginThrottle::Check(std::string_view account, std::string_view address,
                                  core::Micros now) const {
  core::MutexLock lock(&mu_);
  RETURN_IF_ERROR(CheckTable(accounts_, account, "account '" + std::string(Key(account)) + "'",
                             options_.max_failures_per_account, now));
  if (!address.empty()) {
    RETURN_IF_ERROR(CheckTable(addresses_, address,
                               "logins from address " + std::string(Key(address)),
                               options_.max_failures_per_address, now));
  }
  return core::Status::Ok();
}

void LoginThrottle::Fail(Table& table, std::string_view key, int max_failures, std::size_t cap,
                         core::Micros now) {
  std::string k(Key(key));
  auto it = table.entries.find(k);
  if (it == table.entries.end()) {
    table.order.push_front(k);
    it = table.entries.emplace(std::move(k), Entry{.order = table.order.begin()}).first;
  } else {
    table.order.splice(table.order.begin(), table.order, it->second.order);
  }
  Entry& entry = it->second;
  if (entry.locked_until > now) {
    return;  // already locked: attempts while locked do not extend the lock
  }
  if (entry.failures == 0 || now - entry.first_failure >= options_.failure_window) {
    entry.failures = 0;
    entry.first_failure = now;
  }
  if (++entry.failures >= max_failures) {
    entry.failures = 0;
    entry.locked_until = now + options_.lockout;
  }
  while (table.entries.size() > cap) {
    table.entries.erase(table.order.back());
    table.order.pop_back();
  }
}

void LoginThrottle::RecordFailure(std::string_view account, std::string_view address,
                                  core::Micros now) {
  core::MutexLock lock(&mu_);
  Fail(accounts_, account, options_.max_failures_per_account, options_.max_tracked_accounts, now);
  if (!address.empty()) {
    Fail(addresses_, address, options_.max_failures_per_address, options_.max_tracked_addresses,
         now);
  }
}

void LoginThrottle::RecordSuccess(std::string_view account, std::string_view /*address*/,
                                  core::Micros now) {
  core::MutexLock lock(&mu_);
  const auto it = accounts_.entries.find(std::string(Key(account)));
  // A success cannot happen while locked (Check refuses first); if a caller records one anyway,
  // the lock stands.
  if (it == accounts_.entries.end() || it->second.locked_until > now) {
    return;
  }
  accounts_.order.erase(it->second.order);
  accounts_.entries.erase(it);
}

std::size_t LoginThrottle::TrackedAccounts() const {
  core::MutexLock lock(&mu_);
  return accounts_.entries.size();
}

std::size_t LoginThrottle::TrackedAddresses() const {
  core::MutexLock lock(&mu_);
  return addresses_.entries.size();
}

}  // namespace custos::auth
