// SPDX-License-Identifier: Apache-2.0
#include "app/tokens.h"

#include <algorithm>
#include <filesystem>
#include <iterator>
#include <memory>

#include "app/sql/tokens.h"
#include "core/text.h"
#include "crypto/crypto.h"
#include "storage/sqlite/sqlite_database.h"

namespace custos::app {
namespace {

constexpr std::size_t kMaxNameBytes = 100;

core::Result<std::unique_ptr<storage::Database>> OpenDb(const std::string& data_dir) {
  const std::string path = data_dir + "/custos.db";
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    return core::NotFound("no custos data directory at " + data_dir);
  }
  return storage::OpenSqlite(path);
}

}  // namespace

core::Result<NewToken> CreateToken(const std::string& data_dir, std::string_view role,
                                   std::string_view name, std::optional<core::Micros> expires_at) {
  if (std::find(std::begin(kTokenRoles), std::end(kTokenRoles), role) == std::end(kTokenRoles)) {
    std::string roles;
    for (std::string_view r : kTokenRoles) {
      roles += (roles.empty() ? "" : ", ") + std::string(r);
    }
    return core::InvalidArgument("unknown role \"" + std::string(core::TruncateUtf8(role, 40)) +
                                 "\": the roles are " + roles);
  }
  if (name.empty() || name.size() > kMaxNameBytes || !core::IsValidUtf8(name)) {
    return core::InvalidArgument("the token name must be 1 to " + std::to_string(kMaxNameBytes) +
                                 " bytes of UTF-8");
  }
  const core::Micros now = core::SystemClock().Now();
  if (expires_at && *expires_at <= now) {
    return core::InvalidArgument("the expiry " + core::FormatRfc3339(*expires_at) +
                                 " is not in the future");
  }
  ASSIGN_OR_RETURN(auto db, OpenDb(data_dir));
  ASSIGN_OR_RETURN(std::string random, crypto::RandomBytes(32));
  NewToken out;
  out.token = "cst_" + core::HexEncode(random);
  out.info.name = std::string(name);
  out.info.role = std::string(role);
  out.info.created_at = now;
  out.info.expires_at = expires_at;
  ASSIGN_OR_RETURN(auto tx, db->Begin(storage::TxMode::kWrite));
  ASSIGN_OR_RETURN(out.info.id, sql::InsertToken(*tx, out.info.name, out.info.role,
                                                 crypto::Sha256(out.token), now, expires_at));
  RETURN_IF_ERROR(tx->Commit());
  return out;
}

core::Result<TokenInfo> VerifyToken(storage::Database& db, std::string_view token,
                                    core::Micros now) {
  if (token.empty()) {
    return core::Unauthenticated("missing bearer token");
  }
  const std::string hash = crypto::Sha256(token);
  ASSIGN_OR_RETURN(auto tx, db.Begin(storage::TxMode::kRead));
  ASSIGN_OR_RETURN(std::optional<sql::StoredToken> stored, sql::FindTokenByHash(*tx, hash));
  if (!stored || !crypto::ConstantTimeEquals(stored->token_hash, hash)) {
    return core::Unauthenticated("invalid bearer token");
  }
  TokenInfo info = std::move(stored->info);
  if (info.revoked_at) {
    return core::Unauthenticated("bearer token revoked");
  }
  if (info.expires_at && *info.expires_at <= now) {
    return core::Unauthenticated("bearer token expired at " +
                                 core::FormatRfc3339(*info.expires_at));
  }
  return info;
}

core::Result<std::vector<TokenInfo>> ListTokens(const std::string& data_dir) {
  ASSIGN_OR_RETURN(auto db, OpenDb(data_dir));
  ASSIGN_OR_RETURN(auto tx, db->Begin(storage::TxMode::kRead));
  return sql::ListTokens(*tx);
}

core::Result<TokenInfo> RevokeToken(const std::string& data_dir, std::int64_t id) {
  ASSIGN_OR_RETURN(auto db, OpenDb(data_dir));
  ASSIGN_OR_RETURN(auto tx, db->Begin(storage::TxMode::kWrite));
  ASSIGN_OR_RETURN(std::optional<TokenInfo> found, sql::FindToken(*tx, id));
  if (!found) {
    return core::NotFound("no token " + std::to_string(id) + " (see `custos tokens list`)");
  }
  TokenInfo info = std::move(*found);
  if (info.revoked_at) {
    return core::FailedPrecondition("token " + std::to_string(id) + " was revoked at " +
                                    core::FormatRfc3339(*info.revoked_at));
  }
  info.revoked_at = core::SystemClock().Now();
  RETURN_IF_ERROR(sql::SetRevokedAt(*tx, id, *info.revoked_at));
  RETURN_IF_ERROR(tx->Commit());
  return info;
}

}  // namespace custos::app
