// SPDX-License-Identifier: Apache-2.0
#include "storage/migrations.h"

namespace custos::storage {
namespace {

// Migration 1: the ingest spine and the Merkle log. Sensitive values (text, names, handles,
// conversation keys, idempotency keys) never appear in clear: they are sealed in `payload`
// (envelope encryption) or stored as keyed hashes (`*_hash`, HMAC-SHA-256 under the key ring's
// index key). Every record (docs/formats/records.md) is a row of `records`, leaf `id - 1` of
// the RFC 6962 tree whose complete subtrees are cached in `merkle_nodes`; a message's content
// is its record's sealed canonical bytes.
constexpr std::string_view kSqlite1 = R"sql(
CREATE TABLE settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

CREATE TABLE api_tokens (
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL,
  role        TEXT NOT NULL,
  token_hash  BLOB NOT NULL UNIQUE,
  created_at  INTEGER NOT NULL
);

CREATE TABLE conversations (
  id                INTEGER PRIMARY KEY,
  key_hash          BLOB NOT NULL UNIQUE,
  channel           TEXT NOT NULL,
  key_version       INTEGER NOT NULL,
  wrapped_key       BLOB NOT NULL,
  payload           BLOB NOT NULL,
  message_count     INTEGER NOT NULL DEFAULT 0,
  first_message_at  INTEGER NOT NULL,
  last_message_at   INTEGER NOT NULL
);
CREATE INDEX conversations_by_activity ON conversations (last_message_at DESC, id DESC);

CREATE TABLE conversation_participants (
  conversation_id  INTEGER NOT NULL REFERENCES conversations (id),
  identity_hash    BLOB NOT NULL,
  key_version      INTEGER NOT NULL,
  wrapped_key      BLOB NOT NULL,
  payload          BLOB NOT NULL,
  PRIMARY KEY (conversation_id, identity_hash)
) WITHOUT ROWID;

CREATE TABLE records (
  id           INTEGER PRIMARY KEY,
  kind         TEXT NOT NULL,
  created_at   INTEGER NOT NULL,
  leaf_hash    BLOB NOT NULL,
  key_version  INTEGER,
  wrapped_key  BLOB,
  payload      BLOB,
  disposed_at  INTEGER
);

CREATE TABLE merkle_nodes (
  level  INTEGER NOT NULL,
  idx    INTEGER NOT NULL,
  hash   BLOB NOT NULL,
  PRIMARY KEY (level, idx)
) WITHOUT ROWID;

CREATE TABLE checkpoints (
  tree_size   INTEGER PRIMARY KEY,
  root_hash   BLOB NOT NULL,
  note        TEXT NOT NULL,
  created_at  INTEGER NOT NULL
);

CREATE TABLE messages (
  id               INTEGER PRIMARY KEY,
  record_id        INTEGER NOT NULL UNIQUE REFERENCES records (id),
  idem_hash        BLOB NOT NULL UNIQUE,
  conversation_id  INTEGER NOT NULL REFERENCES conversations (id),
  channel          TEXT NOT NULL,
  kind             TEXT NOT NULL,
  direction        TEXT NOT NULL,
  sent_at          INTEGER NOT NULL,
  committed_at     INTEGER NOT NULL,
  sender_hash      BLOB NOT NULL,
  target_hash      BLOB
);
CREATE INDEX messages_by_conversation ON messages (conversation_id, sent_at DESC, id DESC);
CREATE INDEX messages_by_time ON messages (sent_at, id);
CREATE INDEX messages_by_sender ON messages (sender_hash, sent_at);
CREATE INDEX messages_by_target ON messages (target_hash) WHERE target_hash IS NOT NULL;

CREATE VIRTUAL TABLE message_index USING fts5 (
  tokens, content = '', columnsize = 0, tokenize = 'ascii'
);
)sql";

// Migration 2: legal holds and retention (docs/retention.md). Each hold, release and
// disposition is also a record; these tables index them. A hold's name, person handle and query
// text are only in its sealed record; in clear are its scope, the keyed hash of the person
// handle and the conversation id. `hold_messages` is the snapshot of what a query hold matched
// when it was created. `dispositions` has one row per record disposed of (crypto-shredded).
constexpr std::string_view kSqlite2 = R"sql(
CREATE TABLE holds (
  id                 INTEGER PRIMARY KEY,
  record_id          INTEGER NOT NULL UNIQUE REFERENCES records (id),
  scope              TEXT NOT NULL CHECK (scope IN ('person', 'conversation', 'query')),
  person_hash        BLOB,
  conversation_id    INTEGER REFERENCES conversations (id),
  created_at         INTEGER NOT NULL,
  released_at        INTEGER,
  release_record_id  INTEGER UNIQUE REFERENCES records (id)
);
CREATE INDEX holds_active ON holds (released_at, scope);

CREATE TABLE hold_messages (
  hold_id     INTEGER NOT NULL REFERENCES holds (id),
  message_id  INTEGER NOT NULL REFERENCES messages (id),
  PRIMARY KEY (hold_id, message_id)
) WITHOUT ROWID;

CREATE TABLE dispositions (
  record_id              INTEGER PRIMARY KEY REFERENCES records (id),
  disposition_record_id  INTEGER NOT NULL UNIQUE REFERENCES records (id),
  message_id             INTEGER REFERENCES messages (id),
  class                  TEXT NOT NULL,
  disposed_at            INTEGER NOT NULL
);

CREATE INDEX participants_by_identity ON conversation_participants (identity_hash);
)sql";

