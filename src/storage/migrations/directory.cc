// SPDX-License-Identifier: Apache-2.0
#include "storage/migrations/directory.h"

namespace custos::storage::migrations::directory {

// Migration 6: the identity directory and import runs (docs/directory.md, docs/formats/records.md
// kind `import_run`). People's names, e-mails, phones and handles are only in sealed payloads;
// lookups use keyed hashes of normalised identities. External parties seen in imports are kept
// the same way. `import_runs` indexes the `import_run` records (a row is inserted when a run
// starts, so that its messages can carry its id; the record is appended when it ends).
// `conversation_labels` says whether a conversation is internal (employees only) or external.
const Migration kIdentityDirectory = {6, "identity directory and import runs", R"sql(
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
)sql",
                                      ""};

}  // namespace custos::storage::migrations::directory
