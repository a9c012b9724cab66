// SPDX-License-Identifier: Apache-2.0
// SHA-256 for validator checksums (Bitcoin base58check uses the first four bytes of a double
// SHA-256), computed by crypto/ (the only module that includes OpenSSL) and returned as a
// fixed-size digest so validators stay pure functions.
// Thread-safety: pure functions.
#pragma once

#include <string_view>

#include "policy/detectors/keccak.h"

namespace custos::policy {

// SHA-256 of `data`.
Digest256 Sha256Digest(std::string_view data);

// SHA-256 of the SHA-256 of `data`.
Digest256 DoubleSha256Digest(std::string_view data);

}  // namespace custos::policy