// Migration 3: policy verdicts and applied policy packs (docs/policy-language.md, "Verdicts in
// the archive"). The verdict itself (hits, clauses, evidence spans) is only in its sealed
// `verdict` record; in clear are the action, the highest severity, whether an outbound message
// was blocked, the pack version and the ids of the rules that hit (for review queues and
// backtests). Messages without hits have no row. `policy_packs` indexes the `policy_pack`
// records: one per pack version applied.
constexpr std::string_view kSqlite3 = R"sql(
CREATE TABLE verdicts (
  message_id    INTEGER PRIMARY KEY REFERENCES messages (id),
  record_id     INTEGER NOT NULL UNIQUE REFERENCES records (id),
  action        TEXT NOT NULL,
  severity      TEXT NOT NULL,
  blocked       INTEGER NOT NULL CHECK (blocked IN (0, 1)),
  pack_version  TEXT NOT NULL,
  rules         TEXT NOT NULL,
  created_at    INTEGER NOT NULL
);
CREATE INDEX verdicts_by_action ON verdicts (action, message_id);

CREATE TABLE policy_packs (
  id          INTEGER PRIMARY KEY,
  record_id   INTEGER NOT NULL UNIQUE REFERENCES records (id),
  version     TEXT NOT NULL,
  applied_at  INTEGER NOT NULL
);
CREATE INDEX policy_packs_by_version ON policy_packs (version);
)sql";

// Migration 4: attachment content (archive/attachment_store.h). One row per distinct content,
// keyed by a keyed hash of its SHA-256 and sealed with envelope encryption; crypto-shredded
// (key and ciphertext set to NULL) when no live record links it any more.
// `message_attachments` links each message to the stored content of the attachments it lists.
constexpr std::string_view kSqlite4 = R"sql(
CREATE TABLE attachments (
  id            INTEGER PRIMARY KEY,
  content_hash  BLOB NOT NULL UNIQUE,
  key_version   INTEGER,
  wrapped_key   BLOB,
  payload       BLOB,
  created_at    INTEGER NOT NULL,
  shredded_at   INTEGER
);

CREATE TABLE message_attachments (
  message_id     INTEGER NOT NULL REFERENCES messages (id),
  attachment_id  INTEGER NOT NULL REFERENCES attachments (id),
  PRIMARY KEY (message_id, attachment_id)
) WITHOUT ROWID;
CREATE INDEX message_attachments_by_attachment ON message_attachments (attachment_id);
)sql";

