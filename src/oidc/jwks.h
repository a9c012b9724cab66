// SPDX-License-Identifier: Apache-2.0
// The provider's JSON Web Key Set (RFC 7517 §5), as served at the discovery document's
// "jwks_uri": the public keys that sign ID tokens. ParseJwks keeps the keys custos can verify with
// (kty RSA, or EC on P-256; "use" absent or "sig"; "alg" absent, RS256 or ES256) and skips the
// rest (encryption keys, other curves and algorithms), so a provider that also publishes keys
// custos does not use still works. A key of a kind it keeps must be well formed (strict
// base64url, RSA of 2048 to 8192 bits, a P-256 point on the curve): one that is not fails the
// whole set, naming the key, rather than leaving a login to fail later on "unknown kid".
// Limits: the document at most kMaxJwksBytes, at most kMaxJwksKeys keys, a kid at most 256 bytes.
// Thread-safety: pure functions; a Jwks is a value.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/json_reader.h"
#include "core/status.h"
#include "crypto/jws.h"

namespace custos::oidc {

inline constexpr std::size_t kMaxJwksKeys = 20;
inline constexpr std::size_t kMaxJwksBytes = 256 * 1024;
inline constexpr std::size_t kMaxKidBytes = 256;
inline constexpr core::JsonLimits kJwksJsonLimits{kMaxJwksBytes, 8, 4096};

struct Jwk {
  std::string kid;  // may be empty (then only usable when it is the only key of its type)
  std::string alg;  // "RS256", "ES256" or empty (any allowed alg of the key's type)
  crypto::JwsPublicKey key;
};

struct Jwks {
  std::vector<Jwk> keys;
  std::size_t skipped = 0;  // keys of kinds custos does not verify with
};

// Parses a JWKS document. kInvalidArgument naming the key (by index and kid) and the member at
// fault, or the limit crossed (document size, depth, elements, number of keys).
core::Result<Jwks> ParseJwks(std::string_view json);

}  // namespace custos::oidc
