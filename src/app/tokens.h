// SPDX-License-Identifier: Apache-2.0
// API tokens of a data directory (`custos tokens create|list|revoke`, docs/operations.md,
// "API tokens"): the recovery path for an operator with file-system access when the admin
// token is lost. Only a token's SHA-256 is stored; the token itself is returned once.
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

// The roles a token can have (what each may do: http/permissions.h, docs/api.md).
inline constexpr std::string_view kAdminRole = "admin";
inline constexpr std::string_view kTokenRoles[] = {"admin", "auditor", "ingest", "webhook"};

struct TokenInfo {
  std::int64_t id = 0;
  std::string name;
  std::string role;
  core::Micros created_at = 0;
  std::optional<core::Micros> expires_at;  // nullopt: never
  std::optional<core::Micros> revoked_at;  // nullopt: not revoked
};

struct NewToken {
  TokenInfo info;
  std::string token;  // "cst_" + 64 hex digits; shown once, never stored
};

// Creates a token. kInvalidArgument for an unknown role, an empty or overlong name, or an
// expiry not in the future; kNotFound when DIR holds no custos database.
core::Result<NewToken> CreateToken(const std::string& data_dir, std::string_view role,
                                   std::string_view name, std::optional<core::Micros> expires_at);

// The token whose SHA-256 is stored in `db` (compared in constant time), for authenticating a
// request at `now`. kUnauthenticated when it is empty, unknown, revoked or expired.
core::Result<TokenInfo> VerifyToken(storage::Database& db, std::string_view token,
                                    core::Micros now);

// Every token, oldest first (hashes never leave the database).
core::Result<std::vector<TokenInfo>> ListTokens(const std::string& data_dir);

// Revokes token `id`: it is refused from the next request on. kNotFound when there is no such
// token; kFailedPrecondition when it is revoked already.
core::Result<TokenInfo> RevokeToken(const std::string& data_dir, std::int64_t id);

}  // namespace custos::app