// Migration 5: devices (docs/devices.md). Enrolled devices with their compliance and lost/stolen
// state, one-time enrollment tokens and device credentials (SHA-256 hashes only, never the
// secrets), the command queue, and `device_events`, the index of the `device_event` records
// that make every device transition part of the tamper-evident log. `posture` is the last
// report after the personal-device privacy filter (docs/privacy.md); it holds no message text.
constexpr std::string_view kSqlite5 = R"sql(
CREATE TABLE devices (
  id                INTEGER PRIMARY KEY,
  device_id         TEXT NOT NULL UNIQUE,
  person            TEXT NOT NULL,
  platform          TEXT NOT NULL,
  ownership         TEXT NOT NULL,
  management_mode   TEXT NOT NULL,
  enrolled_at       INTEGER NOT NULL,
  credential_hash   BLOB UNIQUE,
  lost_state        TEXT NOT NULL,
  lost_reported_by  TEXT,
  lost_reported_at  INTEGER,
  found_at          INTEGER,
  state             TEXT NOT NULL,
  access            TEXT NOT NULL,
  track             TEXT NOT NULL,
  results           TEXT NOT NULL,
  posture           TEXT NOT NULL,
  posture_at        INTEGER,
  privacy_dropped   INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX devices_by_person ON devices (person);

CREATE TABLE device_enrollment_tokens (
  token_hash  BLOB PRIMARY KEY,
  device_id   TEXT NOT NULL REFERENCES devices (device_id),
  expires_at  INTEGER NOT NULL,
  used_at     INTEGER
);

CREATE TABLE device_commands (
  id          INTEGER PRIMARY KEY,
  device_id   TEXT NOT NULL REFERENCES devices (device_id),
  type        TEXT NOT NULL,
  state       TEXT NOT NULL,
  uuid        TEXT NOT NULL UNIQUE,
  actor       TEXT NOT NULL,
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL,
  expires_at  INTEGER NOT NULL,
  detail      TEXT NOT NULL
);
CREATE INDEX device_commands_by_device ON device_commands (device_id, state);

CREATE TABLE device_events (
  id          INTEGER PRIMARY KEY,
  device_id   TEXT NOT NULL,
  record_id   INTEGER NOT NULL UNIQUE REFERENCES records (id),
  event       TEXT NOT NULL,
  from_state  TEXT NOT NULL,
  to_state    TEXT NOT NULL,
  actor       TEXT NOT NULL,
  at          INTEGER NOT NULL,
  command_id  INTEGER
);
CREATE INDEX device_events_by_device ON device_events (device_id, id);
)sql";

// Migration 6: the identity directory and import runs (docs/directory.md, docs/formats/records.md
// kind `import_run`). People's names, e-mails, phones and handles are only in sealed payloads;
// lookups use keyed hashes of normalised identities. External parties seen in imports are kept
// the same way. `import_runs` indexes the `import_run` records (a row is inserted when a run
// starts, so that its messages can carry its id; the record is appended when it ends).
// `conversation_labels` says whether a conversation is internal (employees only) or external.
constexpr std::string_view kSqlite6 = R"sql(
CREATE TABLE directory_people (
  id           INTEGER PRIMARY KEY,
  key_hash     BLOB NOT NULL UNIQUE,
  employee     INTEGER NOT NULL,
  key_version  INTEGER NOT NULL,
  wrapped_key  BLOB NOT NULL,
  payload      BLOB NOT NULL,
  updated_at   INTEGER NOT NULL
);

CREATE TABLE directory_identities (
  identity_hash  BLOB PRIMARY KEY,
  person_id      INTEGER NOT NULL REFERENCES directory_people (id)
) WITHOUT ROWID;

CREATE TABLE directory_parties (
  id             INTEGER PRIMARY KEY,
  identity_hash  BLOB NOT NULL UNIQUE,
  key_version    INTEGER NOT NULL,
  wrapped_key    BLOB NOT NULL,
  payload        BLOB NOT NULL,
  first_run_id   INTEGER,
  first_seen_at  INTEGER NOT NULL
);

CREATE TABLE import_runs (
  id             INTEGER PRIMARY KEY,
  record_id      INTEGER UNIQUE REFERENCES records (id),
  importer       TEXT NOT NULL,
  source_sha256  TEXT NOT NULL,
  status         TEXT NOT NULL,
  started_at     INTEGER NOT NULL,
  ended_at       INTEGER,
  imported       INTEGER NOT NULL DEFAULT 0,
  duplicates     INTEGER NOT NULL DEFAULT 0,
  rejected       INTEGER NOT NULL DEFAULT 0,
  skipped        INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE conversation_labels (
  conversation_id  INTEGER PRIMARY KEY REFERENCES conversations (id),
  label            TEXT NOT NULL,
  import_run_id    INTEGER REFERENCES import_runs (id),
  updated_at       INTEGER NOT NULL
);
CREATE INDEX conversation_labels_by_label ON conversation_labels (label, conversation_id);
)sql";

