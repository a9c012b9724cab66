// SPDX-License-Identifier: Apache-2.0
// Enrollment tokens and device credentials. Both are random secrets shown once to their holder
// and stored only as SHA-256 hashes; a presented secret is hashed and compared in constant
// time. Enrollment tokens are one-time and expire (default 24 h).
// Thread-safety: pure functions (the CSPRNG is thread-safe).
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"
#include "core/time.h"

namespace custos::devices {

inline constexpr core::Micros kEnrollmentTokenLifetime = 24LL * 3600 * core::kMicrosPerSecond;

struct Secret {
  std::string plaintext;  // "cen_..." (enrollment) or "cdc_..." (device credential); shown once
  std::string hash;       // SHA-256 of plaintext, the only thing stored
};

// A fresh secret with `prefix` and 32 random bytes (hex).
core::Result<Secret> NewSecret(std::string_view prefix);

// SHA-256 of a presented secret.
std::string HashSecret(std::string_view plaintext);

// Whether `presented` hashes to `stored_hash` (constant time in the hash length).
bool VerifySecret(std::string_view presented, std::string_view stored_hash);

struct EnrollmentToken {
  std::string hash;
  std::string device_id;
  core::Micros expires_at = 0;
  bool used = false;
};

// kUnauthenticated when the token was used or has expired; the message never echoes it.
core::Status CheckRedeemable(const EnrollmentToken& token, core::Micros now);

}  // namespace custos::devices
