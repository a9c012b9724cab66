// SPDX-License-Identifier: Apache-2.0
// app::Users, its browser sessions (app/users.h): create, look up, touch, revoke, list. Only the
// SHA-256 of a session id and of its CSRF token is stored; the client details are sealed.
#include <algorithm>
#include <utility>

#include "app/sql/users.h"
#include "app/users.h"
#include "app/users_internal.h"
#include "core/text.h"
#include "crypto/crypto.h"

namespace custos::app {

using users_internal::GetField;
using users_internal::kActive;
using users_internal::kDisabled;
using users_internal::Load;
using users_internal::Loaded;
using users_internal::NewSecretHex;
using users_internal::PutField;
using users_internal::SessionAad;

core::Result<NewSession> Users::CreateSession(std::int64_t user_id, std::string_view remote_address,
                                              std::string_view user_agent,
                                              const SessionPolicy& policy) {
  NewSession out;
  ASSIGN_OR_RETURN(std::string session_hex, NewSecretHex(32));
  out.session_id = "css_" + session_hex;
  ASSIGN_OR_RETURN(out.csrf_token, NewSecretHex(32));
  const core::Micros now = clock_->Now();
  sql::SessionRow row;
  row.session_hash = crypto::Sha256(out.session_id);
  row.user_id = user_id;
  row.created_at = now;
  row.last_seen_at = now;
  row.absolute_expires_at = now + policy.absolute;
  row.idle_expires_at = std::min(now + policy.idle, row.absolute_expires_at);
  row.csrf_hash = crypto::Sha256(out.csrf_token);
  std::string sealed;
  PutField(sealed, core::TruncateUtf8(remote_address, 100));
  PutField(sealed, core::TruncateUtf8(user_agent, 512));
  ASSIGN_OR_RETURN(row.sealed, keys_->SealEnvelope(sealed, SessionAad(row.session_hash)));
  ASSIGN_OR_RETURN(auto tx, db_->Begin(storage::TxMode::kWrite));
  ASSIGN_OR_RETURN(Loaded user, Load(*tx, *keys_, user_id));
  if (user.row.state == kDisabled) {
    return core::PermissionDenied("user \"" + user.profile.login + "\" is disabled");
  }
  ASSIGN_OR_RETURN(row.id, sql::InsertSession(*tx, row));
  RETURN_IF_ERROR(tx->Commit());
  out.info.id = row.id;
  out.info.user_id = user_id;
  out.info.created_at = now;
  out.info.last_seen_at = now;
  out.info.idle_expires_at = row.idle_expires_at;
  out.info.absolute_expires_at = row.absolute_expires_at;
  out.info.remote_address = std::string(core::TruncateUtf8(remote_address, 100));
  out.info.user_agent = std::string(core::TruncateUtf8(user_agent, 512));
  out.info.csrf_hash = row.csrf_hash;
  return out;
}

namespace {

core::Result<SessionInfo> SessionOf(const crypto::KeyRing& keys, const sql::SessionRow& row) {
  SessionInfo s;
  s.id = row.id;
  s.user_id = row.user_id;
  s.created_at = row.created_at;
  s.last_seen_at = row.last_seen_at;
  s.idle_expires_at = row.idle_expires_at;
  s.absolute_expires_at = row.absolute_expires_at;
  s.revoked_at = row.revoked_at;
  s.csrf_hash = row.csrf_hash;
  ASSIGN_OR_RETURN(std::string plain, keys.OpenEnvelope(row.sealed, SessionAad(row.session_hash)));
  std::string_view in = plain;
  ASSIGN_OR_RETURN(s.remote_address, GetField(in));
  ASSIGN_OR_RETURN(s.user_agent, GetField(in));
  return s;
}

}  // namespace

core::Result<SessionInfo> Users::LookupSession(std::string_view session_id) const {
  if (session_id.empty() || session_id.size() > 100) {
    return core::Unauthenticated("unknown session");
  }
  const std::string hash = crypto::Sha256(session_id);
  ASSIGN_OR_RETURN(auto tx, db_->Begin(storage::TxMode::kRead));
  ASSIGN_OR_RETURN(std::optional<sql::SessionRow> row, sql::FindSessionByHash(*tx, hash));
  if (!row || !crypto::ConstantTimeEquals(row->session_hash, hash)) {
    return core::Unauthenticated("unknown session");
  }
  if (row->revoked_at) {
    return core::Unauthenticated("session revoked");
  }
  const core::Micros now = clock_->Now();
  if (now >= row->idle_expires_at || now >= row->absolute_expires_at) {
    return core::Unauthenticated("session expired");
  }
  ASSIGN_OR_RETURN(std::optional<sql::UserRow> user, sql::FindUser(*tx, row->user_id));
  if (!user || user->state != kActive) {
    return core::Unauthenticated("session revoked");
  }
  return SessionOf(*keys_, *row);
}

core::Status Users::TouchSession(const SessionInfo& session, const SessionPolicy& policy) {
  const core::Micros now = clock_->Now();
  ASSIGN_OR_RETURN(auto tx, db_->Begin(storage::TxMode::kWrite));
  RETURN_IF_ERROR(sql::TouchSession(*tx, session.id, now,
                                    std::min(now + policy.idle, session.absolute_expires_at)));
  return tx->Commit();
}

core::Status Users::RevokeSession(std::int64_t user_id, std::int64_t session) {
  ASSIGN_OR_RETURN(auto tx, db_->Begin(storage::TxMode::kWrite));
  ASSIGN_OR_RETURN(const bool revoked, sql::RevokeSession(*tx, user_id, session, clock_->Now()));
  if (!revoked) {
    return core::NotFound("no live session " + std::to_string(session) + " of this user");
  }
  return tx->Commit();
}

core::Status Users::RevokeSessionBySecret(std::string_view session_id) {
  ASSIGN_OR_RETURN(auto tx, db_->Begin(storage::TxMode::kWrite));
  ASSIGN_OR_RETURN(std::optional<sql::SessionRow> row,
                   sql::FindSessionByHash(*tx, crypto::Sha256(session_id)));
  if (!row) {
    return core::Unauthenticated("unknown session");
  }
  RETURN_IF_ERROR(sql::RevokeSession(*tx, row->user_id, row->id, clock_->Now()).status());
  return tx->Commit();
}

core::Result<std::vector<SessionInfo>> Users::ListOwnSessions(std::int64_t user_id) const {
  ASSIGN_OR_RETURN(auto tx, db_->Begin(storage::TxMode::kRead));
  ASSIGN_OR_RETURN(std::vector<sql::SessionRow> rows, sql::ListSessions(*tx, user_id));
  std::vector<SessionInfo> out;
  out.reserve(rows.size());
  for (const sql::SessionRow& row : rows) {
    ASSIGN_OR_RETURN(SessionInfo s, SessionOf(*keys_, row));
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace custos::app
