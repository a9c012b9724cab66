// SPDX-License-Identifier: Apache-2.0
// Data access for users and their browser sessions (the `users` and `user_sessions` tables,
// migration 12; app/users.h): the only code holding these tables' SQL (ARCHITECTURE.md,
// "Storage and SQL"). Rows hold personal data only sealed (crypto::Envelope); the sealing and
// the meaning of the columns are app/users.cc's.
//
// Thread-safety: free functions over the caller's transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "core/time.h"
#include "crypto/keyring.h"
#include "storage/database.h"

namespace custos::app::sql {

struct UserRow {
  std::int64_t id = 0;
  std::string login_hash;    // 32 raw bytes
  crypto::Envelope sealed;   // the profile (app/users.cc)
  std::string roles;         // comma-joined
  std::string scope_groups;  // comma-joined
  std::string state;         // "active" or "disabled"
  std::string password_phc;
  std::string totp_algorithm;  // "" (none), "SHA1", "SHA256"
  bool totp_confirmed = false;
  std::optional<std::int64_t> totp_last_step;
  std::string recovery_hashes;  // base64 entries, comma-separated, "" for a used slot
  std::optional<std::int64_t> person_id;
  bool must_enrol_2fa = false;
  core::Micros created_at = 0;
  std::string created_by;
  std::optional<core::Micros> disabled_at;
  std::string disabled_by;
};

// Inserts `row` (its id is ignored) and returns the new id. kAlreadyExists when the login hash
// is taken.
core::Result<std::int64_t> InsertUser(storage::Transaction& tx, const UserRow& row);

// Rewrites every column of user `row.id` but id, created_at and created_by.
core::Status UpdateUser(storage::Transaction& tx, const UserRow& row);

core::Result<std::optional<UserRow>> FindUser(storage::Transaction& tx, std::int64_t id);

core::Result<std::optional<UserRow>> FindUserByLoginHash(storage::Transaction& tx,
                                                         const std::string& login_hash);

// Every user, by id.
core::Result<std::vector<UserRow>> ListUsers(storage::Transaction& tx);

// Records step `step` as user `id`'s last used TOTP step unless a later or equal one is stored
// already; returns whether it was recorded (false: a concurrent use won; refuse as a replay).
core::Result<bool> AdvanceTotpStep(storage::Transaction& tx, std::int64_t id, std::int64_t step);

struct SessionRow {
  std::int64_t id = 0;
  std::string session_hash;  // SHA-256 of the session id
  std::int64_t user_id = 0;
  core::Micros created_at = 0;
  core::Micros last_seen_at = 0;
  core::Micros idle_expires_at = 0;
  core::Micros absolute_expires_at = 0;
  std::string csrf_hash;    // SHA-256 of the CSRF token
  crypto::Envelope sealed;  // {"remote_address","user_agent"}
  std::optional<core::Micros> revoked_at;
};

core::Result<std::int64_t> InsertSession(storage::Transaction& tx, const SessionRow& row);

core::Result<std::optional<SessionRow>> FindSessionByHash(storage::Transaction& tx,
                                                          const std::string& session_hash);

// User `user_id`'s sessions, newest first.
core::Result<std::vector<SessionRow>> ListSessions(storage::Transaction& tx, std::int64_t user_id);

core::Status TouchSession(storage::Transaction& tx, std::int64_t id, core::Micros last_seen_at,
                          core::Micros idle_expires_at);

// Revokes session `id` of `user_id`; returns whether a live one was revoked.
core::Result<bool> RevokeSession(storage::Transaction& tx, std::int64_t user_id, std::int64_t id,
                                 core::Micros at);

// Revokes every live session of `user_id`; returns how many.
core::Result<std::int64_t> RevokeUserSessions(storage::Transaction& tx, std::int64_t user_id,
                                              core::Micros at);

}  // namespace custos::app::sql
