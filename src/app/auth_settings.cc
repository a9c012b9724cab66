// SPDX-License-Identifier: Apache-2.0
#include "app/auth_settings.h"

#include <algorithm>
#include <string_view>

#include "app/access/permissions.h"
#include "core/text.h"

namespace custos::app {
namespace {

core::Result<core::Micros> DurationSetting(const config::Config& config, std::string_view name,
                                           core::Micros fallback) {
  const config::SettingValue* value = config.Setting(name);
  if (value == nullptr) {
    return fallback;
  }
  auto parsed = config::ParseDuration(value->text);
  if (!parsed) {  // the loader checked it; kept for a Config built by hand
    return core::InvalidArgument(value->where.ToString() + ": " + std::string(name) + ": " +
                                 parsed.error().message());
  }
  return parsed->After(0);
}

}  // namespace

core::Result<AuthSettings> LoadAuthSettings(const config::Config& config) {
  AuthSettings out;
  const config::SettingValue* roles = config.Setting("auth.require_2fa_roles");
  const std::string text = roles == nullptr ? "content" : core::ToLowerAscii(roles->text);
  const std::string where = roles == nullptr ? "auth" : roles->where.ToString();
  if (text == "content") {
    for (const RoleInfo& role : AllRoles()) {
      if (role.for_users && RolesReadContent({std::string(role.name)})) {
        out.require_2fa_roles.emplace_back(role.name);
      }
    }
  } else if (text != "none") {
    auto parsed = ParseRoles({text}, RoleHolder::kUser);
    if (!parsed) {
      return core::InvalidArgument(where + ": auth.require_2fa_roles: " + parsed.error().message() +
                                   " (or \"content\", or \"none\")");
    }
    out.require_2fa_roles = std::move(parsed).value();
  }
  ASSIGN_OR_RETURN(out.session.idle,
                   DurationSetting(config, "auth.session_idle", out.session.idle));
  ASSIGN_OR_RETURN(out.session.absolute,
                   DurationSetting(config, "auth.session_absolute", out.session.absolute));
  if (out.session.idle > out.session.absolute) {
    const config::SettingValue* idle = config.Setting("auth.session_idle");
    return core::InvalidArgument((idle == nullptr ? std::string("auth") : idle->where.ToString()) +
                                 ": auth.session_idle is longer than auth.session_absolute");
  }
  return out;
}

bool SecondFactorRequired(const AuthSettings& settings, const UserInfo& user) {
  if (user.must_enrol_2fa || user.totp_enrolled) {
    return true;
  }
  return std::any_of(user.roles.begin(), user.roles.end(), [&](const std::string& role) {
    return std::find(settings.require_2fa_roles.begin(), settings.require_2fa_roles.end(), role) !=
           settings.require_2fa_roles.end();
  });
}

}  // namespace custos::app
