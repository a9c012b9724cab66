// SPDX-License-Identifier: Apache-2.0
// Cryptographic primitives for custos, all through OpenSSL 3 (nothing else includes OpenSSL):
// SHA-256, HMAC-SHA-256 (and HMAC-SHA-1, for RFC 6238 TOTP only), a CSPRNG, constant-time
// comparison, base64, and AES-256-GCM sealing.
// Byte strings are std::string / std::string_view of raw bytes.
// Thread-safety: every function is safe to call concurrently.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "core/status.h"

namespace custos::crypto {

inline constexpr std::size_t kSha256Bytes = 32;
inline constexpr std::size_t kSha1Bytes = 20;
inline constexpr std::size_t kAesKeyBytes = 32;
inline constexpr std::size_t kGcmNonceBytes = 12;
inline constexpr std::size_t kGcmTagBytes = 16;

// 32 raw bytes.
std::string Sha256(std::string_view data);

// Incremental SHA-256 for streams (files, attachments).
class Sha256Hasher {
 public:
  Sha256Hasher();
  ~Sha256Hasher();
  Sha256Hasher(const Sha256Hasher&) = delete;
  Sha256Hasher& operator=(const Sha256Hasher&) = delete;

  void Update(std::string_view data);
  // 32 raw bytes; the hasher must not be used afterwards.
  std::string Finish();

 private:
  void* ctx_;  // EVP_MD_CTX*, opaque here so OpenSSL stays out of this header.
};

// 32 raw bytes.
std::string HmacSha256(std::string_view key, std::string_view data);

// 20 raw bytes. HMAC-SHA-1 exists for interoperability only (RFC 6238 TOTP, which authenticator
// apps default to); nothing new in custos should choose it.
std::string HmacSha1(std::string_view key, std::string_view data);

// HMAC-SHA-256 under one fixed key with the key schedule done once (pre-keyed inner and
// outer SHA-256 states), for hashing many short inputs (index tokens, handles) cheaply.
// Hash() equals HmacSha256(key, data). Thread-safety: Hash() may be called concurrently.
class HmacSha256Key {
 public:
  explicit HmacSha256Key(std::string_view key);
  ~HmacSha256Key();
  HmacSha256Key(const HmacSha256Key&) = delete;
  HmacSha256Key& operator=(const HmacSha256Key&) = delete;

  // 32 raw bytes.
  std::string Hash(std::string_view data) const;

 private:
  void* inner_;  // EVP_MD_CTX* after absorbing key ^ ipad
  void* outer_;  // EVP_MD_CTX* after absorbing key ^ opad
};

// `n` bytes from OpenSSL's CSPRNG; kInternal if the generator fails.
core::Result<std::string> RandomBytes(std::size_t n);

// Compares in time that depends only on the lengths (CRYPTO_memcmp).
bool ConstantTimeEquals(std::string_view a, std::string_view b);

std::string Base64Encode(std::string_view bytes);
// kInvalidArgument on characters outside the standard alphabet or bad padding.
core::Result<std::string> Base64Decode(std::string_view text);

// base64url without padding (RFC 4648 §5, RFC 7515 §2), as in JWS and JWK.
std::string Base64UrlEncode(std::string_view bytes);
// Strict: kInvalidArgument on '=', '+', '/', any character outside the URL-safe alphabet, a
// length that cannot be unpadded base64url (4n+1), or non-zero bits in the last character.
core::Result<std::string> Base64UrlDecode(std::string_view text);

// AES-256-GCM with a fresh random 96-bit nonce. Output: nonce || ciphertext || tag.
// kInvalidArgument when the key is not 32 bytes.
core::Result<std::string> Seal(std::string_view key, std::string_view plaintext,
                               std::string_view associated_data);

// Reverses Seal. kDataLoss when the tag does not verify (wrong key, wrong associated data,
// or altered bytes); the plaintext is never returned in that case.
core::Result<std::string> Open(std::string_view key, std::string_view sealed,
                               std::string_view associated_data);

}  // namespace custos::crypto
