// SPDX-License-Identifier: Apache-2.0
#include "oidc/pending_logins.h"

namespace custos::oidc {

PendingLogins::PendingLogins(std::size_t capacity, core::Micros ttl)
    : capacity_(capacity), ttl_(ttl) {}

void PendingLogins::DropExpiredLocked(core::Micros now) {
  while (!by_age_.empty() && by_age_.begin()->first + ttl_ <= now) {
    by_state_.erase(by_age_.begin()->second);
    by_age_.erase(by_age_.begin());
  }
}

core::Status PendingLogins::Add(const std::string& state, PendingLogin login, core::Micros now) {
  core::MutexLock lock(&mu_);
  DropExpiredLocked(now);
  if (by_state_.size() >= capacity_) {
    return core::ResourceExhausted("OIDC: " + std::to_string(capacity_) +
                                   " logins in progress already; try again in a few minutes");
  }
  login.created = now;
  if (!by_state_.emplace(state, login).second) {
    return core::AlreadyExists("OIDC: state already pending");
  }
  by_age_.emplace(now, state);
  return core::Status::Ok();
}

core::Result<PendingLogin> PendingLogins::Take(std::string_view state, core::Micros now) {
  core::MutexLock lock(&mu_);
  const auto it = by_state_.find(std::string(state));
  if (it == by_state_.end()) {
    return core::Unauthenticated("OIDC: unknown or already used state (a login completes once)");
  }
  PendingLogin login = std::move(it->second);
  by_age_.erase({login.created, it->first});
  by_state_.erase(it);
  if (login.created + ttl_ <= now) {
    return core::Unauthenticated("OIDC: the login expired (begun more than " +
                                 std::to_string(ttl_ / core::kMicrosPerSecond) + " s ago)");
  }
  return login;
}

std::size_t PendingLogins::size() const {
  core::MutexLock lock(&mu_);
  return by_state_.size();
}

}  // namespace custos::oidc
