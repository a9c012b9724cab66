// SPDX-License-Identifier: Apache-2.0
#include "app/sql/users.h"

namespace custos::app::sql {
namespace {

using storage::Blob;
using storage::Row;
using storage::Value;

constexpr const char* kUserColumns =
    "id, login_hash, key_version, wrapped_key, sealed, roles, scope_groups, state, password_phc, "
    "totp_algorithm, totp_confirmed, totp_last_step, recovery_hashes, person_id, must_enrol_2fa, "
    "created_at, created_by, disabled_at, disabled_by";

constexpr const char* kSessionColumns =
    "id, session_hash, user_id, created_at, last_seen_at, idle_expires_at, absolute_expires_at, "
    "csrf_hash, key_version, wrapped_key, sealed, revoked_at";

std::optional<std::int64_t> OptionalInt(const Row& row, std::size_t col) {
  if (row.IsNull(col)) {
    return std::nullopt;
  }
  return row.Int(col);
}

Value OptionalValue(const std::optional<std::int64_t>& v) { return v ? Value(*v) : Value(); }

Value TextOrNull(const std::string& s) { return s.empty() ? Value() : Value(s); }

UserRow UserOf(const Row& r) {
  UserRow u;
  u.id = r.Int(0);
  u.login_hash = r.Text(1);
  u.sealed.key_version = static_cast<int>(r.Int(2));
  u.sealed.wrapped_key = r.Text(3);
  u.sealed.ciphertext = r.Text(4);
  u.roles = r.Text(5);
  u.scope_groups = r.Text(6);
  u.state = r.Text(7);
  u.password_phc = r.Text(8);
  u.totp_algorithm = r.Text(9);
  u.totp_confirmed = r.Int(10) != 0;
  u.totp_last_step = OptionalInt(r, 11);
  u.recovery_hashes = r.Text(12);
  u.person_id = OptionalInt(r, 13);
  u.must_enrol_2fa = r.Int(14) != 0;
  u.created_at = r.Int(15);
  u.created_by = r.Text(16);
  u.disabled_at = OptionalInt(r, 17);
  u.disabled_by = r.Text(18);
  return u;
}

SessionRow SessionOf(const Row& r) {
  SessionRow s;
  s.id = r.Int(0);
  s.session_hash = r.Text(1);
  s.user_id = r.Int(2);
  s.created_at = r.Int(3);
  s.last_seen_at = r.Int(4);
  s.idle_expires_at = r.Int(5);
  s.absolute_expires_at = r.Int(6);
  s.csrf_hash = r.Text(7);
  s.sealed.key_version = static_cast<int>(r.Int(8));
  s.sealed.wrapped_key = r.Text(9);
  s.sealed.ciphertext = r.Text(10);
  s.revoked_at = OptionalInt(r, 11);
  return s;
}

core::Result<std::optional<UserRow>> OneUser(storage::Transaction& tx, const std::string& where,
                                             std::vector<Value> params) {
  ASSIGN_OR_RETURN(auto rows,
                   tx.Query(std::string("SELECT ") + kUserColumns + " FROM users WHERE " + where,
                            std::move(params)));
  if (rows.empty()) {
    return std::optional<UserRow>();
  }
  return std::optional<UserRow>(UserOf(rows[0]));
}

}  // namespace

core::Result<std::int64_t> InsertUser(storage::Transaction& tx, const UserRow& u) {
  RETURN_IF_ERROR(tx.Execute(
      "INSERT INTO users (login_hash, key_version, wrapped_key, sealed, roles, scope_groups, "
      "state, password_phc, totp_algorithm, totp_confirmed, totp_last_step, recovery_hashes, "
      "person_id, must_enrol_2fa, created_at, created_by, disabled_at, disabled_by) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {Blob{u.login_hash}, std::int64_t{u.sealed.key_version}, Blob{u.sealed.wrapped_key},
       Blob{u.sealed.ciphertext}, u.roles, u.scope_groups, u.state, u.password_phc,
       TextOrNull(u.totp_algorithm), std::int64_t{u.totp_confirmed ? 1 : 0},
       OptionalValue(u.totp_last_step), u.recovery_hashes, OptionalValue(u.person_id),
       std::int64_t{u.must_enrol_2fa ? 1 : 0}, u.created_at, u.created_by,
       OptionalValue(u.disabled_at), TextOrNull(u.disabled_by)}));
  ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT last_insert_rowid()"));
  return rows[0].Int(0);
}

