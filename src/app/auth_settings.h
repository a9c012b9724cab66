// SPDX-License-Identifier: Apache-2.0
// How people log in (docs/access.md, "Logging in"; docs/config.md `auth`): which roles need a
// second factor, and how long a browser session lives. Read from DIR/custos.yaml at startup.
//
// Thread-safety: value types and pure functions.
#pragma once

#include <string>
#include <vector>

#include "app/users.h"
#include "config/config.h"
#include "core/status.h"

namespace custos::app {

struct AuthSettings {
  // The roles whose users must present a second factor (auth.require_2fa_roles), table order.
  std::vector<std::string> require_2fa_roles;
  SessionPolicy session;
};

// The settings of `config`. `auth.require_2fa_roles`: "content" (every user role that reads
// message content, RolesReadContent), "none", or a comma list of roles a user may hold.
// kInvalidArgument "<file:line:column>: auth.require_2fa_roles: unknown role 'x' ..." otherwise;
// also when the idle timeout is longer than the absolute one.
core::Result<AuthSettings> LoadAuthSettings(const config::Config& config);

// True when `user` must log in with a second factor: it was told to enrol one
// (UserInfo::must_enrol_2fa), it has one (a confirmed TOTP factor is always asked for), or one
// of its roles is in `settings.require_2fa_roles`.
bool SecondFactorRequired(const AuthSettings& settings, const UserInfo& user);

}  // namespace custos::app
