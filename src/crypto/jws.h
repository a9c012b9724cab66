// SPDX-License-Identifier: Apache-2.0
// JWS signature verification (RFC 7515, RFC 7518 §3) for OpenID Connect ID tokens, through
// OpenSSL 3. Two algorithms only: RS256 (RSASSA-PKCS1-v1_5 with SHA-256, modulus of 2048 to 8192
// bits) and ES256 (ECDSA on P-256 with SHA-256, the signature being the raw 64 bytes r || s).
// Every other "alg" is refused, "none" and the HMAC family (HS256 "signed" with a public key)
// above all. The public key comes from a JWK (RFC 7518 §6) whose members the caller has
// base64url-decoded (the oidc module parses the JSON); it is built with EVP_PKEY_fromdata.
// Thread-safety: pure functions, safe to call concurrently.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "core/status.h"

namespace custos::crypto {

inline constexpr int kMinRsaModulusBits = 2048;
inline constexpr int kMaxRsaModulusBits = 8192;
inline constexpr std::size_t kP256CoordinateBytes = 32;

// A JWK's key material, raw big-endian bytes (not base64url).
struct JwsPublicKey {
  std::string kty;  // "RSA" or "EC"
  std::string crv;  // "P-256" when kty is "EC"; empty for RSA
  std::string n;    // RSA modulus
  std::string e;    // RSA public exponent
  std::string x;    // EC P-256 coordinates, 32 bytes each
  std::string y;
};

// True for "RS256" and "ES256", the only algorithms VerifyJwsSignature accepts.
bool IsAllowedJwsAlg(std::string_view alg);

// The key type an allowed alg needs: "RSA" for RS256, "EC" for ES256; empty otherwise.
std::string_view KeyTypeForJwsAlg(std::string_view alg);

// OK when OpenSSL accepts `key` as a public key of its kty: an RSA modulus of 2048 to 8192 bits
// with an odd exponent of at most 64 bits, or a P-256 point on the curve. kInvalidArgument
// naming the member at fault otherwise.
core::Status CheckJwsPublicKey(const JwsPublicKey& key);

// Verifies the JWS `signature` (raw bytes) over `signing_input` (ASCII
// "BASE64URL(header).BASE64URL(payload)"). Returns OK only for a valid signature.
// kInvalidArgument: `alg` is not RS256/ES256 ("alg ... not allowed"), the key's kty/crv does not
// match the alg, or the key is malformed; kUnauthenticated: the signature does not verify (a
// wrong length included).
core::Status VerifyJwsSignature(std::string_view alg, const JwsPublicKey& key,
                                std::string_view signing_input, std::string_view signature);

}  // namespace custos::crypto
