// SPDX-License-Identifier: Apache-2.0
#include "testing/fake_oidc_provider.h"

#include <chrono>
#include <map>
#include <mutex>
#include <thread>
#include <utility>

#include <httplib.h>

#include "crypto/crypto.h"
#include "testing/test_signing_key.h"

namespace custos::testing {
namespace {

constexpr int kTokenLifetimeSeconds = 3600;

struct IssuedCode {
  std::string redirect_uri;
  std::string nonce;
  std::string code_challenge;
  FakeOidcUser user;
  bool used = false;
};

std::int64_t UnixSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string RandomId() { return crypto::Base64UrlEncode(*crypto::RandomBytes(24)); }

void OAuthError(httplib::Response& res, int status, const std::string& error,
                const std::string& description) {
  res.status = status;
  res.set_content(nlohmann::json{{"error", error}, {"error_description", description}}.dump(),
                  "application/json");
}

}  // namespace

struct FakeOidcProvider::Impl {
  explicit Impl(Options o) : options(std::move(o)) {}

  // The id_token for a login, under the knobs in force (mu held).
  std::string MakeIdToken(const IssuedCode& code) {
    const std::int64_t now = expired ? UnixSeconds() - 2 * kTokenLifetimeSeconds : UnixSeconds();
    nlohmann::json claims = code.user.extra_claims;
    claims["iss"] = issuer_claim.empty() ? issuer : issuer_claim;
    claims["sub"] = code.user.subject;
    claims["aud"] = audience.empty() ? options.client_id : audience;
    claims["iat"] = now;
    claims["exp"] = now + kTokenLifetimeSeconds;
    claims["nonce"] = code.nonce;
    claims["email"] = code.user.email;
    claims["email_verified"] = true;
    claims["name"] = code.user.name;
    switch (signing) {
      case Signing::kRs256:
        return SignJwt(*rsa, SignedHeader(*rsa), claims);
      case Signing::kEs256:
        return SignJwt(*ec, SignedHeader(*ec), claims);
      case Signing::kForgedRs256:
        return SignJwt(forger, SignedHeader(*rsa), claims);
      case Signing::kNone:
        return JwtSigningInput({{"alg", "none"}, {"typ", "JWT"}}, claims) + ".";
      case Signing::kHs256WithPublicKey:
        return HmacJwt(rsa->PublicKeyPem(), {{"alg", "HS256"}, {"kid", rsa->Kid()}}, claims);
    }
    return "";
  }

  void Discovery(httplib::Response& res) {
    std::lock_guard<std::mutex> lock(mu);
    ++discovery_requests;
    const nlohmann::json doc = {{"issuer", discovery_issuer.empty() ? issuer : discovery_issuer},
                                {"authorization_endpoint", issuer + "/authorize"},
                                {"token_endpoint", issuer + "/token"},
                                {"jwks_uri", issuer + "/jwks"},
                                {"response_types_supported", {"code"}},
                                {"subject_types_supported", {"public"}},
                                {"id_token_signing_alg_values_supported", {"RS256", "ES256"}},
                                {"code_challenge_methods_supported", {"S256"}},
                                {"token_endpoint_auth_methods_supported", {"client_secret_basic"}},
                                {"scopes_supported", {"openid", "email", "profile"}}};
    res.set_content(doc.dump(), "application/json");
  }

  void Jwks(httplib::Response& res) {
    std::lock_guard<std::mutex> lock(mu);
    ++jwks_requests;
    res.set_content(nlohmann::json{{"keys", {rsa->Jwk(), ec->Jwk()}}}.dump(), "application/json");
  }

  void Authorize(const httplib::Request& req, httplib::Response& res) {
    std::lock_guard<std::mutex> lock(mu);
    const auto refuse = [&](const std::string& why) {
      last_error = why;
      res.status = 400;
      res.set_content(why, "text/plain");
    };
    if (req.get_param_value("client_id") != options.client_id) {
      return refuse("unknown client_id");
    }
    if (req.get_param_value("redirect_uri") != options.redirect_uri) {
      return refuse("redirect_uri is not registered");
    }
    if (req.get_param_value("response_type") != "code") {
      return refuse("unsupported response_type");
    }
    if (req.get_param_value("code_challenge_method") != "S256" ||
        req.get_param_value("code_challenge").size() != 43) {
      return refuse("PKCE S256 code_challenge required");
    }
    const std::string scope = " " + req.get_param_value("scope") + " ";
    if (scope.find(" openid ") == std::string::npos) {
      return refuse("scope must include openid");
    }
    if (req.get_param_value("state").empty() || req.get_param_value("nonce").empty()) {
      return refuse("state and nonce required");
    }
    const std::string code = RandomId();
    codes[code] = IssuedCode{options.redirect_uri, req.get_param_value("nonce"),
                             req.get_param_value("code_challenge"), next_user};
    res.status = 302;
    res.set_header("Location",
                   options.redirect_uri + "?code=" + code + "&state=" +
                       httplib::detail::encode_query_param(req.get_param_value("state")));
  }

