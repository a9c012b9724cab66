// SPDX-License-Identifier: Apache-2.0
// Password hashing with Argon2id (RFC 9106, libargon2) stored as the standard PHC string
//   $argon2id$v=19$m=<KiB>,t=<passes>,p=<lanes>$<salt, unpadded base64>$<tag, unpadded base64>
// so each hash records its own parameters and they can be raised later (NeedsRehash), and the
// password policy every new password must pass.
// Thread-safety: pure functions, safe to call concurrently. Each hash or verification uses
// params.memory_kib of memory and `parallelism` threads for its duration; the caller bounds how
// many run at once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.h"

namespace custos::auth {

struct Argon2Params {
  // OWASP's Argon2id recommendation: 19 MiB, 2 passes, 1 lane.
  std::uint32_t memory_kib = 19456;
  std::uint32_t iterations = 2;
  std::uint32_t parallelism = 1;
};

// Limits on what a PHC string (and Argon2Params) may ask for, checked before libargon2 runs, so a
// forged or corrupted stored hash cannot make a login allocate gigabytes or spin for minutes.
inline constexpr std::uint32_t kMaxArgon2MemoryKib = 1024 * 1024;  // 1 GiB
inline constexpr std::uint32_t kMaxArgon2Iterations = 64;
inline constexpr std::uint32_t kMaxArgon2Parallelism = 16;
inline constexpr std::size_t kMinArgon2SaltBytes = 8;
inline constexpr std::size_t kMaxArgon2SaltBytes = 64;
inline constexpr std::size_t kMinArgon2HashBytes = 16;
inline constexpr std::size_t kMaxArgon2HashBytes = 64;
inline constexpr std::size_t kMaxPhcStringBytes = 256;
// HashPassword's choices.
inline constexpr std::size_t kArgon2SaltBytes = 16;
inline constexpr std::size_t kArgon2HashBytes = 32;
// Password length: bytes for the maximum (any password longer is refused by every function
// here), characters (UTF-8 code points) for the policy's minimum.
inline constexpr std::size_t kMaxPasswordBytes = 1024;
inline constexpr std::size_t kMinPasswordChars = 12;

// A parsed PHC string.
struct PhcHash {
  Argon2Params params;
  std::string salt;  // raw bytes
  std::string hash;  // raw bytes
};

// Parses `$argon2id$v=19$m=..,t=..,p=..$salt$hash` (only argon2id, only version 19, parameters
// in that order, decimal without leading zeros, salt and hash in unpadded standard base64).
// kInvalidArgument naming the field when anything else is found or a limit above is exceeded
// (m below 8 * p, or above kMaxArgon2MemoryKib, counts as malformed).
core::Result<PhcHash> ParsePhcString(std::string_view phc);

// Writes the PHC string of `hash` (the inverse of ParsePhcString).
std::string FormatPhcString(const PhcHash& hash);

// Hashes `password` with a fresh kArgon2SaltBytes random salt and returns the PHC string.
// kInvalidArgument when the password is longer than kMaxPasswordBytes or `params` is outside the
// limits above; kInternal if the CSPRNG or libargon2 fails.
core::Result<std::string> HashPassword(std::string_view password, const Argon2Params& params = {});

// True when `password` hashes to `phc` under the parameters and salt `phc` records; the tags are
// compared in constant time. false for a wrong password (and for one longer than
// kMaxPasswordBytes). kInvalidArgument when `phc` is malformed (ParsePhcString), kInternal if
// libargon2 fails (e.g. out of memory).
core::Result<bool> VerifyPassword(std::string_view password, std::string_view phc);

// True when `phc` should be replaced by a fresh HashPassword(password, params) after the next
// successful login: its parameters differ from `params`, its tag is not kArgon2HashBytes long, or
// it cannot be parsed at all.
bool NeedsRehash(std::string_view phc, const Argon2Params& params);

// Who the password is for, so it cannot just be their own name.
struct PasswordContext {
  std::string_view login;
  std::string_view email;
  std::string_view display_name;
};

// The policy for a new password (NIST SP 800-63B §5.1.1.2 style: length and a blocklist, no
// composition rules). kInvalidArgument with a message starting "password " that says which rule
// failed (and never repeats the password) when it:
//   - is not valid UTF-8, or holds control characters;
//   - has fewer than kMinPasswordChars characters, or more than kMaxPasswordBytes bytes;
//   - is one character repeated;
//   - equals or contains (ignoring ASCII case) the login, the e-mail address or its local part,
//     the display name, or a word of it of 4 or more characters (parts shorter than 3 characters
//     are not checked);
//   - is on the common-password list (ignoring ASCII case), or is such a password with only
//     digits and punctuation added before or after it ("Password2024!").
core::Status CheckPasswordPolicy(std::string_view password, const PasswordContext& context);

// True when `password`, lower-cased, is on the embedded common-password list.
bool IsCommonPassword(std::string_view password);

}  // namespace custos::auth
