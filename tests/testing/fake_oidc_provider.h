// SPDX-License-Identifier: Apache-2.0
// FakeOidcProvider: a local OpenID Connect identity provider for tests, speaking the real
// protocol over real HTTP on 127.0.0.1 (an ephemeral port): the discovery document
// (/.well-known/openid-configuration), the authorisation endpoint (/authorize: checks client_id,
// redirect_uri, response_type=code, scope openid, state, nonce and an S256 code_challenge, then
// answers 302 to redirect_uri?code=...&state=... for the "next user"), the token endpoint
// (/token: client_secret_basic when the client has a secret, the code single-use and bound to
// its redirect_uri, the PKCE verifier checked against the challenge; answers an id_token) and
// the JWKS (/jwks). It signs with an RSA-2048 (RS256) and a P-256 (ES256) key made at start.
//
// Knobs make it misbehave the ways a real attacker or a broken provider would, for the refused
// cases: a forged signature (another key, same kid), alg "none", HS256 keyed with the RSA public
// key, a wrong audience or issuer, an expired token, the id_token of an earlier login (a replayed
// nonce), a discovery document naming another issuer, and key rotation. Knobs apply to the
// tokens issued after they are set.
// Thread-safety: every method may be called concurrently with the server's threads.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "core/status.h"

namespace custos::testing {

struct FakeOidcUser {
  std::string subject = "user-1";
  std::string email = "ada@example.com";
  std::string name = "Ada Lovelace";
  nlohmann::json extra_claims = nlohmann::json::object();  // e.g. {"groups": ["compliance"]}
};

class FakeOidcProvider {
 public:
  struct Options {
    std::string client_id = "custos-test";
    std::string client_secret = "test-secret";  // empty: a public client (no client auth)
    std::string redirect_uri = "http://127.0.0.1:1/auth/oidc/callback";
  };

  enum class Signing {
    kRs256,
    kEs256,
    kForgedRs256,         // RS256 by a key not in the JWKS, with the real key's kid
    kNone,                // {"alg":"none"}, empty signature
    kHs256WithPublicKey,  // HMAC-SHA-256 keyed with the RSA public key PEM, the RSA kid
  };

  explicit FakeOidcProvider(Options options);
  FakeOidcProvider();
  FakeOidcProvider(const FakeOidcProvider&) = delete;
  FakeOidcProvider& operator=(const FakeOidcProvider&) = delete;
  ~FakeOidcProvider();

  // "http://127.0.0.1:PORT"
  std::string Issuer() const;
  const Options& options() const;

  void SetNextUser(FakeOidcUser user);
  void SetSigning(Signing signing);
  void SetAudience(std::string audience);       // "" = the client id
  void SetIssuerClaim(std::string issuer);      // "" = Issuer()
  void SetDiscoveryIssuer(std::string issuer);  // "" = Issuer()
  void SetExpired(bool expired);                // exp and iat an hour in the past
  void SetReplayPreviousIdToken(bool replay);   // answer /token with the last id_token issued
  // New RSA and EC keys with new kids; the JWKS then lists only them.
  void RotateKeys();

  int DiscoveryRequests() const;
  int JwksRequests() const;
  int TokenRequests() const;
  // The OAuth error of the last refused /token or /authorize request ("" when none).
  std::string LastError() const;

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

// GETs `authorize_url` without following redirects and returns the Location it redirects to;
// kFailedPrecondition (with the body) when the provider does not answer 302.
core::Result<std::string> FollowAuthorizeRedirect(const std::string& authorize_url);

// The decoded value of query parameter `name` in `url` ("" when absent).
std::string QueryParam(const std::string& url, const std::string& name);

}  // namespace custos::testing
