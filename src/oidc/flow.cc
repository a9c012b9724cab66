// SPDX-License-Identifier: Apache-2.0
#include "oidc/flow.h"

#include <algorithm>
#include <utility>

#include <nlohmann/json.hpp>

#include "core/json_reader.h"
#include "core/text.h"
#include "crypto/crypto.h"

namespace custos::oidc {
namespace {

constexpr std::size_t kRandomBytes = 32;
constexpr core::JsonLimits kTokenResponseLimits{kMaxTokenResponseBytes, 8, 1024};

core::Result<std::string> RandomToken() {
  ASSIGN_OR_RETURN(const std::string bytes, crypto::RandomBytes(kRandomBytes));
  return crypto::Base64UrlEncode(bytes);
}

core::Result<Url> ProviderUrl(const std::string& text, const char* what) {
  ASSIGN_OR_RETURN(Url url, ParseUrl(text, what));
  RETURN_IF_ERROR(CheckProviderUrl(url, what));
  return url;
}

// The provider's error from a token endpoint answer (RFC 6749 §5.2), if it gave one.
std::string TokenError(const std::string& body) {
  auto doc = core::ParseJson(body, kTokenResponseLimits, "token response");
  if (!doc.has_value() || !doc->is_object()) {
    return "";
  }
  std::string out = doc->value("error", "");
  const std::string description = doc->value("error_description", "");
  if (!description.empty()) {
    out += ": " + std::string(core::TruncateUtf8(description, 200));
  }
  return out;
}

}  // namespace

core::Result<std::unique_ptr<OidcClient>> OidcClient::Create(OidcConfig config) {
  ASSIGN_OR_RETURN(const Url issuer, ProviderUrl(config.issuer, "oidc.issuer"));
  if (issuer.target.find('?') != std::string::npos) {
    return core::InvalidArgument("oidc.issuer: must not have a query");
  }
  RETURN_IF_ERROR(ParseUrl(config.redirect_uri, "oidc.redirect_uri").status());
  if (config.client_id.empty()) {
    return core::InvalidArgument("oidc.client_id: must be set");
  }
  if (std::find(config.scopes.begin(), config.scopes.end(), "openid") == config.scopes.end()) {
    return core::InvalidArgument("oidc.scopes: must include \"openid\"");
  }
  for (const std::string& scope : config.scopes) {
    if (scope.empty() || scope.find_first_of(" \"\\") != std::string::npos) {
      return core::InvalidArgument("oidc.scopes: \"" + scope + "\" is not a scope token");
    }
  }
  if (config.role_claim.empty()) {
    return core::InvalidArgument("oidc.role_claim: must be set");
  }
  if (config.login_claim.empty()) {
    return core::InvalidArgument("oidc.login_claim: must be set");
  }
  if (config.role_map.empty()) {
    return core::InvalidArgument("oidc.role_map: must map at least one claim value to a role");
  }
  if (config.http_timeout_seconds <= 0) {
    return core::InvalidArgument("oidc: http timeout must be positive");
  }
  return std::unique_ptr<OidcClient>(new OidcClient(std::move(config)));
}

OidcClient::OidcClient(OidcConfig config)
    : config_(std::move(config)),
      limits_{config_.http_timeout_seconds, kJwksJsonLimits.max_bytes},
      pending_(config_.max_pending_logins) {}

core::Result<ProviderMetadata> OidcClient::Metadata(core::Micros now) {
  {
    core::MutexLock lock(&mu_);
    if (metadata_.has_value() && now - metadata_fetched_at_ < kMetadataMaxAge) {
      return *metadata_;
    }
  }
  ASSIGN_OR_RETURN(const Url url, ProviderUrl(DiscoveryUrl(config_.issuer), "discovery URL"));
  HttpLimits limits = limits_;
  limits.max_body_bytes = kDiscoveryJsonLimits.max_bytes;
  ASSIGN_OR_RETURN(const HttpResponse response, HttpGet(url, limits));
  if (response.status != 200) {
    return core::Unavailable("OIDC: discovery document: HTTP " + std::to_string(response.status));
  }
  ASSIGN_OR_RETURN(ProviderMetadata meta, ParseDiscovery(response.body, config_.issuer));
  core::MutexLock lock(&mu_);
  metadata_ = meta;
  metadata_fetched_at_ = now;
  return meta;
}

core::Result<Jwks> OidcClient::Keys(const ProviderMetadata& meta, core::Micros now, bool refetch) {
  {
    core::MutexLock lock(&mu_);
    const bool fresh = now - jwks_fetched_at_ < kJwksRefetchInterval;
    if (jwks_.has_value() && (!refetch || fresh)) {
      if (refetch) {
        return core::Unauthenticated("not fetching the JWKS again: last fetched less than " +
                                     std::to_string(kJwksRefetchInterval / core::kMicrosPerSecond) +
                                     " s ago (rate limit)");
      }
      return *jwks_;
    }
  }
  ASSIGN_OR_RETURN(const Url url, ProviderUrl(meta.jwks_uri, "jwks_uri"));
  ASSIGN_OR_RETURN(const HttpResponse response, HttpGet(url, limits_));
  if (response.status != 200) {
    return core::Unavailable("OIDC: JWKS: HTTP " + std::to_string(response.status));
  }
  ASSIGN_OR_RETURN(Jwks jwks, ParseJwks(response.body));
  core::MutexLock lock(&mu_);
  jwks_ = jwks;
  jwks_fetched_at_ = now;
  return jwks;
}

core::Result<LoginStart> OidcClient::BeginLogin(core::Micros now) {
  ASSIGN_OR_RETURN(const ProviderMetadata meta, Metadata(now));
  ASSIGN_OR_RETURN(const Jwks keys, Keys(meta, now, false));
  (void)keys;  // fetched now so that a broken JWKS fails the start, not the return
  LoginStart start;
  ASSIGN_OR_RETURN(start.state, RandomToken());
  ASSIGN_OR_RETURN(start.nonce, RandomToken());
  ASSIGN_OR_RETURN(start.code_verifier, RandomToken());
  const std::string challenge = crypto::Base64UrlEncode(crypto::Sha256(start.code_verifier));
  std::string scope;
  for (const std::string& s : config_.scopes) {
    scope += (scope.empty() ? "" : " ") + s;
  }
  start.authorize_url = meta.authorization_endpoint +
                        (meta.authorization_endpoint.find('?') == std::string::npos ? "?" : "&") +
                        "response_type=code&client_id=" + FormUrlEncode(config_.client_id) +
                        "&redirect_uri=" + FormUrlEncode(config_.redirect_uri) +
                        "&scope=" + FormUrlEncode(scope) + "&state=" + start.state +
                        "&nonce=" + start.nonce + "&code_challenge=" + challenge +
                        "&code_challenge_method=S256";
  RETURN_IF_ERROR(pending_.Add(start.state, {start.nonce, start.code_verifier, now}, now));
  return start;
}

core::Result<std::string> OidcClient::RedeemCode(const ProviderMetadata& meta,
                                                 std::string_view code, const PendingLogin& login) {
  ASSIGN_OR_RETURN(const Url url, ProviderUrl(meta.token_endpoint, "token_endpoint"));
  std::string form = "grant_type=authorization_code&code=" + FormUrlEncode(code) +
                     "&redirect_uri=" + FormUrlEncode(config_.redirect_uri) +
                     "&code_verifier=" + FormUrlEncode(login.code_verifier);
  std::optional<std::pair<std::string, std::string>> auth;
  if (config_.client_secret.empty()) {
    form += "&client_id=" + FormUrlEncode(config_.client_id);
  } else {
    auth.emplace(config_.client_id, config_.client_secret);
  }
  HttpLimits limits = limits_;
  limits.max_body_bytes = kMaxTokenResponseBytes;
  ASSIGN_OR_RETURN(const HttpResponse response, HttpPostForm(url, form, auth, limits));
  if (response.status != 200) {
    const std::string error = TokenError(response.body);
    return core::Unauthenticated("OIDC: the token endpoint refused the code (HTTP " +
                                 std::to_string(response.status) + ")" +
                                 (error.empty() ? "" : ": " + error));
  }
  auto doc = core::ParseJson(response.body, kTokenResponseLimits, "token response");
  if (!doc.has_value()) {
    return core::Unauthenticated("OIDC: " + doc.error().message());
  }
  const nlohmann::json& body = *doc;
  if (!body.is_object() || !body.contains("id_token") || !body["id_token"].is_string()) {
    return core::Unauthenticated("OIDC: the token response has no \"id_token\"");
  }
  const std::string token_type = body.contains("token_type") && body["token_type"].is_string()
                                     ? core::ToLowerAscii(body["token_type"].get<std::string>())
                                     : "";
  if (token_type != "bearer") {
    return core::Unauthenticated("OIDC: the token response's \"token_type\" is not Bearer");
  }
  return body["id_token"].get<std::string>();
}

core::Result<std::vector<std::string>> OidcClient::MapRoles(const nlohmann::json& claims) const {
  std::vector<std::string> values;
  const auto it = claims.find(config_.role_claim);
  if (it != claims.end() && it->is_string()) {
    values.push_back(it->get<std::string>());
  } else if (it != claims.end() && it->is_array() && it->size() <= kMaxRoleClaimValues) {
    for (const nlohmann::json& v : *it) {
      if (v.is_string()) {
        values.push_back(v.get<std::string>());
      }
    }
  }
  std::vector<std::string> roles;
  for (const std::string& v : values) {
    const auto role = config_.role_map.find(v);
    if (role != config_.role_map.end()) {
      roles.push_back(role->second);
    }
  }
  std::sort(roles.begin(), roles.end());
  roles.erase(std::unique(roles.begin(), roles.end()), roles.end());
  if (roles.empty()) {
    return core::PermissionDenied("OIDC: the claim \"" + config_.role_claim + "\" (" +
                                  std::to_string(values.size()) +
                                  " values) maps to no custos role");
  }
  return roles;
}

core::Result<OidcIdentity> OidcClient::CompleteLogin(std::string_view state, std::string_view code,
                                                     core::Micros now) {
  ASSIGN_OR_RETURN(const PendingLogin login, pending_.Take(state, now));
  if (code.empty()) {
    return core::Unauthenticated("OIDC: the provider returned no authorisation code");
  }
  ASSIGN_OR_RETURN(const ProviderMetadata meta, Metadata(now));
  ASSIGN_OR_RETURN(const std::string id_token, RedeemCode(meta, code, login));
  const IdTokenExpectations expected{config_.issuer, config_.client_id, login.nonce, now,
                                     config_.max_clock_skew};
  ASSIGN_OR_RETURN(const Jwks keys, Keys(meta, now, false));
  core::Result<IdTokenClaims> claims = VerifyIdToken(id_token, keys, expected);
  if (!claims.has_value() && claims.error().code() == core::StatusCode::kNotFound) {
    auto rotated = Keys(meta, now, true);  // key rotation: fetch the JWKS once more
    if (!rotated.has_value()) {
      return core::Unauthenticated(claims.error().message() + "; " + rotated.error().message());
    }
    claims = VerifyIdToken(id_token, *rotated, expected);
  }
  if (!claims.has_value()) {
    const core::Status& error = claims.error();
    return error.code() == core::StatusCode::kNotFound ? core::Unauthenticated(error.message())
                                                       : error;
  }
  ASSIGN_OR_RETURN(std::vector<std::string> roles, MapRoles(claims->claims));
  const auto login_claim = claims->claims.find(config_.login_claim);
  return OidcIdentity{claims->issuer,
                      claims->subject,
                      claims->email,
                      claims->email_verified,
                      claims->name,
                      login_claim != claims->claims.end() && login_claim->is_string()
                          ? login_claim->get<std::string>()
                          : std::string(),
                      std::move(roles)};
}

}  // namespace custos::oidc
