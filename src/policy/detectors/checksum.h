// SPDX-License-Identifier: Apache-2.0
// SHA-256 for validator checksums (Bitcoin base58check uses the first four bytes of a double
// SHA-256). This is the policy module's only use of OpenSSL and the only file that includes
// it: checksum.cc. It exists so validators can be pure functions; if the module table moves
// hashing behind crypto/, only checksum.cc changes.
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
