// SPDX-License-Identifier: Apache-2.0
#include "testing/test_signing_key.h"

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <utility>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include "crypto/crypto.h"

namespace custos::testing {
namespace {

EVP_PKEY* Pkey(void* p) { return static_cast<EVP_PKEY*>(p); }

void Require(bool ok, const char* what) {
  if (!ok) {  // a test key that cannot be made or used is a broken test environment
    std::fprintf(stderr, "TestSigningKey: %s failed\n", what);
    std::abort();
  }
}

std::string BignumParam(EVP_PKEY* pkey, const char* name) {
  BIGNUM* bn = nullptr;
  Require(EVP_PKEY_get_bn_param(pkey, name, &bn) == 1, name);
  std::string out(static_cast<std::size_t>(BN_num_bytes(bn)), '\0');
  BN_bn2bin(bn, reinterpret_cast<unsigned char*>(out.data()));
  BN_free(bn);
  return out;
}

std::string EcPoint(EVP_PKEY* pkey) {
  unsigned char buf[65];
  std::size_t len = 0;
  Require(
      EVP_PKEY_get_octet_string_param(pkey, OSSL_PKEY_PARAM_PUB_KEY, buf, sizeof buf, &len) == 1 &&
          len == sizeof buf && buf[0] == 0x04,
      "EC point");
  return std::string(reinterpret_cast<const char*>(buf) + 1, len - 1);  // x || y
}

}  // namespace

TestSigningKey::TestSigningKey(Type type, std::string kid)
    : type_(type), kid_(std::move(kid)), pkey_(nullptr) {
  switch (type) {
    case Type::kRsa2048:
      pkey_ = EVP_RSA_gen(2048);
      break;
    case Type::kRsa1024:
      pkey_ = EVP_RSA_gen(1024);
      break;
    case Type::kEcP256:
      pkey_ = EVP_EC_gen("P-256");
      break;
  }
  Require(pkey_ != nullptr, "key generation");
}

TestSigningKey::~TestSigningKey() { EVP_PKEY_free(Pkey(pkey_)); }

std::string TestSigningKey::Alg() const { return type_ == Type::kEcP256 ? "ES256" : "RS256"; }

crypto::JwsPublicKey TestSigningKey::PublicKey() const {
  crypto::JwsPublicKey key;
  if (type_ == Type::kEcP256) {
    const std::string xy = EcPoint(Pkey(pkey_));
    key.kty = "EC";
    key.crv = "P-256";
    key.x = xy.substr(0, 32);
    key.y = xy.substr(32);
  } else {
    key.kty = "RSA";
    key.n = BignumParam(Pkey(pkey_), OSSL_PKEY_PARAM_RSA_N);
    key.e = BignumParam(Pkey(pkey_), OSSL_PKEY_PARAM_RSA_E);
  }
  return key;
}

nlohmann::json TestSigningKey::Jwk() const {
  const crypto::JwsPublicKey key = PublicKey();
  nlohmann::json jwk = {{"kty", key.kty}, {"kid", kid_}, {"use", "sig"}, {"alg", Alg()}};
  if (key.kty == "EC") {
    jwk["crv"] = key.crv;
    jwk["x"] = crypto::Base64UrlEncode(key.x);
    jwk["y"] = crypto::Base64UrlEncode(key.y);
  } else {
    jwk["n"] = crypto::Base64UrlEncode(key.n);
    jwk["e"] = crypto::Base64UrlEncode(key.e);
  }
  return jwk;
}

std::string TestSigningKey::PublicKeyPem() const {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), &BIO_free);
  Require(bio && PEM_write_bio_PUBKEY(bio.get(), Pkey(pkey_)) == 1, "PEM");
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(len));
}

std::string TestSigningKey::Sign(std::string_view signing_input) const {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  std::size_t len = 0;
  const auto* in = reinterpret_cast<const unsigned char*>(signing_input.data());
  Require(ctx && EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, Pkey(pkey_)) == 1 &&
              EVP_DigestSign(ctx.get(), nullptr, &len, in, signing_input.size()) == 1,
          "sign init");
  std::string sig(len, '\0');
  Require(EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &len, in,
                         signing_input.size()) == 1,
          "sign");
  sig.resize(len);
  if (type_ != Type::kEcP256) {
    return sig;
  }
  const auto* der = reinterpret_cast<const unsigned char*>(sig.data());
  ECDSA_SIG* ecdsa = d2i_ECDSA_SIG(nullptr, &der, static_cast<long>(sig.size()));
  Require(ecdsa != nullptr, "ECDSA DER");
  std::string raw(64, '\0');
  auto* out = reinterpret_cast<unsigned char*>(raw.data());
  Require(BN_bn2binpad(ECDSA_SIG_get0_r(ecdsa), out, 32) == 32 &&
              BN_bn2binpad(ECDSA_SIG_get0_s(ecdsa), out + 32, 32) == 32,
          "r || s");
  ECDSA_SIG_free(ecdsa);
  return raw;
}

const TestSigningKey& SharedTestKey(TestSigningKey::Type type) {
  static const TestSigningKey rsa(TestSigningKey::Type::kRsa2048, "rsa-1");
  static const TestSigningKey weak(TestSigningKey::Type::kRsa1024, "rsa-weak");
  static const TestSigningKey ec(TestSigningKey::Type::kEcP256, "ec-1");
  switch (type) {
    case TestSigningKey::Type::kRsa2048:
      return rsa;
    case TestSigningKey::Type::kRsa1024:
      return weak;
    case TestSigningKey::Type::kEcP256:
      return ec;
  }
  return rsa;
}

std::string JwtSigningInput(const nlohmann::json& header, const nlohmann::json& payload) {
  return crypto::Base64UrlEncode(header.dump()) + "." + crypto::Base64UrlEncode(payload.dump());
}

std::string SignJwt(const TestSigningKey& key, const nlohmann::json& header,
                    const nlohmann::json& payload) {
  const std::string input = JwtSigningInput(header, payload);
  return input + "." + crypto::Base64UrlEncode(key.Sign(input));
}

nlohmann::json SignedHeader(const TestSigningKey& key) {
  return {{"alg", key.Alg()}, {"kid", key.Kid()}, {"typ", "JWT"}};
}

std::string HmacJwt(std::string_view secret, const nlohmann::json& header,
                    const nlohmann::json& payload) {
  const std::string input = JwtSigningInput(header, payload);
  return input + "." + crypto::Base64UrlEncode(crypto::HmacSha256(secret, input));
}

}  // namespace custos::testing
