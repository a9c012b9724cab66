// SPDX-License-Identifier: Apache-2.0
// API tokens of a data directory (`custos tokens create|list|revoke`, docs/operations.md,
// "API tokens"): for programs and integrations, and the recovery path for an operator with
// file-system access when the admin token is lost. Only a token's SHA-256 is stored; the token
// itself is returned once. A token has one or more roles (app/access/permissions.h, the roles
// an API token may hold), optionally a content scope (directory groups: it then reads content
// only of those desks, http/principal.h), an expiry, its last use (recorded at most once a
// minute) and its creator. Creation and revocation are `access_change` records in the log
// (app/access_records.h).
//
// These functions open DIR/custos.db themselves, without the data directory's writer lock
// (app/data_lock.h): a token row is independent of the archive, each change is one SQLite
// transaction, and the server checks tokens against the table on every request, so they work
// the same with the server running or stopped, and a new token is usable at once.
// Thread-safety: safe to call concurrently (SQLite serialises the writes).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "core/time.h"

namespace custos::storage {
class Database;
}  // namespace custos::storage

namespace custos::app {

// Last use is written at most this often per token.
inline constexpr core::Micros kTokenLastUsedGranularity = 60 * core::kMicrosPerSecond;

struct TokenInfo {
  std::int64_t id = 0;
  std::string name;
  std::vector<std::string> roles;         // table order, at least one
  std::vector<std::string> scope_groups;  // empty: unscoped
  core::Micros created_at = 0;
  std::string created_by;                    // the actor; "" for tokens made before issue 15
  std::optional<core::Micros> expires_at;    // nullopt: never
  std::optional<core::Micros> revoked_at;    // nullopt: not revoked
  std::optional<core::Micros> last_used_at;  // nullopt: never used (to the minute)
};

struct NewToken {
  TokenInfo info;
  std::string token;  // "cst_" + 64 hex digits; shown once, never stored
};

struct TokenRequest {
  std::vector<std::string> roles;  // role names, each item may be a comma list
  std::string name;
  std::vector<std::string> scope_groups;  // each item may be a comma list
  std::optional<core::Micros> expires_at;
  std::string actor;  // who creates it ("cli:<unix user>", a principal's Actor())
};

// Parses and checks a scope list (directory group names, comma lists allowed): each 1 to 100
// bytes of UTF-8 without control characters; none twice. kInvalidArgument "scope: ...".
core::Result<std::vector<std::string>> ParseScopeGroups(const std::vector<std::string>& items);

// Creates a token. kInvalidArgument naming the field ("role: ...", "name: ...", "scope: ...",
// "expires: ...") for an unknown role or one a token may not hold, an empty or overlong name, a
// bad scope, or an expiry not in the future (nothing is written then); kNotFound when DIR holds
// no custos database.
core::Result<NewToken> CreateToken(const std::string& data_dir, const TokenRequest& request);

// The token whose SHA-256 is stored in `db` (compared in constant time), for authenticating a
// request at `now`. kUnauthenticated when it is empty, unknown, revoked or expired.
core::Result<TokenInfo> VerifyToken(storage::Database& db, std::string_view token,
                                    core::Micros now);

// Records that `token` was used at `now`, unless its last use is less than
// kTokenLastUsedGranularity ago (then nothing is written). For the authentication middleware,
// after VerifyToken.
core::Status TouchToken(storage::Database& db, const TokenInfo& token, core::Micros now);

// Every token, oldest first (hashes never leave the database).
core::Result<std::vector<TokenInfo>> ListTokens(const std::string& data_dir);

// Revokes token `id` for `actor`: it is refused from the next request on. kNotFound when there
// is no such token; kFailedPrecondition when it is revoked already.
core::Result<TokenInfo> RevokeToken(const std::string& data_dir, std::int64_t id,
                                    std::string_view actor);

}  // namespace custos::app
