// SPDX-License-Identifier: Apache-2.0
#include "policy/detectors/checksum.h"

#include <openssl/sha.h>

namespace custos::policy {

// checksum via OpenSSL: the one place policy/ reaches it (see checksum.h).
Digest256 Sha256Digest(std::string_view data) {
  Digest256 out{};
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), out.data());
  return out;
}

Digest256 DoubleSha256Digest(std::string_view data) {
  const Digest256 first = Sha256Digest(data);
  return Sha256Digest(std::string_view(reinterpret_cast<const char*>(first.data()), first.size()));
}

}  // namespace custos::policy