core::Status UpdateUser(storage::Transaction& tx, const UserRow& u) {
  return tx.Execute(
      "UPDATE users SET login_hash = ?, key_version = ?, wrapped_key = ?, sealed = ?, roles = ?, "
      "scope_groups = ?, state = ?, password_phc = ?, totp_algorithm = ?, totp_confirmed = ?, "
      "totp_last_step = ?, recovery_hashes = ?, person_id = ?, must_enrol_2fa = ?, "
      "disabled_at = ?, disabled_by = ? WHERE id = ?",
      {Blob{u.login_hash}, std::int64_t{u.sealed.key_version}, Blob{u.sealed.wrapped_key},
       Blob{u.sealed.ciphertext}, u.roles, u.scope_groups, u.state, u.password_phc,
       TextOrNull(u.totp_algorithm), std::int64_t{u.totp_confirmed ? 1 : 0},
       OptionalValue(u.totp_last_step), u.recovery_hashes, OptionalValue(u.person_id),
       std::int64_t{u.must_enrol_2fa ? 1 : 0}, OptionalValue(u.disabled_at),
       TextOrNull(u.disabled_by), u.id});
}

core::Result<std::optional<UserRow>> FindUser(storage::Transaction& tx, std::int64_t id) {
  return OneUser(tx, "id = ?", {id});
}

core::Result<std::optional<UserRow>> FindUserByLoginHash(storage::Transaction& tx,
                                                         const std::string& login_hash) {
  return OneUser(tx, "login_hash = ?", {Blob{login_hash}});
}

core::Result<std::vector<UserRow>> ListUsers(storage::Transaction& tx) {
  ASSIGN_OR_RETURN(auto rows,
                   tx.Query(std::string("SELECT ") + kUserColumns + " FROM users ORDER BY id"));
  std::vector<UserRow> out;
  out.reserve(rows.size());
  for (const Row& r : rows) {
    out.push_back(UserOf(r));
  }
  return out;
}

core::Result<bool> AdvanceTotpStep(storage::Transaction& tx, std::int64_t id, std::int64_t step) {
  RETURN_IF_ERROR(
      tx.Execute("UPDATE users SET totp_last_step = ? WHERE id = ? AND (totp_last_step IS NULL OR "
                 "totp_last_step < ?)",
                 {step, id, step}));
  ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT changes()"));
  return rows[0].Int(0) == 1;
}

core::Result<std::int64_t> InsertSession(storage::Transaction& tx, const SessionRow& s) {
  RETURN_IF_ERROR(tx.Execute(
      "INSERT INTO user_sessions (session_hash, user_id, created_at, last_seen_at, "
      "idle_expires_at, absolute_expires_at, csrf_hash, key_version, wrapped_key, sealed) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {Blob{s.session_hash}, s.user_id, s.created_at, s.last_seen_at, s.idle_expires_at,
       s.absolute_expires_at, Blob{s.csrf_hash}, std::int64_t{s.sealed.key_version},
       Blob{s.sealed.wrapped_key}, Blob{s.sealed.ciphertext}}));
  ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT last_insert_rowid()"));
  return rows[0].Int(0);
}

core::Result<std::optional<SessionRow>> FindSessionByHash(storage::Transaction& tx,
                                                          const std::string& session_hash) {
  ASSIGN_OR_RETURN(auto rows, tx.Query(std::string("SELECT ") + kSessionColumns +
                                           " FROM user_sessions WHERE session_hash = ?",
                                       {Blob{session_hash}}));
  if (rows.empty()) {
    return std::optional<SessionRow>();
  }
  return std::optional<SessionRow>(SessionOf(rows[0]));
}

core::Result<std::vector<SessionRow>> ListSessions(storage::Transaction& tx, std::int64_t user_id) {
  ASSIGN_OR_RETURN(auto rows, tx.Query(std::string("SELECT ") + kSessionColumns +
                                           " FROM user_sessions WHERE user_id = ? ORDER BY id DESC",
                                       {user_id}));
  std::vector<SessionRow> out;
  out.reserve(rows.size());
  for (const Row& r : rows) {
    out.push_back(SessionOf(r));
  }
  return out;
}

core::Status TouchSession(storage::Transaction& tx, std::int64_t id, core::Micros last_seen_at,
                          core::Micros idle_expires_at) {
  return tx.Execute(
      "UPDATE user_sessions SET last_seen_at = ?, idle_expires_at = ? WHERE id = ? AND "
      "revoked_at IS NULL",
      {last_seen_at, idle_expires_at, id});
}

core::Result<bool> RevokeSession(storage::Transaction& tx, std::int64_t user_id, std::int64_t id,
                                 core::Micros at) {
  RETURN_IF_ERROR(tx.Execute(
      "UPDATE user_sessions SET revoked_at = ? WHERE id = ? AND user_id = ? AND revoked_at IS "
      "NULL",
      {at, id, user_id}));
  ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT changes()"));
  return rows[0].Int(0) == 1;
}

core::Result<std::int64_t> RevokeUserSessions(storage::Transaction& tx, std::int64_t user_id,
                                              core::Micros at) {
  RETURN_IF_ERROR(
      tx.Execute("UPDATE user_sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL",
                 {at, user_id}));
  ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT changes()"));
  return rows[0].Int(0);
}

}  // namespace custos::app::sql
