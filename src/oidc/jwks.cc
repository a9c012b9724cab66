// SPDX-License-Identifier: Apache-2.0
#include "oidc/jwks.h"

#include <nlohmann/json.hpp>

#include "crypto/crypto.h"

namespace custos::oidc {
namespace {

std::string Where(std::size_t index, const std::string& kid) {
  return "JWKS key " + std::to_string(index) + (kid.empty() ? "" : " (kid \"" + kid + "\")");
}

// An optional string member; kInvalidArgument when present and not a string.
core::Result<std::string> OptionalString(const nlohmann::json& obj, const char* name,
                                         const std::string& where) {
  const auto it = obj.find(name);
  if (it == obj.end()) {
    return std::string();
  }
  if (!it->is_string()) {
    return core::InvalidArgument(where + ": \"" + name + "\" must be a string");
  }
  return it->get<std::string>();
}

core::Result<std::string> DecodedMember(const nlohmann::json& obj, const char* name,
                                        const std::string& where) {
  ASSIGN_OR_RETURN(std::string text, OptionalString(obj, name, where));
  if (text.empty()) {
    return core::InvalidArgument(where + ": \"" + name + "\" is missing");
  }
  auto bytes = crypto::Base64UrlDecode(text);
  if (!bytes.has_value()) {
    return core::InvalidArgument(where + ": \"" + name + "\": " + bytes.error().message());
  }
  return std::move(bytes).value();
}

// The key at `index`, or an empty kty when it is of a kind custos skips.
core::Result<Jwk> ParseKey(const nlohmann::json& obj, std::size_t index) {
  if (!obj.is_object()) {
    return core::InvalidArgument(Where(index, "") + ": must be an object");
  }
  Jwk jwk;
  ASSIGN_OR_RETURN(jwk.kid, OptionalString(obj, "kid", Where(index, "")));
  if (jwk.kid.size() > kMaxKidBytes) {
    return core::InvalidArgument(Where(index, "") + ": \"kid\" longer than " +
                                 std::to_string(kMaxKidBytes) + " bytes");
  }
  const std::string where = Where(index, jwk.kid);
  ASSIGN_OR_RETURN(const std::string kty, OptionalString(obj, "kty", where));
  ASSIGN_OR_RETURN(const std::string use, OptionalString(obj, "use", where));
  ASSIGN_OR_RETURN(jwk.alg, OptionalString(obj, "alg", where));
  ASSIGN_OR_RETURN(const std::string crv, OptionalString(obj, "crv", where));
  if (kty.empty()) {
    return core::InvalidArgument(where + ": \"kty\" is missing");
  }
  const bool usable = (kty == "RSA" || (kty == "EC" && crv == "P-256")) &&
                      (use.empty() || use == "sig") &&
                      (jwk.alg.empty() || crypto::KeyTypeForJwsAlg(jwk.alg) == kty);
  if (!usable) {
    jwk.key.kty.clear();
    return jwk;
  }
  jwk.key.kty = kty;
  if (kty == "RSA") {
    ASSIGN_OR_RETURN(jwk.key.n, DecodedMember(obj, "n", where));
    ASSIGN_OR_RETURN(jwk.key.e, DecodedMember(obj, "e", where));
  } else {
    jwk.key.crv = crv;
    ASSIGN_OR_RETURN(jwk.key.x, DecodedMember(obj, "x", where));
    ASSIGN_OR_RETURN(jwk.key.y, DecodedMember(obj, "y", where));
  }
  core::Status valid = crypto::CheckJwsPublicKey(jwk.key);
  if (!valid.ok()) {
    return core::InvalidArgument(where + ": " + valid.message());
  }
  return jwk;
}

}  // namespace

core::Result<Jwks> ParseJwks(std::string_view json) {
  ASSIGN_OR_RETURN(const nlohmann::json doc, core::ParseJson(json, kJwksJsonLimits, "JWKS"));
  if (!doc.is_object() || !doc.contains("keys") || !doc["keys"].is_array()) {
    return core::InvalidArgument("JWKS: must be an object with a \"keys\" array");
  }
  const nlohmann::json& keys = doc["keys"];
  if (keys.size() > kMaxJwksKeys) {
    return core::InvalidArgument("JWKS: " + std::to_string(keys.size()) +
                                 " keys, over the limit of " + std::to_string(kMaxJwksKeys));
  }
  Jwks out;
  for (std::size_t i = 0; i < keys.size(); ++i) {
    ASSIGN_OR_RETURN(Jwk jwk, ParseKey(keys[i], i));
    if (jwk.key.kty.empty()) {
      ++out.skipped;
      continue;
    }
    for (const Jwk& seen : out.keys) {
      if (!jwk.kid.empty() && seen.kid == jwk.kid) {
        return core::InvalidArgument(Where(i, jwk.kid) + ": kid appears twice");
      }
    }
    out.keys.push_back(std::move(jwk));
  }
  return out;
}

}  // namespace custos::oidc
