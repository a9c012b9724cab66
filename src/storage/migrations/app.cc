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

}  // namespace custos::storage::migrations::app
