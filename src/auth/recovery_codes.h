// SPDX-License-Identifier: Apache-2.0
// Single-use recovery codes for the second factor: ten codes shown once at enrolment, each of
// 12 characters from Crockford's base32 alphabet (60 random bits from the CSPRNG), written
// `xxxx-xxxx-xxxx`.
//
// Storage: HMAC-SHA-256 under a server key the caller passes in (from the key ring, never stored
// beside the hashes) over a domain tag, the user id and the normalised code. Why a keyed MAC and
// not a salted SHA-256: a copy of the database alone then gives nothing to brute-force (60 bits
// against a fast unsalted-by-secret hash is within reach of a determined attacker; without the key
// it is not), and binding the user id means a hash copied to another user's row matches nothing.
// A slow hash (Argon2id) is unnecessary for 60 random bits under a secret key.
// Thread-safety: pure functions, safe to call concurrently.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace custos::auth {

inline constexpr std::size_t kRecoveryCodeCount = 10;
inline constexpr std::size_t kRecoveryCodeChars = 12;  // without the dashes
// The key must have at least this many bytes.
inline constexpr std::size_t kMinRecoveryKeyBytes = 16;
// The longest text ConsumeRecoveryCode looks at.
inline constexpr std::size_t kMaxRecoveryCodeInputBytes = 64;

struct RecoveryCodes {
  std::vector<std::string> codes;   // to show the user once: "abcd-efgh-jkmn"
  std::vector<std::string> hashes;  // to store: 32 raw bytes each, same order
};

// kRecoveryCodeCount new codes and their hashes for `user_id`. kInvalidArgument when the key is
// shorter than kMinRecoveryKeyBytes; kInternal if the CSPRNG fails.
core::Result<RecoveryCodes> NewRecoveryCodes(std::string_view key, std::string_view user_id);

// The stored hash of `code` for `user_id`; `code` is normalised first (case, dashes, spaces, and
// Crockford's i/l -> 1, o -> 0). kInvalidArgument when the code is not 12 characters of the
// alphabet after normalising, or the key is too short.
core::Result<std::string> HashRecoveryCode(std::string_view key, std::string_view user_id,
                                           std::string_view code);

// Finds `code` among `stored_hashes` (an empty entry is a used slot and matches nothing) and
// returns its index: the caller must then clear that slot, in the same transaction that accepts
// the login, so the code works once. Every entry is compared, in constant time, whatever matches.
// kInvalidArgument "recovery code: ..." when the code is malformed (longer than
// kMaxRecoveryCodeInputBytes, or not 12 characters of the alphabet); kUnauthenticated
// "recovery code does not match an unused code" otherwise.
core::Result<std::size_t> ConsumeRecoveryCode(std::string_view key, std::string_view user_id,
                                              std::string_view code,
                                              const std::vector<std::string>& stored_hashes);

}  // namespace custos::auth
