// SPDX-License-Identifier: Apache-2.0
// OidcClient: the relying-party side of the OpenID Connect authorisation-code flow with PKCE
// (OpenID Connect Core 1.0 §3.1, RFC 7636 S256) against one configured issuer.
//
//   BeginLogin(now)  -> the URL to send the browser to, plus the state, nonce and PKCE verifier
//                       (each 32 bytes from the CSPRNG, base64url), remembered in a bounded,
//                       single-use store (oidc/pending_logins.h: 10 minutes, 10,000 at most).
//   CompleteLogin(state, code, now)
//                    -> takes the state (a second use is refused), POSTs the code and the
//                       verifier to the token endpoint (client_secret_basic when a secret is
//                       configured, otherwise the client id in the form: a public client),
//                       verifies the returned id_token (oidc/jwt.h: signature, iss, aud/azp,
//                       exp/iat/nbf, nonce) and maps the configured role claim (a string or an
//                       array of strings) through role_map. A login whose claim maps to no role
//                       is refused (kPermissionDenied).
//
// The discovery document and the JWKS are fetched on first use (oidc/http_client.h: timeouts,
// body caps, https only except on loopback) and kept. The discovery document is fetched again
// after kMetadataMaxAge. When an id_token names a kid the JWKS lacks, the JWKS is fetched again
// once (key rotation) unless it was fetched less than kJwksRefetchInterval ago.
// Errors: kInvalidArgument for a bad configuration (Create); kUnavailable / kResourceExhausted
// when the provider cannot be reached or answers too much; kUnauthenticated for a refused login
// (unknown or replayed state, a token endpoint error, any id_token check); kPermissionDenied when
// the claims map to no role. Messages name the check that failed; they are for logs and for the
// administrator, and should not all be shown to the browser.
// Thread-safety: every method may be called concurrently. Network requests are made without
// holding the client's mutex.
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/mutex.h"
#include "core/status.h"
#include "core/time.h"
#include "oidc/discovery.h"
#include "oidc/http_client.h"
#include "oidc/jwks.h"
#include "oidc/jwt.h"
#include "oidc/pending_logins.h"

namespace custos::oidc {

inline constexpr core::Micros kJwksRefetchInterval = 60 * core::kMicrosPerSecond;
inline constexpr core::Micros kMetadataMaxAge = 24 * 3600 * core::kMicrosPerSecond;
inline constexpr std::size_t kMaxTokenResponseBytes = 64 * 1024;
inline constexpr std::size_t kMaxRoleClaimValues = 256;

struct OidcConfig {
  std::string issuer;  // exact, as the provider writes it in "iss"
  std::string client_id;
  std::string client_secret;  // empty: a public client (PKCE only)
  std::string redirect_uri;   // custos's callback URL, registered at the provider
  std::vector<std::string> scopes = {"openid", "email", "profile"};  // must include "openid"
  std::string role_claim = "groups";
  std::map<std::string, std::string> role_map;  // claim value -> custos role
  // The claim whose value (a string) is OidcIdentity::login: what the server makes the user's
  // login when it provisions one ("email", "preferred_username", ...).
  std::string login_claim = "email";
  int http_timeout_seconds = 10;
  core::Micros max_clock_skew = 60 * core::kMicrosPerSecond;
  std::size_t max_pending_logins = kMaxPendingLogins;
};

struct LoginStart {
  std::string authorize_url;
  std::string state;
  std::string nonce;
  std::string code_verifier;
};

struct OidcIdentity {
  std::string issuer;
  std::string subject;  // stable id of the user at the provider ("sub")
  std::string email;    // empty when the token carries none
  bool email_verified = false;
  std::string name;
  std::string login;  // the login_claim's value; empty when the token has none or not a string
  std::vector<std::string> roles;  // custos roles, sorted, without duplicates; never empty
};

class OidcClient {
 public:
  // Checks the configuration (issuer and redirect URL, client id, "openid" scope, role claim,
  // a non-empty role map); does no network I/O. kInvalidArgument naming the setting.
  static core::Result<std::unique_ptr<OidcClient>> Create(OidcConfig config);

  OidcClient(const OidcClient&) = delete;
  OidcClient& operator=(const OidcClient&) = delete;

  // Starts a login; fetches the discovery document and JWKS first if needed (blocks).
  core::Result<LoginStart> BeginLogin(core::Micros now);

  // Completes the login `state` with the authorisation `code` the provider redirected back with
  // (blocks on the token endpoint; see the file comment for the checks and errors).
  core::Result<OidcIdentity> CompleteLogin(std::string_view state, std::string_view code,
                                           core::Micros now);

  std::size_t PendingLoginCount() const { return pending_.size(); }

 private:
  explicit OidcClient(OidcConfig config);

  // The provider's metadata, fetched when missing or older than kMetadataMaxAge.
  core::Result<ProviderMetadata> Metadata(core::Micros now) CUSTOS_EXCLUDES(mu_);
  // The JWKS; fetched again when `refetch` and the last fetch is older than the interval.
  core::Result<Jwks> Keys(const ProviderMetadata& meta, core::Micros now, bool refetch)
      CUSTOS_EXCLUDES(mu_);
  core::Result<std::string> RedeemCode(const ProviderMetadata& meta, std::string_view code,
                                       const PendingLogin& login);
  core::Result<std::vector<std::string>> MapRoles(const nlohmann::json& claims) const;

  // Immutable after construction.
  const OidcConfig config_;
  const HttpLimits limits_;

  PendingLogins pending_;

  mutable core::Mutex mu_;
  std::optional<ProviderMetadata> metadata_ CUSTOS_GUARDED_BY(mu_);
  core::Micros metadata_fetched_at_ CUSTOS_GUARDED_BY(mu_) = 0;
  std::optional<Jwks> jwks_ CUSTOS_GUARDED_BY(mu_);
  core::Micros jwks_fetched_at_ CUSTOS_GUARDED_BY(mu_) = 0;
};

}  // namespace custos::oidc
