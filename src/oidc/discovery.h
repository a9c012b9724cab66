// SPDX-License-Identifier: Apache-2.0
// The OpenID Provider's discovery document (OpenID Connect Discovery 1.0 §3, §4), served at
// ISSUER/.well-known/openid-configuration. ParseDiscovery keeps what the authorisation-code flow
// needs and checks it: "issuer" equals the configured issuer exactly (§4.3: a document for
// another issuer is refused, not followed); "authorization_endpoint", "token_endpoint" and
// "jwks_uri" are present and are https URLs (http only on a loopback host); where the provider
// lists them, "id_token_signing_alg_values_supported" includes RS256 or ES256,
// "response_types_supported" includes "code" and "code_challenge_methods_supported" includes
// "S256". Limits: kDiscoveryJsonLimits.
// Thread-safety: pure functions; ProviderMetadata is a value.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/json_reader.h"
#include "core/status.h"

namespace custos::oidc {

inline constexpr core::JsonLimits kDiscoveryJsonLimits{64 * 1024, 8, 4096};

struct ProviderMetadata {
  std::string issuer;
  std::string authorization_endpoint;
  std::string token_endpoint;
  std::string jwks_uri;
  std::vector<std::string> id_token_signing_alg_values_supported;  // empty when not listed
};

// The discovery URL of `issuer`: the issuer without a trailing '/' + "/.well-known/...".
std::string DiscoveryUrl(std::string_view issuer);

// kInvalidArgument naming the member at fault, "wrong issuer", or the limit crossed.
core::Result<ProviderMetadata> ParseDiscovery(std::string_view json,
                                              std::string_view expected_issuer);

}  // namespace custos::oidc
