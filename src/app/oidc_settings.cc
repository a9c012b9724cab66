// SPDX-License-Identifier: Apache-2.0
#include "app/oidc_settings.h"

#include <utility>
#include <vector>

#include "app/access/permissions.h"
#include "core/text.h"
#include "oidc/http_client.h"

namespace custos::app {
namespace {

constexpr std::string_view kRoleMap = "auth.oidc.role_map";

// The settings that mean nothing without an issuer (the others have defaults).
constexpr std::string_view kNeedIssuer[] = {"auth.oidc.client_id", "auth.oidc.client_secret",
                                            "auth.oidc.redirect_uri", kRoleMap};

std::string At(const config::SettingValue& value, std::string_view message) {
  return config::Diagnostic{value.where, std::string(message)}.ToString();
}

std::string JoinLines(const std::vector<std::string>& lines) {
  std::string out;
  for (const std::string& line : lines) {
    out += (out.empty() ? "" : "\n") + line;
  }
  return out;
}

std::string Quoted(std::string_view text) {
  return "\"" + std::string(core::TruncateUtf8(text, 80)) + "\"";
}

}  // namespace

core::Result<std::map<std::string, std::string>> ParseRoleMap(std::string_view text) {
  std::map<std::string, std::string> out;
  for (std::string_view raw : core::Split(text, ',')) {
    const std::string_view item = core::TrimAscii(raw);
    if (item.empty()) {
      continue;  // "a=b," or "a=b,,c=d": an empty item is no mapping
    }
    const std::size_t eq = item.find('=');
    const std::string_view value = core::TrimAscii(item.substr(0, eq));
    const std::string_view role =
        eq == std::string_view::npos ? std::string_view() : core::TrimAscii(item.substr(eq + 1));
    if (value.empty() || role.empty() || role.find('=') != std::string_view::npos) {
      return core::InvalidArgument(std::string(kRoleMap) + ": " + Quoted(item) +
                                   " is not claim-value=role");
    }
    auto parsed = ParseRoles({std::string(role)}, RoleHolder::kUser);
    if (!parsed.has_value()) {
      return core::InvalidArgument(std::string(kRoleMap) + ": " + Quoted(item) + ": " +
                                   parsed.error().message());
    }
    if (!out.emplace(std::string(value), parsed->front()).second) {
      return core::InvalidArgument(std::string(kRoleMap) + ": the claim value " + Quoted(value) +
                                   " is mapped twice (one role per value)");
    }
    if (out.size() > kMaxRoleMapEntries) {
      return core::InvalidArgument(std::string(kRoleMap) + ": more than " +
                                   std::to_string(kMaxRoleMapEntries) + " entries");
    }
  }
  if (out.empty()) {
    return core::InvalidArgument(std::string(kRoleMap) +
                                 ": maps no claim value to a role (claim-value=role,...)");
  }
  return out;
}

core::Result<std::optional<oidc::OidcConfig>> OidcConfigFrom(const config::Config& config) {
  std::vector<std::string> errors;
  const config::SettingValue* issuer = config.Setting("auth.oidc.issuer");
  if (issuer == nullptr) {
    for (std::string_view name : kNeedIssuer) {
      if (const config::SettingValue* v = config.Setting(name)) {
        errors.push_back(At(*v, std::string(name) +
                                    ": set without auth.oidc.issuer (single sign-on is off "
                                    "without an issuer)"));
      }
    }
    if (!errors.empty()) {
      return core::InvalidArgument(JoinLines(errors));
    }
    return std::optional<oidc::OidcConfig>();
  }
  oidc::OidcConfig out;
  out.issuer = issuer->text;
  if (auto url = oidc::ParseUrl(issuer->text, "auth.oidc.issuer"); !url.has_value()) {
    errors.push_back(At(*issuer, url.error().message()));
  } else if (core::Status https = oidc::CheckProviderUrl(*url, "auth.oidc.issuer"); !https.ok()) {
    errors.push_back(At(*issuer, https.message()));
  } else if (url->target.find('?') != std::string::npos) {
    errors.push_back(At(*issuer, "auth.oidc.issuer: must not have a query"));
  }
  // Required with an issuer: named at the issuer, which is what turned single sign-on on.
  const auto required = [&](std::string_view name) -> const config::SettingValue* {
    const config::SettingValue* v = config.Setting(name);
    if (v == nullptr) {
      errors.push_back(At(*issuer, std::string(name) + ": required when auth.oidc.issuer is set"));
    }
    return v;
  };
  if (const config::SettingValue* v = required("auth.oidc.client_id")) {
    out.client_id = v->text;
  }
  if (const config::SettingValue* v = required("auth.oidc.redirect_uri")) {
    out.redirect_uri = v->text;
    if (auto url = oidc::ParseUrl(v->text, "auth.oidc.redirect_uri"); !url.has_value()) {
      errors.push_back(At(*v, url.error().message()));
    }
  }
  if (const config::SettingValue* v = required(kRoleMap)) {
    if (auto map = ParseRoleMap(v->text); map.has_value()) {
      out.role_map = std::move(*map);
    } else {
      errors.push_back(At(*v, map.error().message()));
    }
  }
  if (const config::SettingValue* v = config.Setting("auth.oidc.client_secret")) {
    out.client_secret = v->text;
  }
  if (const config::SettingValue* v = config.Setting("auth.oidc.role_claim")) {
    out.role_claim = v->text;
  }
  if (const config::SettingValue* v = config.Setting("auth.oidc.login_claim")) {
    out.login_claim = v->text;
  }
  if (!errors.empty()) {
    return core::InvalidArgument(JoinLines(errors));
  }
  return std::optional<oidc::OidcConfig>(std::move(out));
}

core::Result<std::optional<oidc::OidcConfig>> LoadOidcConfig(const std::string& path) {
  const config::LoadResult loaded = config::LoadConfigFile(path, config::ProcessEnvironment());
  RETURN_IF_ERROR(loaded.ToStatus());
  return OidcConfigFrom(loaded.config);
}

}  // namespace custos::app
