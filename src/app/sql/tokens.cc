// SPDX-License-Identifier: Apache-2.0
#include "app/sql/tokens.h"

#include "app/access/permissions.h"

namespace custos::app::sql {
namespace {

constexpr const char* kColumns =
    "id, name, roles, created_at, expires_at, revoked_at, scope_groups, last_used_at, created_by";

std::optional<core::Micros> OptionalInt(const storage::Row& row, std::size_t col) {
  if (row.IsNull(col)) {
    return std::nullopt;
  }
  return row.Int(col);
}

storage::Value OptionalValue(const std::optional<core::Micros>& v) {
  return v ? storage::Value(*v) : storage::Value();
}

TokenInfo InfoOf(const storage::Row& row) {
  TokenInfo info;
  info.id = row.Int(0);
  info.name = row.Text(1);
  info.roles = SplitRoles(row.Text(2));
  info.created_at = row.Int(3);
  info.expires_at = OptionalInt(row, 4);
  info.revoked_at = OptionalInt(row, 5);
  info.scope_groups = SplitRoles(row.Text(6));
  info.last_used_at = OptionalInt(row, 7);
  info.created_by = row.Text(8);
  return info;
}

}  // namespace

core::Result<std::int64_t> InsertToken(storage::Transaction& tx, const TokenInfo& info,
                                       const std::string& token_hash) {
  RETURN_IF_ERROR(
      tx.Execute("INSERT INTO api_tokens (name, role, roles, scope_groups, token_hash, created_at, "
                 "created_by, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                 {info.name, info.roles.empty() ? std::string() : info.roles.front(),
                  JoinRoles(info.roles), JoinRoles(info.scope_groups), storage::Blob{token_hash},
                  info.created_at, info.created_by, OptionalValue(info.expires_at)}));
  ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT last_insert_rowid()"));
  return rows[0].Int(0);
}

core::Result<std::vector<TokenInfo>> ListTokens(storage::Transaction& tx) {
  ASSIGN_OR_RETURN(auto rows,
                   tx.Query(std::string("SELECT ") + kColumns + " FROM api_tokens ORDER BY id"));
  std::vector<TokenInfo> out;
  out.reserve(rows.size());
  for (const storage::Row& row : rows) {
    out.push_back(InfoOf(row));
  }
  return out;
}

core::Result<std::optional<TokenInfo>> FindToken(storage::Transaction& tx, std::int64_t id) {
  ASSIGN_OR_RETURN(
      auto rows,
      tx.Query(std::string("SELECT ") + kColumns + " FROM api_tokens WHERE id = ?", {id}));
  if (rows.empty()) {
    return std::optional<TokenInfo>();
  }
  return std::optional<TokenInfo>(InfoOf(rows[0]));
}

core::Status SetRevokedAt(storage::Transaction& tx, std::int64_t id, core::Micros at) {
  return tx.Execute("UPDATE api_tokens SET revoked_at = ? WHERE id = ?", {at, id});
}

core::Status TouchToken(storage::Transaction& tx, std::int64_t id, core::Micros at,
                        core::Micros not_before) {
  return tx.Execute(
      "UPDATE api_tokens SET last_used_at = ? WHERE id = ? AND (last_used_at IS NULL OR "
      "last_used_at < ?)",
      {at, id, not_before});
}

core::Result<std::int64_t> CountTokensWithRole(storage::Transaction& tx, const std::string& role) {
  ASSIGN_OR_RETURN(
      auto rows, tx.Query("SELECT COUNT(*) FROM api_tokens WHERE instr(',' || roles || ',', ?) > 0",
                          {"," + role + ","}));
  return rows[0].Int(0);
}

core::Result<std::optional<StoredToken>> FindTokenByHash(storage::Transaction& tx,
                                                         const std::string& token_hash) {
  ASSIGN_OR_RETURN(auto rows, tx.Query(std::string("SELECT ") + kColumns +
                                           ", token_hash FROM api_tokens WHERE token_hash = ?",
                                       {storage::Blob{token_hash}}));
  if (rows.empty()) {
    return std::optional<StoredToken>();
  }
  return std::optional<StoredToken>(StoredToken{rows[0].Text(9), InfoOf(rows[0])});
}

}  // namespace custos::app::sql
