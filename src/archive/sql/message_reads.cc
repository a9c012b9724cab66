// SPDX-License-Identifier: Apache-2.0
#include "archive/sql/message_reads.h"

#include "archive/sql/messages.h"

namespace custos::archive::sql {
namespace {

constexpr std::string_view kConversationSelect =
    "SELECT id, channel, key_version, wrapped_key, payload, message_count, first_message_at,"
    " last_message_at FROM conversations";

void AddCursor(std::optional<PageCursor> after, std::string_view time_col, std::string_view id_col,
               std::string* sql, std::vector<storage::Value>* params) {
  if (!after) {
    return;
  }
  *sql += " AND (" + std::string(time_col) + " < ? OR (" + std::string(time_col) + " = ? AND " +
          std::string(id_col) + " < ?))";
  params->emplace_back(after->time);
  params->emplace_back(after->time);
  params->emplace_back(after->id);
}

core::Result<std::optional<storage::Row>> First(core::Result<std::vector<storage::Row>> rows) {
  if (!rows.has_value()) {
    return rows.error();
  }
  if (rows->empty()) {
    return std::optional<storage::Row>();
  }
  return std::optional<storage::Row>(std::move(rows->front()));
}

}  // namespace

core::Result<std::vector<storage::Row>> ConversationRows(storage::Transaction& tx,
                                                         const ConversationFilter& filter,
                                                         std::optional<PageCursor> after,
                                                         std::int64_t limit) {
  std::string sql = std::string(kConversationSelect) + " WHERE 1 = 1";
  std::vector<storage::Value> params;
  if (filter.channel) {
    sql += " AND channel = ?";
    params.emplace_back(*filter.channel);
  }
  for (const auto* hashes : {&filter.participant_hashes, &filter.scope_hashes}) {
    if (!hashes->has_value()) {
      continue;
    }
    if ((*hashes)->empty()) {
      return std::vector<storage::Row>();
    }
    sql +=
        " AND id IN (SELECT conversation_id FROM conversation_participants WHERE identity_hash"
        " IN (";
    for (std::size_t i = 0; i < (*hashes)->size(); ++i) {
      sql += i > 0 ? ", ?" : "?";
      params.emplace_back(storage::Blob{(**hashes)[i]});
    }
    sql += "))";
  }
  if (filter.since) {
    sql += " AND last_message_at >= ?";
    params.emplace_back(*filter.since);
  }
  if (filter.until) {
    sql += " AND first_message_at < ?";
    params.emplace_back(*filter.until);
  }
  AddCursor(after, "last_message_at", "id", &sql, &params);
  sql += " ORDER BY last_message_at DESC, id DESC LIMIT ?";
  params.emplace_back(limit);
  return tx.Query(sql, params);
}

core::Result<std::optional<storage::Row>> FindConversationRow(storage::Transaction& tx,
                                                              std::int64_t id) {
  return First(tx.Query(std::string(kConversationSelect) + " WHERE id = ?", {id}));
}

core::Result<std::vector<storage::Row>> ParticipantRows(storage::Transaction& tx,
                                                        std::int64_t conversation_id) {
  return tx.Query(
      "SELECT key_version, wrapped_key, payload FROM"
      " conversation_participants WHERE conversation_id = ?",
      {conversation_id});
}

core::Result<std::vector<std::string>> ConversationChannels(storage::Transaction& tx) {
  ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT DISTINCT channel FROM conversations"));
  std::vector<std::string> out;
  out.reserve(rows.size());
  for (const storage::Row& r : rows) {
    out.push_back(r.Text(0));
  }
  return out;
}

core::Result<std::vector<storage::Row>> ConversationMessageRows(storage::Transaction& tx,
                                                                std::int64_t conversation_id,
                                                                std::optional<PageCursor> after,
                                                                std::int64_t limit) {
  std::string sql =
      std::string(kMessageSelect) + " WHERE m.conversation_id = ? AND r.payload IS NOT NULL";
  std::vector<storage::Value> params = {conversation_id};
  AddCursor(after, "m.sent_at", "m.id", &sql, &params);
  sql += " ORDER BY m.sent_at DESC, m.id DESC LIMIT ?";
  params.emplace_back(limit);
  return tx.Query(sql, params);
}

core::Status EachExportRow(storage::Transaction& tx, const ExportFilter& filter,
                           const std::function<bool(const storage::Row&)>& fn) {
  std::string sql = std::string(kMessageSelect) + " WHERE r.payload IS NOT NULL";
  std::vector<storage::Value> params;
  if (filter.channel) {
    sql += " AND m.channel = ?";
    params.emplace_back(*filter.channel);
  }
  if (filter.conversation_id) {
    sql += " AND m.conversation_id = ?";
    params.emplace_back(*filter.conversation_id);
  }
  if (filter.after) {
    sql += " AND m.sent_at >= ?";
    params.emplace_back(*filter.after);
  }
  if (filter.before) {
    sql += " AND m.sent_at < ?";
    params.emplace_back(*filter.before);
  }
  sql += " ORDER BY m.sent_at, m.id";
  return tx.QueryEach(sql, params, fn);
}

core::Result<std::optional<storage::Row>> FindLiveMessageRowByIdempotency(
    storage::Transaction& tx, const std::string& idem_hash) {
  return First(
      tx.Query(std::string(kMessageSelect) + " WHERE m.idem_hash = ? AND r.payload IS NOT NULL",
               {storage::Blob{idem_hash}}));
}

core::Result<std::vector<storage::Row>> LiveMessageRowsTargeting(storage::Transaction& tx,
                                                                 const std::string& target_hash) {
  return tx.Query(std::string(kMessageSelect) +
                      " WHERE m.target_hash = ? AND r.payload IS NOT NULL ORDER BY m.sent_at, m.id",
                  {storage::Blob{target_hash}});
}

}  // namespace custos::archive::sql
