// SPDX-License-Identifier: Apache-2.0
// Data access for `custos verify` (archive/verifier.h), the derived side: the tables the
// verifier recomputes from the sealed records (`conversations`, `conversation_participants`,
// `messages` and the record-indexed tables of verifier_derived.cc), and the database file
// itself (SQLite's integrity check, `schema_migrations`, `sqlite_schema`, the header fields).
// Read-only; rows come back undecoded, in the column order each function names.
//
// Thread-safety: free functions over the caller's transaction; callbacks run on the caller's
// thread.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "archive/sql/verify.h"
#include "core/status.h"
#include "storage/database.h"

namespace custos::archive::sql {

// Every conversation: id, channel, key_hash.
core::Status EachConversationKey(storage::Transaction& tx, const VerifyRowFn& fn);

// The messages of records first <= record_id <= last: record_id, id, idem_hash,
// conversation_id, channel, kind, direction, sent_at, committed_at, sender_hash, target_hash.
core::Status EachMessageInRecordRange(storage::Transaction& tx, std::int64_t first,
                                      std::int64_t last, const VerifyRowFn& fn);

// The rows of `table` (one the archive's migrations create; the names are the verifier's
// constants, never input) whose `record_col` lies in [first, last]: `record_col`, then the
// comma-separated `columns`.
core::Status EachIndexRowInRecordRange(storage::Transaction& tx, const char* table,
                                       const char* record_col, const char* columns,
                                       std::int64_t first, std::int64_t last,
                                       const VerifyRowFn& fn);

// One row of `table` whose `record_col` is below 1 or above `size`: `name_col`, `record_col`.
// Empty when there is none.
core::Result<std::vector<storage::Row>> FindIndexRowBeyondLog(storage::Transaction& tx,
                                                              const char* table,
                                                              const char* name_col,
                                                              const char* record_col,
                                                              std::int64_t size);

// Per conversation of the messages: conversation_id, COUNT(*), MIN(sent_at), MAX(sent_at).
core::Status EachConversationAggregate(storage::Transaction& tx, const VerifyRowFn& fn);

// Every conversation, by id: id, channel, key_version, wrapped_key, payload, message_count,
// first_message_at, last_message_at, key_hash.
core::Status EachConversation(storage::Transaction& tx, const VerifyRowFn& fn);

// Every participant, by (conversation_id, identity_hash): conversation_id, identity_hash,
// key_version, wrapped_key, payload.
core::Status EachParticipant(storage::Transaction& tx, const VerifyRowFn& fn);

// The lines of SQLite's integrity check (at most 100; one "ok" when the file is sound).
core::Result<std::vector<std::string>> IntegrityCheck(storage::Transaction& tx);

// The applied migrations, by version: version, name.
core::Result<std::vector<storage::Row>> AppliedMigrations(storage::Transaction& tx);

// The schema of the database, by (type, name), statistics tables left out: type, name,
// tbl_name, sql ('' when none). Run on a scratch database as well, to get the expected one.
core::Result<std::vector<storage::Row>> SchemaRows(storage::Transaction& tx);

// The rows of `PRAGMA <field>` for a header field ("user_version", "application_id").
core::Result<std::vector<storage::Row>> HeaderField(storage::Transaction& tx, const char* field);

}  // namespace custos::archive::sql
