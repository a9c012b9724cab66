// SPDX-License-Identifier: Apache-2.0
// Compact JWS parsing (RFC 7515 §7.1) and OpenID Connect ID token validation (OpenID Connect
// Core 1.0 §3.1.3.7) for the relying party.
//
// ParseCompactJws splits "header.payload.signature" with limits: the token at most
// kMaxJwtBytes, exactly three segments, strict unpadded base64url, header and payload JSON objects
// read through the bounded reader (core/json_reader.h, kJwtJsonLimits).
//
// VerifyIdToken checks, in this order: the header's "alg" is RS256 or ES256 ("none", HS256 and
// everything else refused before any key is looked at); no "crit" header; the key (by "kid";
// without a kid, the one key of the alg's type, if there is exactly one); the key's kty (and
// its "alg", when the JWK names one) match the token's alg; the signature; then the claims:
// "iss" equals the expected issuer exactly, "aud" (a string or an array) contains the client
// id, and when it holds several audiences "azp" must be present, and "azp" when present must be
// the client id; "exp" not passed, "iat" not in the future, "nbf" (if present) reached — each
// with `max_clock_skew` of tolerance; "nonce" equals the nonce sent with the authorisation
// request; "sub" present. Header members that point at keys ("jku", "x5u", "jwk", "x5c") are
// never used: keys come only from the provider's JWKS.
//
// Errors: kNotFound only when the token names a kid that is not in the JWKS (the caller may
// refetch the JWKS once: key rotation); every other refusal is kUnauthenticated with a message
// that starts "id_token: " and says which check failed ("alg \"none\" not allowed", "signature
// does not verify", "wrong audience", "expired", "nonce mismatch", "wrong issuer", ...).
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/json_reader.h"
#include "core/status.h"
#include "core/time.h"
#include "oidc/jwks.h"

namespace custos::oidc {

inline constexpr std::size_t kMaxJwtBytes = 16 * 1024;
inline constexpr core::JsonLimits kJwtJsonLimits{kMaxJwtBytes, 8, 1024};
inline constexpr core::Micros kDefaultMaxClockSkew = 60 * core::kMicrosPerSecond;

struct CompactJws {
  nlohmann::json header;      // an object
  nlohmann::json payload;     // an object
  std::string signing_input;  // "BASE64URL(header).BASE64URL(payload)" as received
  std::string signature;      // raw bytes (empty for an unsigned token)
};

// kInvalidArgument naming the segment at fault or the limit crossed.
core::Result<CompactJws> ParseCompactJws(std::string_view token);

struct IdTokenExpectations {
  std::string issuer;    // exact match with "iss"
  std::string audience;  // the client id
  std::string nonce;     // the nonce of this login's authorisation request
  core::Micros now = 0;
  core::Micros max_clock_skew = kDefaultMaxClockSkew;
};

struct IdTokenClaims {
  std::string issuer;
  std::string subject;
  std::vector<std::string> audiences;
  std::string email;            // empty when absent
  bool email_verified = false;  // "email_verified": true
  std::string name;             // empty when absent
  core::Micros expires_at = 0;
  core::Micros issued_at = 0;
  std::string kid;        // the key that verified the signature ("" when it had none)
  nlohmann::json claims;  // the whole payload (for role claims)
};

// Parses and validates `token` against `jwks` and `expected` (see the file comment).
core::Result<IdTokenClaims> VerifyIdToken(std::string_view token, const Jwks& jwks,
                                          const IdTokenExpectations& expected);

}  // namespace custos::oidc
