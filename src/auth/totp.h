// SPDX-License-Identifier: Apache-2.0
// Time-based one-time passwords (RFC 6238 over RFC 4226 HOTP) for the second factor: code
// computation, verification with a ±1 step window and replay refusal, new secrets, and the
// `otpauth://totp/` enrolment URI authenticator apps read (Google Authenticator's Key URI format).
// Steps are 30 s from the Unix epoch (T0 = 0). Secrets are raw bytes; they are Base32 only
// inside a URI (auth/base32.h).
// Thread-safety: pure functions, safe to call concurrently. Replay refusal needs the caller to
// store the step VerifyTotp returns and pass it back next time, atomically per user.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"
#include "core/time.h"

namespace custos::auth {

enum class TotpAlgorithm { kSha1, kSha256 };

inline constexpr std::int64_t kTotpStepSeconds = 30;
inline constexpr int kTotpDigits = 6;
// Secret sizes: the HMAC's output size (RFC 4226 §4 asks for at least 128 bits).
inline constexpr std::size_t kTotpSecretBytesSha1 = 20;
inline constexpr std::size_t kTotpSecretBytesSha256 = 32;
// The longest secret any function here accepts.
inline constexpr std::size_t kMaxTotpSecretBytes = 64;
// Issuer and account names in a URI: at most this many bytes each.
inline constexpr std::size_t kMaxOtpauthNameBytes = 128;
// The longest URI ParseOtpauthUri reads.
inline constexpr std::size_t kMaxOtpauthUriBytes = 2048;

// "SHA1" or "SHA256", as written in otpauth URIs.
std::string_view TotpAlgorithmName(TotpAlgorithm algorithm);

// The RFC 6238 time step of `now`: floor(seconds since the epoch / 30).
std::int64_t TotpStep(core::Micros now);

// The HOTP value (RFC 4226 §5.3, dynamic truncation) for `step`, as exactly `digits` decimal
// digits with leading zeros. `digits` is 6 or 8 and `secret` non-empty and at most
// kMaxTotpSecretBytes (programmer errors otherwise: CUSTOS_CHECK).
std::string TotpCode(std::string_view secret, TotpAlgorithm algorithm, std::int64_t step,
                     int digits = kTotpDigits);

// Checks `code` against the steps TotpStep(now) - 1, TotpStep(now) and TotpStep(now) + 1 (clock
// drift of up to one step either way), comparing in constant time. ASCII spaces in `code` are
// ignored ("123 456"). On success returns the matched step: store it as the user's last used
// step and pass it as `last_used_step` next time (nullopt when none was ever accepted).
// Errors:
//   kInvalidArgument  "TOTP code: ..."  the code is not `digits` decimal digits, or the secret is
//                     empty or longer than kMaxTotpSecretBytes;
//   kUnauthenticated  "TOTP code does not match" when no step in the window matches;
//   kUnauthenticated  "TOTP code was already used ..." when it matches only steps at or before
//                     `last_used_step` (a replay: each step's code is accepted once).
// When the code matches more than one step, the earliest step after `last_used_step` wins.
core::Result<std::int64_t> VerifyTotp(std::string_view secret, TotpAlgorithm algorithm,
                                      std::string_view code, core::Micros now,
                                      std::optional<std::int64_t> last_used_step,
                                      int digits = kTotpDigits);

// A new random secret of kTotpSecretBytesSha1 or kTotpSecretBytesSha256 bytes from the CSPRNG;
// kInternal if the generator fails.
core::Result<std::string> NewTotpSecret(TotpAlgorithm algorithm);

// `otpauth://totp/Issuer:account?secret=BASE32&issuer=Issuer&algorithm=SHA1&digits=6&period=30`
// with issuer and account percent-encoded (RFC 3986 unreserved characters kept) and the secret
// in unpadded Base32. kInvalidArgument when the issuer or account is empty, longer than
// kMaxOtpauthNameBytes, not UTF-8, holds a control character or begins or ends with a space,
// when the issuer holds ':' (the label separator), or when the secret is empty or longer than
// kMaxTotpSecretBytes.
core::Result<std::string> OtpauthUri(std::string_view issuer, std::string_view account,
                                     std::string_view secret, TotpAlgorithm algorithm);

// What an otpauth URI says.
struct OtpauthKey {
  std::string issuer;
  std::string account;
  std::string secret;  // raw bytes
  TotpAlgorithm algorithm = TotpAlgorithm::kSha1;
  int digits = kTotpDigits;
  std::int64_t period_seconds = kTotpStepSeconds;
};

// Parses an `otpauth://totp/` URI as OtpauthUri writes it (and as other issuers do: the label's
// issuer prefix and the issuer parameter are optional but must agree when both are present;
// algorithm defaults to SHA1, digits to 6, period to 30; unknown parameters are ignored).
// kInvalidArgument naming the part when the URI is longer than kMaxOtpauthUriBytes, is not
// `otpauth://totp/`, has a bad percent-escape, a missing or undecodable secret, an algorithm
// other than SHA1/SHA256, digits other than 6 or 8, a period other than 30, a repeated
// parameter, or more than 32 parameters.
core::Result<OtpauthKey> ParseOtpauthUri(std::string_view uri);

}  // namespace custos::auth
