// SPDX-License-Identifier: Apache-2.0
// libFuzzer: the OpenID Connect parsers (src/oidc): any bytes as a compact JWS
// (oidc::ParseCompactJws), as an ID token verified against a fixed JWKS (oidc::VerifyIdToken:
// header, key selection, RS256/ES256 signature through crypto/jws.h, claims), as a JWKS document
// (oidc::ParseJwks, which builds OpenSSL keys from whatever n/e/x/y it is given) and as a discovery
// document (oidc::ParseDiscovery). Seeds (fuzz/seeds/oidc): tokens signed by the keys below, the
// JWKS itself, a discovery document and an alg "none" token.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "oidc/discovery.h"
#include "oidc/jwks.h"
#include "oidc/jwt.h"

namespace {

// The public keys of the seed tokens (made once with `openssl genrsa 2048` and
// `openssl ecparam -name prime256v1 -genkey`; the private halves were not kept).
constexpr std::string_view kJwks =
    "{\"keys\":[{\"kty\":\"RSA\",\"kid\":\"rsa-1\",\"use\":\"sig\",\"alg\":\"RS256\",\"n\":"
    "\"kOiAQEnlSHEPG-7nUN9wS"
    "h4LTIKHYHq_hpcCbM5ngP7gEdnaiGyTvW5MpJAUNCQocVImiCv38rAH_A96QwTzuLpK7669hTF_WonB4OqVzfAKd"
    "d3jG8tDx0Uv9y6Ylf7s0mivXP_Adw5OPksRXIy9J9M7A8eF6f2zDIVPo32XAO-EU_a5yQowJkIp1p4-cAbcM6vxP"
    "V1qYVQbE1zHgipS3GXToHHeN-eEgWM80L0vNcV71fXkbWT0HSq6t0d2BiBVJcxOw7z-RPKkxhji6NFoocxa_xzR8"
    "f8t8mOcB3bKkxgl3d2IRUwYRGIrymfewbLPUya_0H83AS-nywNVo-TKKQ\",\"e\":\"AQAB\"},{\"kty\":\"EC\","
    "\"kid\""
    ":\"ec-1\",\"use\":\"sig\",\"alg\":\"ES256\",\"crv\":\"P-256\",\"x\":\"Q6C_Y-"
    "iain4AvU6QhchEy1DlR6payNnnaVv"
    "HYzCBNpY\",\"y\":\"nISIdNWEO2ymxc9g9knPQm1tZodE4g8eaKAmmADhyu0\"}]}";

const custos::oidc::Jwks& Keys() {
  static const custos::oidc::Jwks keys = [] {
    auto parsed = custos::oidc::ParseJwks(kJwks);
    if (!parsed.has_value() || parsed->keys.size() != 2) {
      std::abort();  // the fixed JWKS must parse
    }
    return *parsed;
  }();
  return keys;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)custos::oidc::ParseCompactJws(text);
  const custos::oidc::IdTokenExpectations expected{
      "https://idp.example.com", "custos", "n-1",
      std::int64_t{1'700'000'000} * custos::core::kMicrosPerSecond,
      custos::oidc::kDefaultMaxClockSkew};
  (void)custos::oidc::VerifyIdToken(text, Keys(), expected);
  auto jwks = custos::oidc::ParseJwks(text);
  if (jwks.has_value() && jwks->keys.size() > custos::oidc::kMaxJwksKeys) {
    std::abort();  // the key limit was not enforced
  }
  (void)custos::oidc::ParseDiscovery(text, "https://idp.example.com");
  return 0;
}
