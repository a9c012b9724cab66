// SPDX-License-Identifier: Apache-2.0
// Data access for API tokens (the `api_tokens` table, migrations 1 and 8; app/tokens.h): the
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

// Inserts a token row and returns its id. kAlreadyExists when the hash is stored already.
core::Result<std::int64_t> InsertToken(storage::Transaction& tx, const std::string& name,
                                       const std::string& role, const std::string& token_hash,
                                       core::Micros created_at,
                                       std::optional<core::Micros> expires_at);

// Every token, oldest first.
core::Result<std::vector<TokenInfo>> ListTokens(storage::Transaction& tx);

// Token `id`, or nullopt.
core::Result<std::optional<TokenInfo>> FindToken(storage::Transaction& tx, std::int64_t id);

core::Status SetRevokedAt(storage::Transaction& tx, std::int64_t id, core::Micros at);

// How many tokens have role `role`.
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
