// SPDX-License-Identifier: Apache-2.0
#include "app/tokens.h"

#include <algorithm>
#include <utility>

#include "app/access/permissions.h"
#include "app/access_records.h"
#include "app/sql/tokens.h"
#include "core/text.h"
#include "crypto/crypto.h"

namespace custos::app {
namespace {

constexpr std::size_t kMaxNameBytes = 100;
constexpr std::size_t kMaxScopeGroupBytes = 100;
constexpr std::size_t kMaxScopeGroups = 100;

bool HasControl(std::string_view s) {
  return std::any_of(s.begin(), s.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
}

}  // namespace

core::Result<std::vector<std::string>> ParseScopeGroups(const std::vector<std::string>& items) {
  std::vector<std::string> out;
  for (const std::string& item : items) {
    for (std::string_view part : core::Split(item, ',')) {
      const std::string_view group = core::TrimAscii(part);
      if (group.empty() || group.size() > kMaxScopeGroupBytes || !core::IsValidUtf8(group) ||
          HasControl(group)) {
        return core::InvalidArgument("scope: each group must be 1 to " +
                                     std::to_string(kMaxScopeGroupBytes) +
                                     " bytes of UTF-8 without control characters, got \"" +
                                     std::string(core::TruncateUtf8(group, 40)) + "\"");
      }
      if (std::find(out.begin(), out.end(), group) != out.end()) {
        return core::InvalidArgument("scope: the group \"" + std::string(group) +
                                     "\" is given twice");
      }
      out.emplace_back(group);
    }
  }
  if (out.size() > kMaxScopeGroups) {
    return core::InvalidArgument("scope: at most " + std::to_string(kMaxScopeGroups) + " groups");
  }
  return out;
}

core::Result<NewToken> CreateToken(const std::string& data_dir, const TokenRequest& request) {
  NewToken out;
  ASSIGN_OR_RETURN(out.info.roles, ParseRoles(request.roles, RoleHolder::kToken));
  if (request.name.empty() || request.name.size() > kMaxNameBytes ||
      !core::IsValidUtf8(request.name) || HasControl(request.name)) {
    return core::InvalidArgument("name: the token name must be 1 to " +
                                 std::to_string(kMaxNameBytes) +
                                 " bytes of UTF-8 without control characters");
  }
  ASSIGN_OR_RETURN(out.info.scope_groups, ParseScopeGroups(request.scope_groups));
  const core::Micros now = core::SystemClock().Now();
  if (request.expires_at && *request.expires_at <= now) {
    return core::InvalidArgument("expires: " + core::FormatRfc3339(*request.expires_at) +
                                 " is not in the future");
  }
  ASSIGN_OR_RETURN(AccessStore store, OpenAccessStore(data_dir));
  ASSIGN_OR_RETURN(std::string random, crypto::RandomBytes(32));
  out.token = "cst_" + core::HexEncode(random);
  out.info.name = request.name;
  out.info.created_at = now;
  out.info.created_by = request.actor;
  out.info.expires_at = request.expires_at;
  ASSIGN_OR_RETURN(auto tx, store.db->Begin(storage::TxMode::kWrite));
  ASSIGN_OR_RETURN(out.info.id, sql::InsertToken(*tx, out.info, crypto::Sha256(out.token)));
  RETURN_IF_ERROR(
      AppendAccessChange(*tx, *store.keys,
                         {"token_created", request.actor, "token:" + std::to_string(out.info.id),
                          JoinRoles(out.info.roles), JoinRoles(out.info.scope_groups),
                          request.expires_at ? "expires " + core::FormatRfc3339(*request.expires_at)
                                             : std::string(),
                          now})
          .status());
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

core::Status TouchToken(storage::Database& db, const TokenInfo& token, core::Micros now) {
  const core::Micros not_before = now - kTokenLastUsedGranularity;
  if (token.last_used_at && *token.last_used_at >= not_before) {
    return core::Status::Ok();
  }
  ASSIGN_OR_RETURN(auto tx, db.Begin(storage::TxMode::kWrite));
  RETURN_IF_ERROR(sql::TouchToken(*tx, token.id, now, not_before));
  return tx->Commit();
}

core::Result<std::vector<TokenInfo>> ListTokens(const std::string& data_dir) {
  ASSIGN_OR_RETURN(AccessStore store, OpenAccessStore(data_dir));
  ASSIGN_OR_RETURN(auto tx, store.db->Begin(storage::TxMode::kRead));
  return sql::ListTokens(*tx);
}

core::Result<TokenInfo> RevokeToken(const std::string& data_dir, std::int64_t id,
                                    std::string_view actor) {
  ASSIGN_OR_RETURN(AccessStore store, OpenAccessStore(data_dir));
  ASSIGN_OR_RETURN(auto tx, store.db->Begin(storage::TxMode::kWrite));
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
  RETURN_IF_ERROR(AppendAccessChange(
                      *tx, *store.keys,
                      {"token_revoked", std::string(actor), "token:" + std::to_string(id),
                       JoinRoles(info.roles), JoinRoles(info.scope_groups), "", *info.revoked_at})
                      .status());
  RETURN_IF_ERROR(tx->Commit());
  return info;
}

}  // namespace custos::app
