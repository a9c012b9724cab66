// SPDX-License-Identifier: Apache-2.0
#include "config/settings.h"

namespace custos::config {

std::string_view SettingTypeName(SettingType type) {
  switch (type) {
    case SettingType::kString:
      return "string";
    case SettingType::kInteger:
      return "integer";
    case SettingType::kDuration:
      return "duration";
    case SettingType::kSchedule:
      return "schedule";
    case SettingType::kRegion:
      return "region";
    case SettingType::kUrl:
      return "url";
  }
  return "string";
}

const std::vector<SectionSpec>& AllSections() {
  static const std::vector<SectionSpec> kAll = {
      {"retention",
       "the scalar retention settings below, and `classes`",
       "docs/retention.md",
       {"classes"}},
      {"desks", "desk (group) name → the handles of its members", "docs/retention.md", {""}},
      {"devices", "the NanoMDM command API client (`nanomdm`, read by the devices module)",
       "docs/devices.md"},
      {"devices.nanomdm",
       "NanoMDM's command API: `url` and `api_key`, both or neither",
       "docs/devices.md",
       {},
       /*all_or_none=*/true},
      {"directory", "`default_region` below", "docs/directory.md"},
      {"auth", "browser logins: `require_2fa_roles`, the session timeouts, `oidc`",
       "docs/access.md"},
      {"auth.oidc", "single sign-on through an OpenID Connect provider; absent `issuer`: off",
       "docs/sso.md"},
  };
  return kAll;
}

const std::vector<SettingSpec>& AllSettings() {
  static const std::vector<SettingSpec> kAll = {
      // retention (app/retention_service.h)
      {"retention.default_period", SettingType::kDuration, "7y", "CUSTOS_RETENTION_DEFAULT_PERIOD",
       "How long a record is kept when no retention class matches it"},
      {"retention.default_legal_basis", SettingType::kString,
       "custos default of 7 years: covers SEC Rule 17a-4(b)(4) (3 years), FINRA Rule 4511(b) "
       "(6 years) and MiFID II Art. 16(7) (5, up to 7 years)",
       "CUSTOS_RETENTION_DEFAULT_LEGAL_BASIS",
       "The legal basis recorded when a record is disposed of under the default class"},
      {"retention.schedule", SettingType::kSchedule, "1h", "CUSTOS_RETENTION_SCHEDULE",
       "How often `custos serve` runs retention in the background (\"off\" to disable)"},
      {"retention.batch_size", SettingType::kInteger, "500", "CUSTOS_RETENTION_BATCH_SIZE",
       "Records disposed of per transaction by a retention run", 1, 10'000},
      // directory (directory/, cli/import_region.h)
      {"directory.default_region", SettingType::kRegion, "GB", "CUSTOS_DIRECTORY_DEFAULT_REGION",
       "ISO 3166-1 region of phone numbers written without a country code (`custos directory "
       "import`, `custos import FORMAT`; --region overrides it)"},
      // devices.nanomdm (devices/nanomdm_client.h)
      {"devices.nanomdm.url", SettingType::kUrl, "", "CUSTOS_DEVICES_NANOMDM_URL",
       "NanoMDM's API (scheme://host[:port]); absent: Apple commands wait for the agent"},
      {"devices.nanomdm.api_key", SettingType::kString, "", "CUSTOS_DEVICES_NANOMDM_API_KEY",
       "The key given to nanomdm with -api (never logged)"},
      // auth (app/auth_settings.h)
      {"auth.require_2fa_roles", SettingType::kString, "content", "CUSTOS_AUTH_REQUIRE_2FA_ROLES",
       "The roles whose users must log in with a second factor: a comma list of roles, "
       "\"content\" (every role that reads message content) or \"none\""},
      {"auth.session_idle", SettingType::kDuration, "1800s", "CUSTOS_AUTH_SESSION_IDLE",
       "A browser session ends after this long without a request (1800s: 30 minutes; NIST SP "
       "800-63B AAL2)"},
      {"auth.session_absolute", SettingType::kDuration, "12h", "CUSTOS_AUTH_SESSION_ABSOLUTE",
       "A browser session ends this long after its login, however active"},
      // auth.oidc (app/oidc_settings.h; docs/sso.md)
      {"auth.oidc.issuer", SettingType::kUrl, "", "CUSTOS_AUTH_OIDC_ISSUER",
       "The provider's issuer URL, exactly as in its tokens' \"iss\"; absent: single sign-on "
       "is off"},
      {"auth.oidc.client_id", SettingType::kString, "", "CUSTOS_AUTH_OIDC_CLIENT_ID",
       "custos's client id at the provider (required with an issuer)"},
      {"auth.oidc.client_secret", SettingType::kString, "", "CUSTOS_AUTH_OIDC_CLIENT_SECRET",
       "The client secret (client_secret_basic; never logged); absent: a public client, PKCE "
       "only"},
      {"auth.oidc.redirect_uri", SettingType::kUrl, "", "CUSTOS_AUTH_OIDC_REDIRECT_URI",
       "custos's callback URL registered at the provider, ending in /api/v1/auth/oidc/callback "
       "(required with an issuer)"},
      {"auth.oidc.role_claim", SettingType::kString, "groups", "CUSTOS_AUTH_OIDC_ROLE_CLAIM",
       "The ID token claim holding group or role names (a string or an array of strings)"},
      {"auth.oidc.role_map", SettingType::kString, "", "CUSTOS_AUTH_OIDC_ROLE_MAP",
       "claim-value=role,claim-value=role: what each claim value grants (roles a user may hold; "
       "required with an issuer)"},
      {"auth.oidc.login_claim", SettingType::kString, "email", "CUSTOS_AUTH_OIDC_LOGIN_CLAIM",
       "The ID token claim that becomes the custos login of a user made at first sign-in"},
  };
  return kAll;
}

const SettingSpec* FindSetting(std::string_view name) {
  for (const SettingSpec& spec : AllSettings()) {
    if (spec.name == name) {
      return &spec;
    }
  }
  return nullptr;
}

const SectionSpec* FindSection(std::string_view name) {
  for (const SectionSpec& spec : AllSections()) {
    if (spec.name == name) {
      return &spec;
    }
  }
  return nullptr;
}

namespace {

// The key of `dotted` directly under `section` ("" for the top level); "" when `dotted` is not
// a direct child.
std::string_view ChildKey(std::string_view section, std::string_view dotted) {
  if (!section.empty()) {
    if (dotted.size() <= section.size() + 1 || !dotted.starts_with(section) ||
        dotted[section.size()] != '.') {
      return {};
    }
    dotted.remove_prefix(section.size() + 1);
  }
  return dotted.find('.') == std::string_view::npos ? dotted : std::string_view();
}

}  // namespace

std::vector<std::string_view> KnownKeys(std::string_view section) {
  std::vector<std::string_view> keys;
  for (const SettingSpec& spec : AllSettings()) {
    if (const std::string_view key = ChildKey(section, spec.name); !key.empty()) {
      keys.push_back(key);
    }
  }
  for (const SectionSpec& spec : AllSections()) {
    if (const std::string_view key = ChildKey(section, spec.name); !key.empty()) {
      keys.push_back(key);
    }
  }
  if (const SectionSpec* spec = FindSection(section)) {
    for (std::string_view key : spec->structured) {
      if (!key.empty()) {
        keys.push_back(key);
      }
    }
  }
  return keys;
}

}  // namespace custos::config
