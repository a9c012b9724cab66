// SPDX-License-Identifier: Apache-2.0
#include "policy/detectors/checksum.h"

#include <cstring>

#include "crypto/crypto.h"

namespace custos::policy {

// SHA-256 through crypto/, the module that owns OpenSSL (see checksum.h).
Digest256 Sha256Digest(std::string_view data) {
  const std::string digest = crypto::Sha256(data);
  Digest256 out{};
  std::memcpy(out.data(), digest.data(), out.size());
  return out;
}

Digest256 DoubleSha256Digest(std::string_view data) {
  const Digest256 first = Sha256Digest(data);
  return Sha256Digest(std::string_view(reinterpret_cast<const char*>(first.data()), first.size()));
}

}  // namespace custos::policy
