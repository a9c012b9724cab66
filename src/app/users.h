// SPDX-License-Identifier: Apache-2.0
// The people who log in to custos (issue 15, docs/access.md "Users"): the users store behind
// `custos users ...` and the login routes. A user has a login (unique, case-insensitive), a
// display name, an e-mail, one or more roles (app/access/permissions.h), optionally a content
// scope (directory groups) and a linked directory person, a state (active or disabled, with who
// and when), an Argon2id password (auth/password.h), optionally a confirmed TOTP second factor
// (auth/totp.h) with ten single-use recovery codes (auth/recovery_codes.h), and browser
// sessions.
//
// Storage (migration 12): login, display name, e-mail and TOTP secrets are sealed under the key
// ring (envelope encryption, as directory people); the login is looked up by its keyed hash
// (KeyRing::IndexHash("user-login" US lower-cased login)). Recovery codes are HMACs under a key
// derived from the key ring's index key. Sessions store only the SHA-256 of the session id and
// of the CSRF token; their client address and user agent are sealed.
//
// Changes of roles, scope, state, password and second factor are `access_change` records in
// the log (app/access_records.h), in the same transaction, naming the actor passed in (the CLI's
// "cli:<unix user>", the server's Principal::Actor()). Logins, TOTP checks and sessions are not
// records (the login routes audit failures themselves).
//
// Errors name the field: kInvalidArgument "login: ...", "email: ...", "display_name: ...",
// "role: ...", "scope: ...", "password ...", "person: ..."; nothing is written then. kNotFound
// for an unknown user; kAlreadyExists for a login taken.
//
// Thread-safety: every method is safe to call concurrently (each is one SQLite transaction;
// TOTP steps advance atomically, so a code is accepted once even by two concurrent logins).
// Works with the server running or not, like app/tokens.h.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/password.h"
#include "auth/totp.h"
#include "core/status.h"
#include "core/time.h"
#include "crypto/keyring.h"
#include "storage/database.h"

namespace custos::app {

inline constexpr std::size_t kMaxLoginBytes = 64;
inline constexpr std::size_t kMaxDisplayNameBytes = 200;
inline constexpr std::size_t kMaxEmailBytes = 254;
inline constexpr std::size_t kGeneratedPasswordChars = 20;

enum class UserState { kActive, kDisabled };

std::string_view UserStateName(UserState state);  // "active", "disabled"

struct UserInfo {
  std::int64_t id = 0;
  std::string login;
  std::string display_name;
  std::string email;                      // "" when none was given
  std::vector<std::string> roles;         // table order, at least one
  std::vector<std::string> scope_groups;  // empty: unscoped
  UserState state = UserState::kActive;
  bool totp_enrolled = false;             // a confirmed second factor
  std::string totp_algorithm;             // "SHA1", "SHA256"; "" when not enrolled
  std::size_t recovery_codes_left = 0;    // unused recovery codes
  bool must_enrol_2fa = false;            // must enrol a second factor at the next login
  std::optional<std::int64_t> person_id;  // the linked directory person
  core::Micros created_at = 0;
  std::string created_by;
  std::optional<core::Micros> disabled_at;
  std::string disabled_by;
};

struct NewUserRequest {
  std::string login;                      // [A-Za-z0-9][A-Za-z0-9._@-]*, at most kMaxLoginBytes
  std::string display_name;               // "" for the login
  std::string email;                      // "" for none; else local@domain
  std::vector<std::string> roles;         // role names, each item may be a comma list
  std::vector<std::string> scope_groups;  // directory groups, each item may be a comma list
  std::string password;                   // "" to generate one (returned once)
  std::optional<std::int64_t> person_id;  // a directory person (checked to exist)
  // nullopt: required when a role reads content (messages.read, events.read or export).
  std::optional<bool> require_2fa;
};

struct NewUser {
  UserInfo info;
  std::string generated_password;  // "" when the request gave one; shown once
};

struct TotpEnrolment {
  std::string otpauth_uri;    // for the authenticator app (and a QR code: auth/qr.h)
  std::string secret;         // raw bytes (the URI carries it in Base32)
  std::string secret_base32;  // for typing into an app that cannot scan
  std::string qr_svg;         // the URI as a QR code (auth/qr.h), an SVG document
};

struct SessionPolicy {
  core::Micros idle = 30 * 60 * core::kMicrosPerSecond;           // since the last request
  core::Micros absolute = 12 * 60 * 60 * core::kMicrosPerSecond;  // since login
};

struct SessionInfo {
  std::int64_t id = 0;  // the public handle (list and revoke), not the secret
  std::int64_t user_id = 0;
  core::Micros created_at = 0;
  core::Micros last_seen_at = 0;
  core::Micros idle_expires_at = 0;
  core::Micros absolute_expires_at = 0;
  std::string remote_address;
  std::string user_agent;
  std::optional<core::Micros> revoked_at;
  std::string csrf_hash;  // SHA-256 of the CSRF token (CsrfTokenMatches)
};

struct NewSession {
  SessionInfo info;
  std::string session_id;  // "css_" + 64 hex digits: the cookie's value; never stored
  std::string csrf_token;  // 64 hex digits: the CSRF token; never stored
};

// True when `token` is the session's CSRF token (its SHA-256 compared in constant time).
bool CsrfTokenMatches(const SessionInfo& session, std::string_view token);

class Users {
 public:
  // `db`, `keys` and `clock` must outlive the Users.
  Users(storage::Database* db, const crypto::KeyRing* keys, const core::Clock* clock);

