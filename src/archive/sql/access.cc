// SPDX-License-Identifier: Apache-2.0
#include "archive/sql/access.h"

namespace custos::archive::sql {

using storage::Blob;

core::Status InsertAccessLog(storage::Transaction& tx, std::int64_t record_id,
                             const std::string& kind, const std::string& actor_hash,
                             const std::string& action, core::Micros at, std::int64_t reads) {
  return tx.Execute(
      "INSERT INTO access_log (record_id, kind, actor_hash, action, at, reads)"
      " VALUES (?, ?, ?, ?, ?, ?)",
      {record_id, kind, Blob{actor_hash}, action, at, reads});
}

core::Status InsertAccessRead(storage::Transaction& tx, std::int64_t read_record_id,
                              std::int64_t access_record_id, std::int64_t message_id) {
  return tx.Execute(
      "INSERT OR IGNORE INTO access_reads (read_record_id, access_record_id, message_id)"
      " VALUES (?, ?, ?)",
      {read_record_id, access_record_id, message_id});
}

core::Result<std::vector<storage::Row>> FindAccessRows(storage::Transaction& tx,
                                                       const AccessFilter& f) {
  std::string sql = "SELECT a.record_id, a.kind, a.at FROM access_log a WHERE 1 = 1";
  std::vector<storage::Value> params;
  if (f.actor_hash) {
    sql += " AND a.actor_hash = ?";
    params.emplace_back(Blob{*f.actor_hash});
  }
  if (f.since) {
    sql += " AND a.at >= ?";
    params.emplace_back(*f.since);
  }
  if (f.until) {
    sql += " AND a.at < ?";
    params.emplace_back(*f.until);
  }
  if (!f.include_refusals) {
    sql += " AND a.kind = 'access'";
  }
  if (f.read_record) {
    sql +=
        " AND a.record_id IN (SELECT access_record_id FROM access_reads WHERE read_record_id = ?)";
    params.emplace_back(*f.read_record);
  }
  if (f.message_id) {
    sql += " AND a.record_id IN (SELECT access_record_id FROM access_reads WHERE message_id = ?)";
    params.emplace_back(*f.message_id);
  }
  if (f.before_record) {
    sql += " AND a.record_id < ?";
    params.emplace_back(*f.before_record);
  }
  sql += " ORDER BY a.record_id DESC LIMIT ?";
  params.emplace_back(std::int64_t{f.limit});
  return tx.Query(sql, params);
}

core::Result<std::vector<std::int64_t>> AccessReadRecords(storage::Transaction& tx,
                                                          std::int64_t access_record_id) {
  ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT read_record_id FROM access_reads WHERE"
                                       " access_record_id = ? ORDER BY read_record_id",
                                       {access_record_id}));
  std::vector<std::int64_t> out;
  out.reserve(rows.size());
  for (const storage::Row& r : rows) {
    out.push_back(r.Int(0));
  }
  return out;
}

}  // namespace custos::archive::sql
