// SPDX-License-Identifier: Apache-2.0
#include "storage/migrations/archive.h"

namespace custos::storage::migrations::archive {

// Migration 1: the ingest spine and the Merkle log. Sensitive values (text, names, handles,
// conversation keys, idempotency keys) never appear in clear: they are sealed in `payload`
// (envelope encryption) or stored as keyed hashes (`*_hash`, HMAC-SHA-256 under the key ring's
// index key). Every record (docs/formats/records.md) is a row of `records`, leaf `id - 1` of
// the RFC 6962 tree whose complete subtrees are cached in `merkle_nodes`; a message's content
// is its record's sealed canonical bytes.
const Migration kIngestSpine = {1, "ingest spine", R"sql(
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
)sql",
                                ""};

// Migration 2: legal holds and retention (docs/retention.md). Each hold, release and
// disposition is also a record; these tables index them. A hold's name, person handle and query
// text are only in its sealed record; in clear are its scope, the keyed hash of the person
// handle and the conversation id. `hold_messages` is the snapshot of what a query hold matched
// when it was created. `dispositions` has one row per record disposed of (crypto-shredded).
const Migration kHoldsAndRetention = {2, "legal holds and retention", R"sql(
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
)sql",
                                      ""};

// Migration 3: policy verdicts and applied policy packs (docs/policy-language.md, "Verdicts in
// the archive"). The verdict itself (hits, clauses, evidence spans) is only in its sealed
// `verdict` record; in clear are the action, the highest severity, whether an outbound message
// was blocked, the pack version and the ids of the rules that hit (for review queues and
// backtests). Messages without hits have no row. `policy_packs` indexes the `policy_pack`
// records: one per pack version applied.
const Migration kVerdictsAndPacks = {3, "policy verdicts and packs", R"sql(
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
)sql",
                                     ""};

// Migration 4: attachment content (archive/attachment_store.h). One row per distinct content,
// keyed by a keyed hash of its SHA-256 and sealed with envelope encryption; crypto-shredded
// (key and ciphertext set to NULL) when no live record links it any more.
// `message_attachments` links each message to the stored content of the attachments it lists.
const Migration kAttachmentContent = {4, "attachment content", R"sql(
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
)sql",
                                      ""};

// Migration 9: the identities a person hold covers (every identity of the directory person it
// resolved to, and any raw identity given), as keyed hashes (archive/holds.h). The handles
// themselves are only in the sealed `hold` record.
const Migration kPersonHoldIdentities = {9, "person hold identities", R"sql(
CREATE TABLE hold_identities (
  hold_id        INTEGER NOT NULL REFERENCES holds (id),
  identity_hash  BLOB NOT NULL,
  PRIMARY KEY (hold_id, identity_hash)
) WITHOUT ROWID;
CREATE INDEX hold_identities_by_identity ON hold_identities (identity_hash);
)sql",
                                         ""};

// Migration 13: employees' acknowledgements of a policy pack version (archive/acknowledgements.h).
// One row per directory person and version, indexing its sealed `policy_acknowledgement` record;
// the person is their directory id (no name or handle in clear).
const Migration kPolicyAcknowledgements = {13, "policy acknowledgements", R"sql(
CREATE TABLE policy_acknowledgements (
  id               INTEGER PRIMARY KEY,
  record_id        INTEGER NOT NULL UNIQUE REFERENCES records (id),
  version          TEXT NOT NULL,
  person_id        INTEGER NOT NULL,
  acknowledged_at  INTEGER NOT NULL,
  UNIQUE (version, person_id)
);
)sql",
                                           ""};

// Migration 14: the index of the access audit (issue 15; archive/access.h, docs/access.md "The
// access audit"). Every read of message content, and every permission refusal, is an `access` or
// `access_refused` record of the Merkle log; `access_log` indexes them by who (a keyed hash of
// the actor's "<kind>:<id>", never the name in clear) and when, and `access_reads` by the records
// read, so "who read record 42?" and "what did X read this week?" need no scan of the log. Both
// are filled in the transaction that appends the record, and `custos verify` recomputes them
// from the sealed records.
const Migration kAccessAudit = {14, "access audit", R"sql(
CREATE TABLE access_log (
  record_id   INTEGER PRIMARY KEY REFERENCES records (id),
  kind        TEXT NOT NULL CHECK (kind IN ('access', 'access_refused')),
  actor_hash  BLOB NOT NULL,
  action      TEXT NOT NULL,
  at          INTEGER NOT NULL,
  reads       INTEGER NOT NULL
);
CREATE INDEX access_log_by_actor ON access_log (actor_hash, at);
CREATE INDEX access_log_by_time ON access_log (at);

CREATE TABLE access_reads (
  read_record_id    INTEGER NOT NULL,
  access_record_id  INTEGER NOT NULL REFERENCES access_log (record_id),
  message_id        INTEGER NOT NULL,
  PRIMARY KEY (read_record_id, access_record_id)
) WITHOUT ROWID;
CREATE INDEX access_reads_by_access ON access_reads (access_record_id);
CREATE INDEX access_reads_by_message ON access_reads (message_id);
)sql",
                                ""};

}  // namespace custos::storage::migrations::archive
