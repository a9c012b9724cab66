// SPDX-License-Identifier: Apache-2.0
#include "importers/sql/imessage_chat_db.h"

#include <algorithm>
#include <string_view>

namespace custos::importers::sql {
namespace {

constexpr std::string_view kMessageSql =
    "SELECT m.ROWID, m.guid, m.text, m.handle_id, m.date, m.is_from_me, m.service, "
    "h.id, c.ROWID, c.guid, {body}, {assoc_guid}, {assoc_type}, {summary}, {edited}, {thread} "
    "FROM message m LEFT JOIN handle h ON h.ROWID = m.handle_id "
    "LEFT JOIN chat_message_join j ON j.message_id = m.ROWID "
    "LEFT JOIN chat c ON c.ROWID = j.chat_id "
    "WHERE m.ROWID > ? ORDER BY m.ROWID LIMIT ?";

std::string Replace(std::string s, std::string_view what, std::string_view with) {
  const std::size_t at = s.find(what);
  if (at != std::string::npos) {
    s.replace(at, what.size(), with);
  }
  return s;
}

}  // namespace

std::string MessageQuery(const std::vector<std::string>& message_columns) {
  const auto has = [&](std::string_view c) {
    return std::find(message_columns.begin(), message_columns.end(), c) != message_columns.end();
  };
  std::string sql(kMessageSql);
  sql = Replace(sql, "{body}", has("attributedBody") ? "m.attributedBody" : "NULL");
  sql = Replace(sql, "{assoc_guid}",
                has("associated_message_guid") ? "m.associated_message_guid" : "NULL");
  sql = Replace(sql, "{assoc_type}",
                has("associated_message_type") ? "m.associated_message_type" : "NULL");
  sql = Replace(sql, "{summary}", has("message_summary_info") ? "m.message_summary_info" : "NULL");
  sql = Replace(sql, "{edited}", has("date_edited") ? "m.date_edited" : "0");
  sql =
      Replace(sql, "{thread}", has("thread_originator_guid") ? "m.thread_originator_guid" : "NULL");
  return sql;
}

core::Status EachMessageAfter(storage::ForeignSqlite& db, const std::string& message_query,
                              std::int64_t after_rowid, std::int64_t limit, const ChatDbRowFn& fn) {
  return db.QueryEach(message_query, {after_rowid, limit}, fn);
}

core::Status EachChatMember(storage::ForeignSqlite& db, std::int64_t chat_rowid,
                            const ChatDbRowFn& fn) {
  return db.QueryEach(
      "SELECT h.id FROM chat_handle_join j JOIN handle h ON h.ROWID = j.handle_id "
      "WHERE j.chat_id = ? ORDER BY h.ROWID",
      {chat_rowid}, fn);
}

core::Status EachMessageAttachment(storage::ForeignSqlite& db, std::int64_t message_rowid,
                                   const ChatDbRowFn& fn) {
  return db.QueryEach(
      "SELECT a.filename, a.mime_type, a.transfer_name, a.total_bytes "
      "FROM message_attachment_join j JOIN attachment a ON a.ROWID = j.attachment_id "
      "WHERE j.message_id = ? ORDER BY a.ROWID",
      {message_rowid}, fn);
}

}  // namespace custos::importers::sql
