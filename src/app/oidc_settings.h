// SPDX-License-Identifier: Apache-2.0
// The single sign-on settings (the `auth.oidc` section of DIR/custos.yaml, config/settings.cc;
// docs/sso.md) as the oidc module's client configuration. Read by Custos at startup (no network
// I/O) to create its oidc::OidcClient; absent `auth.oidc.issuer` means single sign-on is off.
//
// With an issuer, `client_id`, `redirect_uri` and `role_map` are required; the issuer must be
// https (http only on a loopback host, for tests), the redirect URI an absolute http(s) URL, and
// `role_map` a list "claim-value=role,claim-value=role" (at most kMaxRoleMapEntries, no value
// twice) whose every role is one a user may hold (app/access/permissions.h). Without an issuer,
// naming `client_id`, `client_secret`, `redirect_uri` or `role_map` is an error (a half-written
// section would otherwise be ignored silently).
// Errors: kInvalidArgument, one line per problem, each "where: auth.oidc.<key>: ..." with the
// position of the offending value (config::Position: file:line:column, or the environment
// variable). The client secret is never part of a message.
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "config/config.h"
#include "core/status.h"
#include "oidc/flow.h"

namespace custos::app {

inline constexpr std::size_t kMaxRoleMapEntries = 256;

// "claim-value=role,claim-value=role" (spaces around items, values and roles ignored) → value
// → role. kInvalidArgument "auth.oidc.role_map: ..." naming the bad item or role.
core::Result<std::map<std::string, std::string>> ParseRoleMap(std::string_view text);

// The client configuration from the loaded settings; nullopt when single sign-on is off.
core::Result<std::optional<oidc::OidcConfig>> OidcConfigFrom(const config::Config& config);

// Loads DIR/custos.yaml at `path` (config::LoadConfigFile, with the process environment) and
// applies OidcConfigFrom; errors of the file itself are its LoadResult's.
core::Result<std::optional<oidc::OidcConfig>> LoadOidcConfig(const std::string& path);

}  // namespace custos::app
