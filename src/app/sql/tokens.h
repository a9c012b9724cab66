// SPDX-License-Identifier: Apache-2.0
// Data access for API tokens (the `api_tokens` table, migrations 1, 8 and 12; app/tokens.h): the
// only code holding this table's SQL (ARCHITECTURE.md, "Storage and SQL"). Only a token's
// SHA-256 is stored, never the token.
//
// Thread-safety: free functions over the caller's transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/tokens.h"
#include "core/status.h"
#include "core/time.h"
#include "storage/database.h"

namespace custos::app::sql {

// Inserts a token row (`info`'s name, roles, scope, created_at, created_by, expires_at) and
// returns its id. kAlreadyExists when the hash is stored already.
core::Result<std::int64_t> InsertToken(storage::Transaction& tx, const TokenInfo& info,
                                       const std::string& token_hash);

// Every token, oldest first.
core::Result<std::vector<TokenInfo>> ListTokens(storage::Transaction& tx);

// Token `id`, or nullopt.
core::Result<std::optional<TokenInfo>> FindToken(storage::Transaction& tx, std::int64_t id);

core::Status SetRevokedAt(storage::Transaction& tx, std::int64_t id, core::Micros at);

// Sets last_used_at to `at` unless it is already at or after `not_before` (one UPDATE).
core::Status TouchToken(storage::Transaction& tx, std::int64_t id, core::Micros at,
                        core::Micros not_before);

// How many tokens hold role `role` (among others).
core::Result<std::int64_t> CountTokensWithRole(storage::Transaction& tx, const std::string& role);

// What a bearer check needs of the token whose SHA-256 is `token_hash` (the stored hash, to be
// compared in constant time, and the token's row), or nullopt.
struct StoredToken {
  std::string token_hash;
  TokenInfo info;
};

core::Result<std::optional<StoredToken>> FindTokenByHash(storage::Transaction& tx,
                                                         const std::string& token_hash);

}  // namespace custos::app::sql