  // Adds a user (state active). Checks the login syntax, display name, e-mail, roles (those a
  // user may hold), scope, the person, and the password against auth::CheckPasswordPolicy;
  // hashes it with Argon2id. kAlreadyExists when the login (ignoring case) is taken.
  core::Result<NewUser> Add(const NewUserRequest& request, std::string_view actor);

  // Every user, by id.
  core::Result<std::vector<UserInfo>> List() const;

  // User `id`, or the user whose login is `login` (ignoring case). kNotFound otherwise.
  core::Result<UserInfo> Get(std::int64_t id) const;
  core::Result<UserInfo> FindByLogin(std::string_view login) const;
  // `who` is a login, or "#<id>" / a decimal id when no login equals it.
  core::Result<UserInfo> Find(std::string_view who) const;

  // Disables user `id` (refused at login; every session revoked) or enables it again.
  // kFailedPrecondition when it is in that state already.
  core::Result<UserInfo> Disable(std::int64_t id, std::string_view actor);
  core::Result<UserInfo> Enable(std::int64_t id, std::string_view actor);

  // Replaces the roles (a user's roles) / the scope groups (empty: unscoped).
  core::Result<UserInfo> SetRoles(std::int64_t id, const std::vector<std::string>& roles,
                                  std::string_view actor);
  core::Result<UserInfo> SetScope(std::int64_t id, const std::vector<std::string>& groups,
                                  std::string_view actor);

  // Sets a new password ("" generates one, returned; otherwise "" is returned) after the policy
  // check, and revokes the user's sessions.
  core::Result<std::string> ResetPassword(std::int64_t id, std::string_view password,
                                          std::string_view actor);

  // Removes the second factor and the recovery codes, requires enrolment at the next login and
  // revokes the user's sessions.
  core::Result<UserInfo> ResetTwoFactor(std::int64_t id, std::string_view actor);

  // For the login route: the active user whose login and password these are; rehashes the
  // password when its parameters are old (auth::NeedsRehash). kUnauthenticated "login or
  // password is wrong" for an unknown login or a wrong password alike (an unknown login still
  // costs one Argon2id hash, so timing does not tell them apart); kPermissionDenied "user ... is
  // disabled" for a disabled user whose password is right.
  core::Result<UserInfo> VerifyPassword(std::string_view login, std::string_view password);

  // Starts TOTP enrolment: a new secret (kept pending, sealed, until confirmed) and its URI
  // (issuer `issuer`, account the login). Replaces an earlier pending secret; a confirmed
  // factor stays in force until ConfirmTotp replaces it.
  core::Result<TotpEnrolment> BeginTotp(std::int64_t id, auth::TotpAlgorithm algorithm,
                                        std::string_view issuer);

  // Confirms the pending secret with a code from the app: it becomes the user's factor, the
  // step is recorded, must_enrol_2fa is cleared, and ten new recovery codes are returned (shown
  // once; earlier ones stop working). kFailedPrecondition when nothing is pending; the errors
  // of auth::VerifyTotp for a wrong code.
  core::Result<std::vector<std::string>> ConfirmTotp(std::int64_t id, std::string_view code,
                                                     std::string_view actor);

  // Checks a TOTP code of user `id`'s confirmed factor and records its step, so the code (and
  // any earlier one) is refused next time. kFailedPrecondition when no factor is enrolled; the
  // errors of auth::VerifyTotp (kUnauthenticated "TOTP code was already used" for a replay).
  core::Status VerifyTotp(std::int64_t id, std::string_view code);

  // Accepts one unused recovery code of user `id` and uses it up (the same transaction).
  // Errors of auth::ConsumeRecoveryCode.
  core::Status UseRecoveryCode(std::int64_t id, std::string_view code);

  // Sessions. Create stores only hashes; Lookup returns the live session of `session_id`
  // (kUnauthenticated "session expired" / "session revoked" / "unknown session"; also when its
  // user is disabled); Touch moves its idle expiry (never past the absolute one); Revoke ends
  // one of the user's own sessions (kNotFound when there is no such live session of theirs);
  // RevokeBySecret ends the session of `session_id` (logout); ListOwn lists a user's sessions,
  // newest first.
  core::Result<NewSession> CreateSession(std::int64_t user_id, std::string_view remote_address,
                                         std::string_view user_agent,
                                         const SessionPolicy& policy = {});
  core::Result<SessionInfo> LookupSession(std::string_view session_id) const;
  core::Status TouchSession(const SessionInfo& session, const SessionPolicy& policy = {});
  core::Status RevokeSession(std::int64_t user_id, std::int64_t session);
  core::Status RevokeSessionBySecret(std::string_view session_id);
  core::Result<std::vector<SessionInfo>> ListOwnSessions(std::int64_t user_id) const;

 private:
  storage::Database* db_;
  const crypto::KeyRing* keys_;
  const core::Clock* clock_;
};

// Checks a login's syntax (kInvalidArgument "login: ...").
core::Status CheckLogin(std::string_view login);

// A random password of kGeneratedPasswordChars characters that passes the policy for `context`.
core::Result<std::string> GeneratePassword(const auth::PasswordContext& context);

}  // namespace custos::app