  bool ClientAuthenticated(const httplib::Request& req) const {
    if (options.client_secret.empty()) {
      return req.get_param_value("client_id") == options.client_id;
    }
    const std::string header = req.get_header_value("Authorization");
    if (header.rfind("Basic ", 0) != 0) {
      return false;
    }
    auto decoded = crypto::Base64Decode(header.substr(6));
    if (!decoded.has_value()) {
      return false;
    }
    const std::size_t colon = decoded->find(':');
    return colon != std::string::npos &&
           httplib::detail::decode_url(decoded->substr(0, colon), true) == options.client_id &&
           httplib::detail::decode_url(decoded->substr(colon + 1), true) == options.client_secret;
  }

  void Token(const httplib::Request& req, httplib::Response& res) {
    std::lock_guard<std::mutex> lock(mu);
    ++token_requests;
    const auto refuse = [&](int status, const std::string& error, const std::string& why) {
      last_error = error + ": " + why;
      OAuthError(res, status, error, why);
    };
    if (!ClientAuthenticated(req)) {
      return refuse(401, "invalid_client", "client authentication failed");
    }
    if (req.get_param_value("grant_type") != "authorization_code") {
      return refuse(400, "unsupported_grant_type", "grant_type must be authorization_code");
    }
    const auto it = codes.find(req.get_param_value("code"));
    if (it == codes.end()) {
      return refuse(400, "invalid_grant", "unknown code");
    }
    if (it->second.used) {
      return refuse(400, "invalid_grant", "code already used");
    }
    it->second.used = true;
    if (req.get_param_value("redirect_uri") != it->second.redirect_uri) {
      return refuse(400, "invalid_grant", "redirect_uri does not match the authorization request");
    }
    const std::string verifier = req.get_param_value("code_verifier");
    if (verifier.size() < 43 ||
        crypto::Base64UrlEncode(crypto::Sha256(verifier)) != it->second.code_challenge) {
      return refuse(400, "invalid_grant", "PKCE verification failed");
    }
    std::string id_token = MakeIdToken(it->second);
    if (replay_previous && !last_id_token.empty()) {
      id_token = last_id_token;
    }
    last_id_token = id_token;
    last_error.clear();
    res.set_header("Cache-Control", "no-store");
    res.set_content(nlohmann::json{{"access_token", RandomId()},
                                   {"token_type", "Bearer"},
                                   {"expires_in", kTokenLifetimeSeconds},
                                   {"id_token", id_token}}
                        .dump(),
                    "application/json");
  }

  const Options options;
  httplib::Server server;
  std::thread thread;
  std::string issuer;  // immutable once the server is bound

