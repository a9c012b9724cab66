// SPDX-License-Identifier: Apache-2.0
#include "crypto/jws.h"

#include <memory>
#include <string>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

namespace custos::crypto {
namespace {

constexpr std::size_t kEs256SignatureBytes = 2 * kP256CoordinateBytes;
constexpr std::size_t kMaxRsaExponentBytes = 8;

struct Free {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }

  void operator()(EVP_PKEY_CTX* p) const { EVP_PKEY_CTX_free(p); }

  void operator()(EVP_MD_CTX* p) const { EVP_MD_CTX_free(p); }

  void operator()(BIGNUM* p) const { BN_free(p); }

  void operator()(OSSL_PARAM_BLD* p) const { OSSL_PARAM_BLD_free(p); }

  void operator()(OSSL_PARAM* p) const { OSSL_PARAM_free(p); }

  void operator()(ECDSA_SIG* p) const { ECDSA_SIG_free(p); }
};

template <typename T>
using Owned = std::unique_ptr<T, Free>;

const unsigned char* Bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

Owned<BIGNUM> ToBignum(std::string_view bytes) {
  return Owned<BIGNUM>(BN_bin2bn(Bytes(bytes), static_cast<int>(bytes.size()), nullptr));
}

Owned<EVP_PKEY> FromData(const char* type, OSSL_PARAM* params) {
  Owned<EVP_PKEY_CTX> ctx(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
  EVP_PKEY* pkey = nullptr;
  if (!ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &pkey, EVP_PKEY_PUBLIC_KEY, params) != 1) {
    ERR_clear_error();  // keep the thread's error queue clean for the TLS code that shares it
    return nullptr;
  }
  return Owned<EVP_PKEY>(pkey);
}

core::Result<Owned<EVP_PKEY>> RsaKey(const JwsPublicKey& key) {
  if (key.n.empty() || key.e.empty()) {
    return core::InvalidArgument("JWK: RSA key needs both \"n\" and \"e\"");
  }
  if (key.e.size() > kMaxRsaExponentBytes || (static_cast<unsigned char>(key.e.back()) & 1U) == 0) {
    return core::InvalidArgument("JWK: RSA exponent \"e\" must be odd and at most 64 bits");
  }
  Owned<BIGNUM> n = ToBignum(key.n);
  Owned<BIGNUM> e = ToBignum(key.e);
  if (!n || !e) {
    return core::Internal("JWK: BN_bin2bn failed");
  }
  const int bits = BN_num_bits(n.get());
  if (bits < kMinRsaModulusBits || bits > kMaxRsaModulusBits) {
    return core::InvalidArgument("JWK: RSA modulus \"n\" has " + std::to_string(bits) +
                                 " bits; allowed " + std::to_string(kMinRsaModulusBits) + " to " +
                                 std::to_string(kMaxRsaModulusBits));
  }
  if (BN_is_word(e.get(), 1) == 1) {
    return core::InvalidArgument("JWK: RSA exponent \"e\" must not be 1");
  }
  Owned<OSSL_PARAM_BLD> bld(OSSL_PARAM_BLD_new());
  if (!bld || OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, n.get()) != 1 ||
      OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, e.get()) != 1) {
    return core::Internal("JWK: building RSA parameters failed");
  }
  Owned<OSSL_PARAM> params(OSSL_PARAM_BLD_to_param(bld.get()));
  Owned<EVP_PKEY> pkey = params ? FromData("RSA", params.get()) : nullptr;
  if (!pkey) {
    return core::InvalidArgument("JWK: OpenSSL refused the RSA key");
  }
  return pkey;
}

core::Result<Owned<EVP_PKEY>> EcKey(const JwsPublicKey& key) {
  if (key.crv != "P-256") {
    return core::InvalidArgument("JWK: EC curve \"crv\" must be \"P-256\", got \"" + key.crv +
                                 "\"");
  }
  if (key.x.size() != kP256CoordinateBytes || key.y.size() != kP256CoordinateBytes) {
    return core::InvalidArgument("JWK: P-256 coordinates \"x\" and \"y\" must be 32 bytes each");
  }
  std::string point = "\x04" + key.x + key.y;  // uncompressed SEC1 point
  char group[] = "prime256v1";
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, group, 0),
      OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size()),
      OSSL_PARAM_construct_end()};
  Owned<EVP_PKEY> pkey = FromData("EC", params);
  if (!pkey) {
    return core::InvalidArgument("JWK: OpenSSL refused the EC key (point not on P-256?)");
  }
  Owned<EVP_PKEY_CTX> check(EVP_PKEY_CTX_new_from_pkey(nullptr, pkey.get(), nullptr));
  if (!check || EVP_PKEY_public_check(check.get()) != 1) {
    ERR_clear_error();
    return core::InvalidArgument("JWK: EC point (\"x\", \"y\") is not a valid P-256 public key");
  }
  return pkey;
}

