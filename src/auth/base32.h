// SPDX-License-Identifier: Apache-2.0
// Base32 (RFC 4648 §6, alphabet A-Z 2-7) for TOTP secrets: what authenticator apps read from an
// `otpauth://` URI or a person types in by hand.
// Thread-safety: pure functions, safe to call concurrently.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "core/status.h"

namespace custos::auth {

// The longest Base32 text Base32Decode accepts (padding included): 160 decoded bytes, far more
// than any TOTP secret (20 or 32 bytes).
inline constexpr std::size_t kMaxBase32Chars = 256;

// Upper-case Base32 of `bytes`; with `pad`, '=' up to a multiple of 8 characters (RFC 4648).
// otpauth URIs use no padding.
std::string Base32Encode(std::string_view bytes, bool pad = false);

// Decodes Base32, upper or lower case, with or without the RFC 4648 '=' padding (when present
// it must be complete and correct). kInvalidArgument naming the offending position when the text
// is longer than kMaxBase32Chars, holds a character outside the alphabet, has a length no
// encoding produces, or leaves non-zero bits after the last whole byte (non-canonical text).
core::Result<std::string> Base32Decode(std::string_view text);

}  // namespace custos::auth
