// SPDX-License-Identifier: Apache-2.0
#include "oidc/jwt.h"

#include <cmath>
#include <optional>

#include "crypto/crypto.h"
#include "crypto/jws.h"

namespace custos::oidc {
namespace {

core::Status Refused(const std::string& why) { return core::Unauthenticated("id_token: " + why); }

core::Result<nlohmann::json> DecodeSegment(std::string_view segment, const char* name) {
  if (segment.empty()) {
    return core::InvalidArgument(std::string("JWT: ") + name + " segment is empty");
  }
  auto bytes = crypto::Base64UrlDecode(segment);
  if (!bytes.has_value()) {
    return core::InvalidArgument(std::string("JWT: ") + name + ": " + bytes.error().message());
  }
  ASSIGN_OR_RETURN(nlohmann::json doc,
                   core::ParseJson(*bytes, kJwtJsonLimits, std::string("JWT ") + name));
  if (!doc.is_object()) {
    return core::InvalidArgument(std::string("JWT: ") + name + " must be a JSON object");
  }
  return doc;
}

// A NumericDate claim (seconds since the epoch, RFC 7519 §2) as Micros; nullopt when absent.
core::Result<std::optional<core::Micros>> NumericDate(const nlohmann::json& claims,
                                                      const char* name) {
  const auto it = claims.find(name);
  if (it == claims.end()) {
    return std::optional<core::Micros>();
  }
  if (!it->is_number()) {
    return Refused(std::string("\"") + name + "\" must be a number");
  }
  const double seconds = it->get<double>();
  if (!std::isfinite(seconds) || seconds < 0 ||
      seconds > static_cast<double>(core::kMaxUnixSeconds)) {
    return Refused(std::string("\"") + name + "\" is out of range");
  }
  return std::optional<core::Micros>(static_cast<core::Micros>(seconds) * core::kMicrosPerSecond);
}

std::string StringClaim(const nlohmann::json& claims, const char* name) {
  const auto it = claims.find(name);
  return it != claims.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// The key that must have signed a token with this header.
core::Result<const Jwk*> SelectKey(const Jwks& jwks, const nlohmann::json& header,
                                   const std::string& alg) {
  const std::string_view kty = crypto::KeyTypeForJwsAlg(alg);
  const auto kid_it = header.find("kid");
  if (kid_it != header.end()) {
    if (!kid_it->is_string()) {
      return Refused("header \"kid\" must be a string");
    }
    const std::string kid = kid_it->get<std::string>();
    for (const Jwk& jwk : jwks.keys) {
      if (!jwk.kid.empty() && jwk.kid == kid) {
        if (jwk.key.kty != kty || (!jwk.alg.empty() && jwk.alg != alg)) {
          return Refused("key \"" + kid + "\" is for " + (jwk.alg.empty() ? jwk.key.kty : jwk.alg) +
                         ", the token says alg " + alg);
        }
        return &jwk;
      }
    }
    return core::NotFound("id_token: unknown kid \"" + kid + "\" (not in the provider's JWKS)");
  }
  const Jwk* only = nullptr;
  int candidates = 0;
  for (const Jwk& jwk : jwks.keys) {
    if (jwk.key.kty == kty && (jwk.alg.empty() || jwk.alg == alg)) {
      only = &jwk;
      ++candidates;
    }
  }
  if (candidates == 1) {
    return only;
  }
  if (candidates == 0) {
    return core::NotFound("id_token: no kid, and the JWKS has no " + std::string(kty) +
                          " key for " + alg);
  }
  return Refused("no kid, and the JWKS has " + std::to_string(candidates) + " " + std::string(kty) +
                 " keys to choose from");
}

core::Result<std::vector<std::string>> Audiences(const nlohmann::json& claims) {
  const auto it = claims.find("aud");
  std::vector<std::string> out;
  if (it != claims.end() && it->is_string()) {
    out.push_back(it->get<std::string>());
  } else if (it != claims.end() && it->is_array()) {
    for (const nlohmann::json& a : *it) {
      if (!a.is_string()) {
        return Refused("\"aud\" array must hold strings");
      }
      out.push_back(a.get<std::string>());
    }
  }
  if (out.empty()) {
    return Refused("\"aud\" is missing");
  }
  return out;
}

core::Status CheckAudience(const nlohmann::json& claims, const std::vector<std::string>& audiences,
                           const std::string& client_id) {
  bool listed = false;
  for (const std::string& a : audiences) {
    listed = listed || a == client_id;
  }
  if (!listed) {
    return Refused("wrong audience: \"aud\" does not contain the client id \"" + client_id + "\"");
  }
  const auto azp = claims.find("azp");
  if (azp == claims.end()) {
    if (audiences.size() > 1) {
      return Refused("\"aud\" names several audiences and \"azp\" is missing");
    }
    return core::Status::Ok();
  }
  if (!azp->is_string() || azp->get<std::string>() != client_id) {
    return Refused("wrong authorized party: \"azp\" is not the client id");
  }
  return core::Status::Ok();
}

core::Status CheckTimes(const nlohmann::json& claims, const IdTokenExpectations& expected,
                        IdTokenClaims& out) {
  ASSIGN_OR_RETURN(const std::optional<core::Micros> exp, NumericDate(claims, "exp"));
  ASSIGN_OR_RETURN(const std::optional<core::Micros> iat, NumericDate(claims, "iat"));
  ASSIGN_OR_RETURN(const std::optional<core::Micros> nbf, NumericDate(claims, "nbf"));
  if (!exp.has_value()) {
    return Refused("\"exp\" is missing");
  }
  if (!iat.has_value()) {
    return Refused("\"iat\" is missing");
  }
  if (expected.now >= *exp + expected.max_clock_skew) {
    return Refused("expired at " + core::FormatRfc3339(*exp));
  }
  if (*iat > expected.now + expected.max_clock_skew) {
    return Refused("issued in the future (\"iat\" " + core::FormatRfc3339(*iat) + ")");
  }
  if (nbf.has_value() && *nbf > expected.now + expected.max_clock_skew) {
    return Refused("not valid before " + core::FormatRfc3339(*nbf));
  }
  out.expires_at = *exp;
  out.issued_at = *iat;
  return core::Status::Ok();
}

}  // namespace

core::Result<CompactJws> ParseCompactJws(std::string_view token) {
  if (token.size() > kMaxJwtBytes) {
    return core::InvalidArgument("JWT: " + std::to_string(token.size()) +
                                 " bytes, over the limit of " + std::to_string(kMaxJwtBytes));
  }
  const std::size_t first = token.find('.');
  const std::size_t second = first == std::string_view::npos ? first : token.find('.', first + 1);
  if (second == std::string_view::npos || token.find('.', second + 1) != std::string_view::npos) {
    return core::InvalidArgument("JWT: must be three base64url segments separated by '.'");
  }
  CompactJws jws;
  ASSIGN_OR_RETURN(jws.header, DecodeSegment(token.substr(0, first), "header"));
  ASSIGN_OR_RETURN(jws.payload,
                   DecodeSegment(token.substr(first + 1, second - first - 1), "payload"));
  auto signature = crypto::Base64UrlDecode(token.substr(second + 1));
  if (!signature.has_value()) {
    return core::InvalidArgument("JWT: signature: " + signature.error().message());
  }
  jws.signature = std::move(signature).value();
  jws.signing_input = std::string(token.substr(0, second));
  return jws;
}

core::Result<IdTokenClaims> VerifyIdToken(std::string_view token, const Jwks& jwks,
                                          const IdTokenExpectations& expected) {
  auto parsed = ParseCompactJws(token);
  if (!parsed.has_value()) {
    return Refused("malformed: " + parsed.error().message());
  }
  const CompactJws& jws = *parsed;
  const auto alg_it = jws.header.find("alg");
  if (alg_it == jws.header.end() || !alg_it->is_string()) {
    return Refused("header \"alg\" is missing");
  }
  const std::string alg = alg_it->get<std::string>();
  if (!crypto::IsAllowedJwsAlg(alg)) {
    return Refused("alg \"" + alg + "\" not allowed (only RS256 and ES256)");
  }
  if (jws.header.contains("crit")) {
    return Refused("header \"crit\" names extensions custos does not understand");
  }
  ASSIGN_OR_RETURN(const Jwk* jwk, SelectKey(jwks, jws.header, alg));
  const core::Status signature =
      crypto::VerifyJwsSignature(alg, jwk->key, jws.signing_input, jws.signature);
  if (!signature.ok()) {
    return Refused("bad signature: " + signature.message());
  }
  const nlohmann::json& claims = jws.payload;
  IdTokenClaims out;
  out.kid = jwk->kid;
  out.issuer = StringClaim(claims, "iss");
  if (out.issuer != expected.issuer) {
    return Refused("wrong issuer \"" + out.issuer + "\" (expected \"" + expected.issuer + "\")");
  }
  ASSIGN_OR_RETURN(out.audiences, Audiences(claims));
  RETURN_IF_ERROR(CheckAudience(claims, out.audiences, expected.audience));
  RETURN_IF_ERROR(CheckTimes(claims, expected, out));
  const auto nonce = claims.find("nonce");
  if (nonce == claims.end() || !nonce->is_string()) {
    return Refused("nonce mismatch: \"nonce\" is missing");
  }
  if (!crypto::ConstantTimeEquals(nonce->get<std::string>(), expected.nonce) ||
      expected.nonce.empty()) {
    return Refused("nonce mismatch: not the nonce of this login");
  }
  out.subject = StringClaim(claims, "sub");
  if (out.subject.empty()) {
    return Refused("\"sub\" is missing");
  }
  out.email = StringClaim(claims, "email");
  out.name = StringClaim(claims, "name");
  const auto verified = claims.find("email_verified");
  out.email_verified = verified != claims.end() && verified->is_boolean() && verified->get<bool>();
  out.claims = claims;
  return out;
}

}  // namespace custos::oidc
