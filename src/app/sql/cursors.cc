// SPDX-License-Identifier: Apache-2.0
#include "app/sql/cursors.h"

#include <string>

namespace custos::app::sql {

core::Result<std::optional<std::int64_t>> ReadPosition(storage::Transaction& tx,
                                                       std::string_view name) {
  ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT position FROM consumer_cursors WHERE name = ?",
                                       {std::string(name)}));
  if (rows.empty()) {
    return std::optional<std::int64_t>();
  }
  return std::optional<std::int64_t>(rows[0].Int(0));
}

core::Status WritePosition(storage::Transaction& tx, std::string_view name, std::int64_t position,
                           core::Micros at) {
  return tx.Execute(
      "INSERT INTO consumer_cursors (name, position, updated_at) VALUES (?, ?, ?)"
      " ON CONFLICT (name) DO UPDATE SET position = excluded.position,"
      " updated_at = excluded.updated_at",
      {std::string(name), position, at});
}

core::Result<std::vector<CommittedRecord>> ReadAfter(storage::Transaction& tx, std::int64_t after,
                                                     int limit) {
  std::vector<CommittedRecord> out;
  RETURN_IF_ERROR(tx.QueryEach(
      "SELECT r.id, r.kind, r.created_at, m.id, v.message_id, v.action, v.severity, v.blocked"
      " FROM records r"
      " LEFT JOIN messages m ON m.record_id = r.id"
      " LEFT JOIN verdicts v ON v.record_id = r.id"
      " WHERE r.id > ? ORDER BY r.id LIMIT ?",
      {after, std::int64_t{limit}}, [&out](const storage::Row& row) {
        out.push_back({.position = row.Int(0),
                       .kind = row.Text(1),
                       .created_at = row.Int(2),
                       .message_id = !row.IsNull(3) ? row.Int(3) : row.Int(4),
                       .action = row.Text(5),
                       .severity = row.Text(6),
                       .blocked = row.Int(7) != 0});
        return true;
      }));
  return out;
}

core::Result<std::int64_t> LogHead(storage::Transaction& tx) {
  ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT coalesce(max(id), 0) FROM records"));
  return rows[0].Int(0);
}

}  // namespace custos::app::sql
