// SPDX-License-Identifier: Apache-2.0
#include "oidc/discovery.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "oidc/http_client.h"

namespace custos::oidc {
namespace {

constexpr std::size_t kMaxUrlBytes = 2048;

core::Result<std::string> RequiredString(const nlohmann::json& doc, const char* name) {
  const auto it = doc.find(name);
  if (it == doc.end() || !it->is_string() || it->get_ref<const std::string&>().empty()) {
    return core::InvalidArgument(std::string("discovery: \"") + name +
                                 "\" is missing or not a string");
  }
  return it->get<std::string>();
}

core::Result<std::string> Endpoint(const nlohmann::json& doc, const char* name) {
  ASSIGN_OR_RETURN(std::string text, RequiredString(doc, name));
  if (text.size() > kMaxUrlBytes) {
    return core::InvalidArgument(std::string("discovery: \"") + name + "\" is too long");
  }
  ASSIGN_OR_RETURN(const Url url, ParseUrl(text, std::string("discovery: ") + name));
  RETURN_IF_ERROR(CheckProviderUrl(url, std::string("discovery: ") + name));
  return text;
}

// The strings of an optional array member; kInvalidArgument when present and not strings.
core::Result<std::vector<std::string>> StringList(const nlohmann::json& doc, const char* name) {
  std::vector<std::string> out;
  const auto it = doc.find(name);
  if (it == doc.end()) {
    return out;
  }
  if (!it->is_array()) {
    return core::InvalidArgument(std::string("discovery: \"") + name + "\" must be an array");
  }
  for (const nlohmann::json& v : *it) {
    if (!v.is_string()) {
      return core::InvalidArgument(std::string("discovery: \"") + name + "\" must hold strings");
    }
    out.push_back(v.get<std::string>());
  }
  return out;
}

bool Contains(const std::vector<std::string>& list, std::string_view value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

core::Status RequireListed(const nlohmann::json& doc, const char* name,
                           const std::vector<std::string_view>& any_of) {
  ASSIGN_OR_RETURN(const std::vector<std::string> list, StringList(doc, name));
  if (!doc.contains(name)) {
    return core::Status::Ok();
  }
  for (const std::string_view v : any_of) {
    if (Contains(list, v)) {
      return core::Status::Ok();
    }
  }
  return core::InvalidArgument(std::string("discovery: \"") + name + "\" lists none of what " +
                               "custos needs (" + std::string(any_of.front()) + ")");
}

}  // namespace

std::string DiscoveryUrl(std::string_view issuer) {
  std::string base(issuer);
  while (!base.empty() && base.back() == '/') {
    base.pop_back();
  }
  return base + "/.well-known/openid-configuration";
}

core::Result<ProviderMetadata> ParseDiscovery(std::string_view json,
                                              std::string_view expected_issuer) {
  ASSIGN_OR_RETURN(const nlohmann::json doc,
                   core::ParseJson(json, kDiscoveryJsonLimits, "discovery document"));
  if (!doc.is_object()) {
    return core::InvalidArgument("discovery: must be a JSON object");
  }
  ProviderMetadata meta;
  ASSIGN_OR_RETURN(meta.issuer, RequiredString(doc, "issuer"));
  if (meta.issuer != expected_issuer) {
    return core::InvalidArgument("discovery: wrong issuer \"" + meta.issuer + "\" (configured \"" +
                                 std::string(expected_issuer) + "\")");
  }
  ASSIGN_OR_RETURN(meta.authorization_endpoint, Endpoint(doc, "authorization_endpoint"));
  ASSIGN_OR_RETURN(meta.token_endpoint, Endpoint(doc, "token_endpoint"));
  ASSIGN_OR_RETURN(meta.jwks_uri, Endpoint(doc, "jwks_uri"));
  RETURN_IF_ERROR(RequireListed(doc, "id_token_signing_alg_values_supported", {"RS256", "ES256"}));
  RETURN_IF_ERROR(RequireListed(doc, "response_types_supported", {"code"}));
  RETURN_IF_ERROR(RequireListed(doc, "code_challenge_methods_supported", {"S256"}));
  ASSIGN_OR_RETURN(meta.id_token_signing_alg_values_supported,
                   StringList(doc, "id_token_signing_alg_values_supported"));
  return meta;
}

}  // namespace custos::oidc
