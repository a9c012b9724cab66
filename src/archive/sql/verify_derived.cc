// SPDX-License-Identifier: Apache-2.0
#include "archive/sql/verify_derived.h"

namespace custos::archive::sql {

core::Status EachConversationKey(storage::Transaction& tx, const VerifyRowFn& fn) {
  return tx.QueryEach("SELECT id, channel, key_hash FROM conversations", {}, fn);
}

core::Status EachMessageInRecordRange(storage::Transaction& tx, std::int64_t first,
                                      std::int64_t last, const VerifyRowFn& fn) {
  return tx.QueryEach(
      "SELECT record_id, id, idem_hash, conversation_id, channel, kind, direction, sent_at,"
      " committed_at, sender_hash, target_hash FROM messages WHERE record_id >= ? AND"
      " record_id <= ?",
      {first, last}, fn);
}

core::Status EachIndexRowInRecordRange(storage::Transaction& tx, const char* table,
                                       const char* record_col, const char* columns,
                                       std::int64_t first, std::int64_t last,
                                       const VerifyRowFn& fn) {
  return tx.QueryEach(std::string("SELECT ") + record_col + ", " + columns + " FROM " + table +
                          " WHERE " + record_col + " >= ? AND " + record_col + " <= ?",
                      {first, last}, fn);
}

core::Result<std::vector<storage::Row>> FindIndexRowBeyondLog(storage::Transaction& tx,
                                                              const char* table,
                                                              const char* name_col,
                                                              const char* record_col,
                                                              std::int64_t size) {
  return tx.Query(std::string("SELECT ") + name_col + ", " + record_col + " FROM " + table +
                      " WHERE " + record_col + " < 1 OR " + record_col + " > ? LIMIT 1",
                  {size});
}

core::Status EachConversationAggregate(storage::Transaction& tx, const VerifyRowFn& fn) {
  return tx.QueryEach(
      "SELECT conversation_id, COUNT(*), MIN(sent_at), MAX(sent_at) FROM messages"
      " GROUP BY conversation_id",
      {}, fn);
}

core::Status EachConversation(storage::Transaction& tx, const VerifyRowFn& fn) {
  return tx.QueryEach(
      "SELECT id, channel, key_version, wrapped_key, payload, message_count, first_message_at,"
      " last_message_at, key_hash FROM conversations ORDER BY id",
      {}, fn);
}

core::Status EachParticipant(storage::Transaction& tx, const VerifyRowFn& fn) {
  return tx.QueryEach(
      "SELECT conversation_id, identity_hash, key_version, wrapped_key, payload FROM"
      " conversation_participants ORDER BY conversation_id, identity_hash",
      {}, fn);
}

core::Result<std::vector<std::string>> IntegrityCheck(storage::Transaction& tx) {
  ASSIGN_OR_RETURN(auto rows, tx.Query("PRAGMA integrity_check(100)"));
  std::vector<std::string> lines;
  lines.reserve(rows.size());
  for (const storage::Row& r : rows) {
    lines.push_back(r.Text(0));
  }
  return lines;
}

core::Result<std::vector<storage::Row>> AppliedMigrations(storage::Transaction& tx) {
  return tx.Query("SELECT version, name FROM schema_migrations ORDER BY version");
}

core::Result<std::vector<storage::Row>> SchemaRows(storage::Transaction& tx) {
  return tx.Query(
      "SELECT type, name, tbl_name, coalesce(sql, '') FROM sqlite_schema WHERE name NOT LIKE"
      " 'sqlite_stat%' ORDER BY type, name");
}

core::Result<std::vector<storage::Row>> HeaderField(storage::Transaction& tx, const char* field) {
  return tx.Query(std::string("PRAGMA ") + field);
}

}  // namespace custos::archive::sql