core::Result<Owned<EVP_PKEY>> ToPkey(const JwsPublicKey& key) {
  if (key.kty == "RSA") {
    return RsaKey(key);
  }
  if (key.kty == "EC") {
    return EcKey(key);
  }
  return core::InvalidArgument("JWK: key type \"kty\" must be \"RSA\" or \"EC\", got \"" + key.kty +
                               "\"");
}

// The DER ECDSA-Sig-Value for a raw r || s signature.
core::Result<std::string> Es256ToDer(std::string_view raw) {
  Owned<ECDSA_SIG> sig(ECDSA_SIG_new());
  BIGNUM* r = BN_bin2bn(Bytes(raw), static_cast<int>(kP256CoordinateBytes), nullptr);
  BIGNUM* s = BN_bin2bn(Bytes(raw.substr(kP256CoordinateBytes)),
                        static_cast<int>(kP256CoordinateBytes), nullptr);
  if (!sig || r == nullptr || s == nullptr || ECDSA_SIG_set0(sig.get(), r, s) != 1) {
    BN_free(r);
    BN_free(s);
    return core::Internal("ES256: building the ECDSA signature failed");
  }
  unsigned char* der = nullptr;
  const int len = i2d_ECDSA_SIG(sig.get(), &der);
  if (len <= 0) {
    return core::Internal("ES256: encoding the ECDSA signature failed");
  }
  std::string out(reinterpret_cast<const char*>(der), static_cast<std::size_t>(len));
  OPENSSL_free(der);
  return out;
}

}  // namespace

bool IsAllowedJwsAlg(std::string_view alg) { return alg == "RS256" || alg == "ES256"; }

std::string_view KeyTypeForJwsAlg(std::string_view alg) {
  if (alg == "RS256") {
    return "RSA";
  }
  if (alg == "ES256") {
    return "EC";
  }
  return {};
}

core::Status CheckJwsPublicKey(const JwsPublicKey& key) { return ToPkey(key).status(); }

core::Status VerifyJwsSignature(std::string_view alg, const JwsPublicKey& key,
                                std::string_view signing_input, std::string_view signature) {
  if (!IsAllowedJwsAlg(alg)) {
    return core::InvalidArgument("JWS: alg \"" + std::string(alg) +
                                 "\" not allowed (only RS256 and ES256)");
  }
  if (key.kty != KeyTypeForJwsAlg(alg)) {
    return core::InvalidArgument("JWS: alg " + std::string(alg) + " needs a key of type " +
                                 std::string(KeyTypeForJwsAlg(alg)) + ", the key is \"" + key.kty +
                                 "\"");
  }
  ASSIGN_OR_RETURN(Owned<EVP_PKEY> pkey, ToPkey(key));
  std::string der;
  std::string_view sig = signature;
  if (alg == "ES256") {
    if (signature.size() != kEs256SignatureBytes) {
      return core::Unauthenticated("JWS: ES256 signature must be 64 bytes, got " +
                                   std::to_string(signature.size()));
    }
    ASSIGN_OR_RETURN(der, Es256ToDer(signature));
    sig = der;
  } else if (signature.size() != static_cast<std::size_t>(EVP_PKEY_get_size(pkey.get()))) {
    return core::Unauthenticated("JWS: RS256 signature length " + std::to_string(signature.size()) +
                                 " does not match the key's modulus");
  }
  Owned<EVP_MD_CTX> ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, pkey.get()) != 1) {
    return core::Internal("JWS: EVP_DigestVerifyInit failed");
  }
  if (EVP_DigestVerify(ctx.get(), Bytes(sig), sig.size(), Bytes(signing_input),
                       signing_input.size()) != 1) {
    ERR_clear_error();
    return core::Unauthenticated("JWS: signature does not verify");
  }
  return core::Status::Ok();
}

}  // namespace custos::crypto
