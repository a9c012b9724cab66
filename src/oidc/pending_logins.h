// SPDX-License-Identifier: Apache-2.0
// PendingLogins: the logins begun (BeginLogin) and not yet completed, keyed by their "state".
// Bounded: an entry lives at most `ttl` (10 minutes by default) and at most `capacity` (10,000)
// are held; when full of live entries a new login is refused (kResourceExhausted) rather than
// pushing out someone's login in progress. Single use: Take removes the entry, so a replayed
// state (and with it its nonce and PKCE verifier) is refused the second time.
// Thread-safety: every method may be called concurrently (one mutex).
#pragma once

#include <cstddef>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "core/mutex.h"
#include "core/status.h"
#include "core/time.h"

namespace custos::oidc {

inline constexpr std::size_t kMaxPendingLogins = 10'000;
inline constexpr core::Micros kPendingLoginTtl = 10 * 60 * core::kMicrosPerSecond;

struct PendingLogin {
  std::string nonce;
  std::string code_verifier;
  core::Micros created = 0;
};

class PendingLogins {
 public:
  explicit PendingLogins(std::size_t capacity = kMaxPendingLogins,
                         core::Micros ttl = kPendingLoginTtl);

  // Stores `login` under `state` (login.created = now). kResourceExhausted when `capacity` live
  // logins are pending; kAlreadyExists when the state is in use (never, for random states).
  core::Status Add(const std::string& state, PendingLogin login, core::Micros now);

  // Removes and returns the login of `state`. kUnauthenticated when the state is unknown, was
  // used already, or is older than the TTL.
  core::Result<PendingLogin> Take(std::string_view state, core::Micros now);

  std::size_t size() const;

 private:
  void DropExpiredLocked(core::Micros now) CUSTOS_REQUIRES(mu_);

  const std::size_t capacity_;
  const core::Micros ttl_;
  mutable core::Mutex mu_;
  std::unordered_map<std::string, PendingLogin> by_state_ CUSTOS_GUARDED_BY(mu_);
  std::set<std::pair<core::Micros, std::string>> by_age_ CUSTOS_GUARDED_BY(mu_);
};

}  // namespace custos::oidc
