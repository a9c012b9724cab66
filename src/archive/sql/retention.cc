// SPDX-License-Identifier: Apache-2.0
#include "archive/sql/retention.h"

namespace custos::archive::sql {

core::Result<std::vector<std::string>> ParticipantHashes(storage::Transaction& tx,
                                                         std::int64_t conversation_id) {
  ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT identity_hash FROM conversation_participants"
                                       " WHERE conversation_id = ?",
                                       {conversation_id}));
  std::vector<std::string> out;
  out.reserve(rows.size());
  for (const storage::Row& r : rows) {
    out.push_back(r.Text(0));
  }
  return out;
}

core::Result<std::vector<Expired>> LiveMessagesBefore(storage::Transaction& tx, core::Micros cutoff,
                                                      std::optional<PageCursor> after,
                                                      std::int64_t limit) {
  std::string sql =
      "SELECT m.id, m.record_id, m.conversation_id, m.channel, m.kind, m.sent_at FROM messages m"
      " JOIN records r ON r.id = m.record_id WHERE r.payload IS NOT NULL AND m.sent_at < ?";
  std::vector<storage::Value> params = {cutoff};
  if (after) {
    sql += " AND (m.sent_at > ? OR (m.sent_at = ? AND m.id > ?))";
    params.insert(params.end(), {after->time, after->time, after->id});
  }
  sql += " ORDER BY m.sent_at, m.id LIMIT ?";
  params.emplace_back(limit);
  ASSIGN_OR_RETURN(auto rows, tx.Query(sql, params));
  std::vector<Expired> out;
  out.reserve(rows.size());
  for (const storage::Row& r : rows) {
    Expired e;
    e.message_id = r.Int(0);
    e.record_id = r.Int(1);
    e.conversation_id = r.Int(2);
    e.channel = r.Text(3);
    e.kind = r.Text(4);
    e.sent_at = r.Int(5);
    out.push_back(std::move(e));
  }
  return out;
}

core::Result<DisposedRows> RowsOfRecord(storage::Transaction& tx, std::int64_t record_id) {
  DisposedRows rows;
  ASSIGN_OR_RETURN(rows.record,
                   tx.Query("SELECT kind, created_at, leaf_hash, key_version, disposed_at FROM"
                            " records WHERE id = ?",
                            {record_id}));
  ASSIGN_OR_RETURN(rows.message,
                   tx.Query("SELECT * FROM messages WHERE record_id = ?", {record_id}));
  ASSIGN_OR_RETURN(rows.verdict,
                   tx.Query("SELECT * FROM verdicts WHERE record_id = ?", {record_id}));
  return rows;
}

core::Status ShredRecordPayload(storage::Transaction& tx, std::int64_t record_id, core::Micros at) {
  return tx.Execute(
      "UPDATE records SET payload = NULL, wrapped_key = NULL, disposed_at = ? WHERE id = ? AND"
      " payload IS NOT NULL",
      {at, record_id});
}

core::Status InsertDisposition(storage::Transaction& tx, std::int64_t record_id,
                               std::int64_t disposition_record_id, std::int64_t message_id,
                               const std::string& class_name, core::Micros at) {
  return tx.Execute(
      "INSERT INTO dispositions (record_id, disposition_record_id, message_id, class,"
      " disposed_at) VALUES (?, ?, ?, ?, ?)",
      {record_id, disposition_record_id, message_id, class_name, at});
}

core::Result<std::vector<std::int64_t>> LiveVerdictRecordIds(storage::Transaction& tx,
                                                             std::int64_t message_id) {
  ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT v.record_id FROM verdicts v JOIN records r ON"
                                       " r.id = v.record_id WHERE v.message_id = ? AND"
                                       " r.payload IS NOT NULL",
                                       {message_id}));
  std::vector<std::int64_t> out;
  out.reserve(rows.size());
  for (const storage::Row& r : rows) {
    out.push_back(r.Int(0));
  }
  return out;
}

}  // namespace custos::archive::sql