  std::mutex mu;  // guards everything below
  std::unique_ptr<TestSigningKey> rsa =
      std::make_unique<TestSigningKey>(TestSigningKey::Type::kRsa2048, "rsa-1");
  std::unique_ptr<TestSigningKey> ec =
      std::make_unique<TestSigningKey>(TestSigningKey::Type::kEcP256, "ec-1");
  TestSigningKey forger{TestSigningKey::Type::kRsa2048, "forger"};
  int generation = 1;
  FakeOidcUser next_user;
  Signing signing = Signing::kRs256;
  std::string audience;
  std::string issuer_claim;
  std::string discovery_issuer;
  bool expired = false;
  bool replay_previous = false;
  std::map<std::string, IssuedCode> codes;
  std::string last_id_token;
  std::string last_error;
  int discovery_requests = 0;
  int jwks_requests = 0;
  int token_requests = 0;
};

FakeOidcProvider::FakeOidcProvider() : FakeOidcProvider(Options{}) {}

FakeOidcProvider::FakeOidcProvider(Options options)
    : impl_(std::make_unique<Impl>(std::move(options))) {
  Impl* impl = impl_.get();
  impl->server.Get(
      "/.well-known/openid-configuration",
      [impl](const httplib::Request&, httplib::Response& res) { impl->Discovery(res); });
  impl->server.Get("/jwks",
                   [impl](const httplib::Request&, httplib::Response& res) { impl->Jwks(res); });
  impl->server.Get("/authorize", [impl](const httplib::Request& req, httplib::Response& res) {
    impl->Authorize(req, res);
  });
  impl->server.Post("/token", [impl](const httplib::Request& req, httplib::Response& res) {
    impl->Token(req, res);
  });
  const int port = impl->server.bind_to_any_port("127.0.0.1");
  if (port <= 0) {
    std::abort();  // no loopback port: the test environment is broken
  }
  impl->issuer = "http://127.0.0.1:" + std::to_string(port);
  impl->thread = std::thread([impl] { impl->server.listen_after_bind(); });
  while (!impl->server.is_running()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

FakeOidcProvider::~FakeOidcProvider() {
  impl_->server.stop();
  impl_->thread.join();
}

std::string FakeOidcProvider::Issuer() const { return impl_->issuer; }

const FakeOidcProvider::Options& FakeOidcProvider::options() const { return impl_->options; }

void FakeOidcProvider::SetNextUser(FakeOidcUser user) {
  std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->next_user = std::move(user);
}

void FakeOidcProvider::SetSigning(Signing signing) {
  std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->signing = signing;
}

void FakeOidcProvider::SetAudience(std::string audience) {
  std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->audience = std::move(audience);
}

void FakeOidcProvider::SetIssuerClaim(std::string issuer) {
  std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->issuer_claim = std::move(issuer);
}

void FakeOidcProvider::SetDiscoveryIssuer(std::string issuer) {
  std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->discovery_issuer = std::move(issuer);
}

void FakeOidcProvider::SetExpired(bool expired) {
  std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->expired = expired;
}

void FakeOidcProvider::SetReplayPreviousIdToken(bool replay) {
  std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->replay_previous = replay;
}

void FakeOidcProvider::RotateKeys() {
  std::lock_guard<std::mutex> lock(impl_->mu);
  ++impl_->generation;
  const std::string g = std::to_string(impl_->generation);
  impl_->rsa = std::make_unique<TestSigningKey>(TestSigningKey::Type::kRsa2048, "rsa-" + g);
  impl_->ec = std::make_unique<TestSigningKey>(TestSigningKey::Type::kEcP256, "ec-" + g);
}

int FakeOidcProvider::DiscoveryRequests() const {
  std::lock_guard<std::mutex> lock(impl_->mu);
  return impl_->discovery_requests;
}

int FakeOidcProvider::JwksRequests() const {
  std::lock_guard<std::mutex> lock(impl_->mu);
  return impl_->jwks_requests;
}

int FakeOidcProvider::TokenRequests() const {
  std::lock_guard<std::mutex> lock(impl_->mu);
  return impl_->token_requests;
}

std::string FakeOidcProvider::LastError() const {
  std::lock_guard<std::mutex> lock(impl_->mu);
  return impl_->last_error;
}

core::Result<std::string> FollowAuthorizeRedirect(const std::string& authorize_url) {
  const std::size_t scheme = authorize_url.find("://");
  const std::size_t path = authorize_url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  if (scheme == std::string::npos || path == std::string::npos) {
    return core::InvalidArgument("not an absolute URL: " + authorize_url);
  }
  httplib::Client client(authorize_url.substr(0, path));
  client.set_follow_location(false);
  client.set_connection_timeout(5);
  client.set_read_timeout(5);
  auto res = client.Get(authorize_url.substr(path));
  if (!res) {
    return core::Unavailable("GET " + authorize_url + ": " + httplib::to_string(res.error()));
  }
  if (res->status != 302 || !res->has_header("Location")) {
    return core::FailedPrecondition("authorize answered " + std::to_string(res->status) + ": " +
                                    res->body);
  }
  return res->get_header_value("Location");
}

std::string QueryParam(const std::string& url, const std::string& name) {
  const std::size_t q = url.find('?');
  if (q == std::string::npos) {
    return "";
  }
  httplib::Params params;
  httplib::detail::parse_query_text(url.substr(q + 1), params);
  const auto it = params.find(name);
  return it == params.end() ? "" : it->second;
}

}  // namespace custos::testing