// Migration 7: device data sealed like message content (docs/devices.md, "Storage"). The person
// a device is enrolled to, the lost reporter, the last posture report and the rule results of a
// device, and the actor and detail of a command, move into sealed payloads (envelope
// encryption bound to the table and the device id / command uuid); `person_hash` is the keyed
// hash the gate and the listings look a person's devices up by; device event actors become
// keyed hashes (the actor stays in the sealed `device_event` record). The old plaintext columns
// stay (SQLite cannot drop NOT NULL columns referenced by foreign keys cheaply) and are emptied
// when DeviceService seals the existing rows at the first writable open.
constexpr std::string_view kSqlite7 = R"sql(
ALTER TABLE devices ADD COLUMN person_hash BLOB;
ALTER TABLE devices ADD COLUMN key_version INTEGER;
ALTER TABLE devices ADD COLUMN wrapped_key BLOB;
ALTER TABLE devices ADD COLUMN payload BLOB;
CREATE INDEX devices_by_person_hash ON devices (person_hash);
DROP INDEX devices_by_person;
ALTER TABLE device_commands ADD COLUMN key_version INTEGER;
ALTER TABLE device_commands ADD COLUMN wrapped_key BLOB;
ALTER TABLE device_commands ADD COLUMN payload BLOB;
)sql";

// Migration 8: API tokens can expire and be revoked (`custos tokens`, app/tokens.h); NULL is
// "never" and "not revoked".
constexpr std::string_view kSqlite8 = R"sql(
ALTER TABLE api_tokens ADD COLUMN expires_at INTEGER;
ALTER TABLE api_tokens ADD COLUMN revoked_at INTEGER;
)sql";

// Migration 9: the identities a person hold covers (every identity of the directory person it
// resolved to, and any raw identity given), as keyed hashes (archive/holds.h). The handles
// themselves are only in the sealed `hold` record.
constexpr std::string_view kSqlite9 = R"sql(
CREATE TABLE hold_identities (
  hold_id        INTEGER NOT NULL REFERENCES holds (id),
  identity_hash  BLOB NOT NULL,
  PRIMARY KEY (hold_id, identity_hash)
) WITHOUT ROWID;
CREATE INDEX hold_identities_by_identity ON hold_identities (identity_hash);
)sql";

// Migration 10: prefix search (docs/search.md). The index now also holds keyed hashes of each
// token's prefixes; an archive whose messages were indexed before is marked so that the next
// writable open rebuilds its index from the sealed records (app/custos.cc), and until then
// prefix searches say so instead of missing those messages.
constexpr std::string_view kSqlite10 = R"sql(
INSERT OR REPLACE INTO settings (key, value)
  SELECT 'search_index_format', '1' WHERE EXISTS (SELECT 1 FROM messages);
)sql";

// Migration 11: durable cursors over the log (app/cursor/cursor_runner.h, docs/ingest.md). One
// row per log consumer: the id of the last record it consumed (records are the log, in order);
// a consumer without a row has consumed nothing. Self-contained: nothing else refers to it.
constexpr std::string_view kSqlite11 = R"sql(
CREATE TABLE consumer_cursors (
  name        TEXT PRIMARY KEY,
  position    INTEGER NOT NULL CHECK (position >= 0),
  updated_at  INTEGER NOT NULL
) WITHOUT ROWID;
)sql";

}  // namespace

const std::vector<Migration>& AllMigrations() {
  static const std::vector<Migration> kAll = {
      {1, "ingest spine", kSqlite1, ""},
      {2, "legal holds and retention", kSqlite2, ""},
      {3, "policy verdicts and packs", kSqlite3, ""},
      {4, "attachment content", kSqlite4, ""},
      {5, "devices", kSqlite5, ""},
      {6, "identity directory and import runs", kSqlite6, ""},
      {7, "sealed device data", kSqlite7, ""},
      {8, "token expiry and revocation", kSqlite8, ""},
      {9, "person hold identities", kSqlite9, ""},
      {10, "search index with prefixes", kSqlite10, ""},
      {11, "consumer cursors", kSqlite11, ""},
  };
  return kAll;
}

}  // namespace custos::storage
