// SPDX-License-Identifier: Apache-2.0
// TestSigningKey: a fresh RSA or EC P-256 key pair made with OpenSSL for tests that need signed
// JWTs (crypto's JWS tests, the fake OpenID provider). It signs like an identity provider does
// (RS256: PKCS#1 v1.5; ES256: the raw 64-byte r || s) and publishes its public half as a JWK.
// SignJwt/HmacJwt build compact tokens from arbitrary header and payload JSON, so tests can forge
// every kind of bad token. Test-only: production code never signs tokens.
// Thread-safety: const methods may be called concurrently.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "crypto/jws.h"

namespace custos::testing {

class TestSigningKey {
 public:
  enum class Type { kRsa2048, kRsa1024, kEcP256 };

  TestSigningKey(Type type, std::string kid);
  TestSigningKey(const TestSigningKey&) = delete;
  TestSigningKey& operator=(const TestSigningKey&) = delete;
  ~TestSigningKey();

  const std::string& Kid() const { return kid_; }

  // "RS256" for the RSA types, "ES256" for P-256.
  std::string Alg() const;

  crypto::JwsPublicKey PublicKey() const;

  // The public JWK: kty, kid, use "sig", alg, and n/e or crv/x/y (base64url).
  nlohmann::json Jwk() const;

  // The public key as PEM SubjectPublicKeyInfo (what an "HS256 with the public key" forger uses).
  std::string PublicKeyPem() const;

  // The raw JWS signature of `signing_input`.
  std::string Sign(std::string_view signing_input) const;

 private:
  Type type_;
  std::string kid_;
  void* pkey_;  // EVP_PKEY*, opaque so OpenSSL stays out of this header
};

// One key of `type` per process, made on first use (RSA key generation takes a fraction of a
// second): kid "rsa-1" (kRsa2048), "rsa-weak" (kRsa1024) or "ec-1" (kEcP256).
const TestSigningKey& SharedTestKey(TestSigningKey::Type type);

// "b64(header).b64(payload)" exactly as serialised by nlohmann (compact dump).
std::string JwtSigningInput(const nlohmann::json& header, const nlohmann::json& payload);

// A compact JWS signed by `key`; the header is used as given (set "alg"/"kid" yourself, or use
// SignedHeader).
std::string SignJwt(const TestSigningKey& key, const nlohmann::json& header,
                    const nlohmann::json& payload);

// {"alg": key.Alg(), "kid": key.Kid(), "typ": "JWT"}
nlohmann::json SignedHeader(const TestSigningKey& key);

// A compact JWS with an HMAC-SHA-256 signature under `secret` (header "alg" as given).
std::string HmacJwt(std::string_view secret, const nlohmann::json& header,
                    const nlohmann::json& payload);

}  // namespace custos::testing
