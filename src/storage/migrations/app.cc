// SPDX-License-Identifier: Apache-2.0
#include "storage/migrations/app.h"

namespace custos::storage::migrations::app {

// Migration 8: API tokens can expire and be revoked (`custos tokens`, app/tokens.h); NULL is
// "never" and "not revoked".
const Migration kTokenExpiry = {8, "token expiry and revocation", R"sql(
ALTER TABLE api_tokens ADD COLUMN expires_at INTEGER;
ALTER TABLE api_tokens ADD COLUMN revoked_at INTEGER;
)sql",
                                ""};

// Migration 11: durable cursors over the log (app/cursor/cursor_runner.h, docs/ingest.md). One
// row per log consumer: the id of the last record it consumed (records are the log, in order);
// a consumer without a row has consumed nothing. Self-contained: nothing else refers to it.
const Migration kConsumerCursors = {11, "consumer cursors", R"sql(
CREATE TABLE consumer_cursors (
  name        TEXT PRIMARY KEY,
  position    INTEGER NOT NULL CHECK (position >= 0),
  updated_at  INTEGER NOT NULL
) WITHOUT ROWID;
)sql",
                                    ""};

// Migration 12: people in custos (issue 15, docs/access.md). `users`: one row per person who logs
// in. Personal data is sealed (envelope encryption under the key ring, like directory people):
// login, display name, e-mail and the TOTP secrets are in `sealed`; `login_hash` is the keyed
// hash (KeyRing::IndexHash, domain "user-login") of the lower-cased login, for lookup and
// uniqueness. Roles and scope groups are comma lists (app/access/permissions.h). Recovery codes
// are keyed MACs (auth/recovery_codes.h), hex, comma-separated, "" for a used slot.
// `user_sessions`: browser sessions, only the SHA-256 of the session id and of the CSRF token;
// the client address and user agent are sealed. `api_tokens` gains several roles (`roles`,
// filled from `role` for existing tokens; `role` keeps the first), a content scope, the last
// use and who created it.
const Migration kUsersAndSessions = {12, "users and sessions", R"sql(
CREATE TABLE users (
  id                 INTEGER PRIMARY KEY,
  login_hash         BLOB NOT NULL UNIQUE,
  key_version        INTEGER NOT NULL,
  wrapped_key        BLOB NOT NULL,
  sealed             BLOB NOT NULL,
  roles              TEXT NOT NULL,
  scope_groups       TEXT NOT NULL DEFAULT '',
  state              TEXT NOT NULL CHECK (state IN ('active', 'disabled')),
  password_phc       TEXT NOT NULL,
  totp_algorithm     TEXT CHECK (totp_algorithm IN ('SHA1', 'SHA256')),
  totp_confirmed     INTEGER NOT NULL DEFAULT 0,
  totp_last_step     INTEGER,
  recovery_hashes    TEXT NOT NULL DEFAULT '',
  person_id          INTEGER,
  must_enrol_2fa     INTEGER NOT NULL DEFAULT 0,
  created_at         INTEGER NOT NULL,
  created_by         TEXT NOT NULL,
  disabled_at        INTEGER,
  disabled_by        TEXT
);

CREATE TABLE user_sessions (
  id                   INTEGER PRIMARY KEY,
  session_hash         BLOB NOT NULL UNIQUE,
  user_id              INTEGER NOT NULL REFERENCES users(id),
  created_at           INTEGER NOT NULL,
  last_seen_at         INTEGER NOT NULL,
  idle_expires_at      INTEGER NOT NULL,
  absolute_expires_at  INTEGER NOT NULL,
  csrf_hash            BLOB NOT NULL,
  key_version          INTEGER NOT NULL,
  wrapped_key          BLOB NOT NULL,
  sealed               BLOB NOT NULL,
  revoked_at           INTEGER
);
CREATE INDEX user_sessions_by_user ON user_sessions (user_id);

ALTER TABLE api_tokens ADD COLUMN roles TEXT NOT NULL DEFAULT '';
UPDATE api_tokens SET roles = role;
ALTER TABLE api_tokens ADD COLUMN scope_groups TEXT NOT NULL DEFAULT '';
ALTER TABLE api_tokens ADD COLUMN last_used_at INTEGER;
ALTER TABLE api_tokens ADD COLUMN created_by TEXT NOT NULL DEFAULT '';
)sql",
                                     ""};

// Migration 15: single sign-on (docs/sso.md, app/oidc_accounts.h). `user_oidc_links` ties a
// provider identity, the pair (issuer, subject), to the custos user it signs in as; the pair is
// stored only as its keyed hash (KeyRing::IndexHash, domain "oidc-identity", like users' logins),
// so the table names no provider account in the clear. An identity is linked to one user; a
// user may have several identities (another issuer after a change of provider).
const Migration kUserOidcLinks = {15, "user oidc links", R"sql(
CREATE TABLE user_oidc_links (
  identity_hash  BLOB PRIMARY KEY,
  user_id        INTEGER NOT NULL REFERENCES users(id),
  created_at     INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX user_oidc_links_by_user ON user_oidc_links (user_id);
)sql",
                                  ""};

}  // namespace custos::storage::migrations::app
