// SPDX-License-Identifier: Apache-2.0
// libFuzzer: the Base32 decoder and the otpauth:// URI parser (auth/base32.h, auth/totp.h), which
// read secrets a person types or pastes. Decoded Base32 must re-encode to text that decodes to
// the same bytes; a parsed URI's key must be within the limits and, when its issuer is one
// OtpauthUri accepts, survive a write-and-parse round trip.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "auth/base32.h"
#include "auth/totp.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace auth = custos::auth;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto bytes = auth::Base32Decode(text); bytes.has_value()) {
    auto again = auth::Base32Decode(auth::Base32Encode(*bytes));
    if (!again.has_value() || *again != *bytes) {
      std::abort();
    }
  }
  auto key = auth::ParseOtpauthUri(text);
  if (!key.has_value()) {
    return 0;
  }
  if (key->secret.empty() || key->secret.size() > auth::kMaxTotpSecretBytes ||
      key->account.size() > auth::kMaxOtpauthNameBytes ||
      key->issuer.size() > auth::kMaxOtpauthNameBytes) {
    std::abort();
  }
  if (!key->issuer.empty()) {
    auto uri = auth::OtpauthUri(key->issuer, key->account, key->secret, key->algorithm);
    if (uri.has_value()) {
      auto back = auth::ParseOtpauthUri(*uri);
      if (!back.has_value() || back->secret != key->secret || back->issuer != key->issuer ||
          back->account != key->account || back->algorithm != key->algorithm) {
        std::abort();
      }
    }
  }
  return 0;
}
