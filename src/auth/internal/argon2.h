// SPDX-License-Identifier: Apache-2.0
// The one call into libargon2: a raw Argon2id tag with every RFC 9106 input (secret and
// associated data included, which the RFC 9106 §5.3 test vector needs; custos's own hashes use
// neither). Internal to auth.
// Thread-safety: safe to call concurrently.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "auth/password.h"
#include "core/status.h"

namespace custos::auth::internal {

struct Argon2idInput {
  std::string_view password = {};
  std::string_view salt = {};
  std::string_view secret = {};
  std::string_view associated_data = {};
  Argon2Params params = {};
  std::size_t tag_bytes = kArgon2HashBytes;
};

// The Argon2id (version 0x13) tag. kInvalidArgument when the parameters are outside the limits of
// auth/password.h; kInternal with libargon2's message when it fails.
core::Result<std::string> Argon2id(const Argon2idInput& input);

// kInvalidArgument naming the parameter when `params` is outside the limits of auth/password.h.
core::Status CheckArgon2Params(const Argon2Params& params);

}  // namespace custos::auth::internal
