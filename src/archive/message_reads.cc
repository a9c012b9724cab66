// SPDX-License-Identifier: Apache-2.0
// The read side of MessageStore: conversations, message pages and export streams.
#include <algorithm>
#include <charconv>

#include "archive/message_store.h"
#include "archive/payload.h"

namespace custos::archive {
namespace {

using storage::Row;

constexpr std::string_view kConversationSelect =
    "SELECT id, channel, key_version, wrapped_key, payload, message_count, first_message_at,"
    " last_message_at FROM conversations";

core::Result<model::Conversation> ConversationFromRow(storage::Transaction& tx,
                                                      const crypto::KeyRing& keys, const Row& row) {
  model::Conversation c;
  c.id = row.Int(0);
  c.channel = row.Text(1);
  ASSIGN_OR_RETURN(c.source_key, OpenColumns(keys, "conversations", c.id, row, 2));
  c.message_count = row.Int(5);
  c.first_message_at = row.Int(6);
  c.last_message_at = row.Int(7);
  ASSIGN_OR_RETURN(auto parts, tx.Query("SELECT key_version, wrapped_key, payload FROM"
                                        " conversation_participants WHERE conversation_id = ?",
                                        {c.id}));
  for (const Row& p : parts) {
    ASSIGN_OR_RETURN(std::string handle, OpenColumns(keys, "participants", c.id, p, 0));
    c.participants.push_back(std::move(handle));
  }
  std::sort(c.participants.begin(), c.participants.end());
  return c;
}

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

}  // namespace

core::Result<Page<model::Conversation>> MessageStore::ListConversations(
    std::optional<PageCursor> after, int limit) const {
  return ListConversations(ConversationFilter{}, after, limit);
}

core::Result<Page<model::Conversation>> MessageStore::ListConversations(
    const ConversationFilter& filter, std::optional<PageCursor> after, int limit) const {
  ASSIGN_OR_RETURN(auto tx, db_->Begin(storage::TxMode::kRead));
  std::string sql = std::string(kConversationSelect) + " WHERE 1 = 1";
  std::vector<storage::Value> params;
  if (filter.channel) {
    sql += " AND channel = ?";
    params.emplace_back(*filter.channel);
  }
  if (filter.participant_hashes) {
    if (filter.participant_hashes->empty()) {
      return Page<model::Conversation>{};
    }
    sql +=
        " AND id IN (SELECT conversation_id FROM conversation_participants WHERE identity_hash"
        " IN (";
    for (std::size_t i = 0; i < filter.participant_hashes->size(); ++i) {
      sql += i > 0 ? ", ?" : "?";
      params.emplace_back(storage::Blob{(*filter.participant_hashes)[i]});
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
  params.emplace_back(static_cast<std::int64_t>(limit) + 1);
  ASSIGN_OR_RETURN(auto rows, tx->Query(sql, params));
  Page<model::Conversation> page;
  for (const Row& row : rows) {
    if (page.items.size() == static_cast<std::size_t>(limit)) {
      page.next = PageCursor{page.items.back().last_message_at, page.items.back().id};
      break;
    }
    ASSIGN_OR_RETURN(model::Conversation c, ConversationFromRow(*tx, *keys_, row));
    page.items.push_back(std::move(c));
  }
  return page;
}

core::Result<std::optional<model::Conversation>> MessageStore::GetConversation(
    std::int64_t id) const {
  ASSIGN_OR_RETURN(auto tx, db_->Begin(storage::TxMode::kRead));
  ASSIGN_OR_RETURN(auto rows, tx->Query(std::string(kConversationSelect) + " WHERE id = ?", {id}));
  if (rows.empty()) {
    return std::optional<model::Conversation>();
  }
  ASSIGN_OR_RETURN(model::Conversation c, ConversationFromRow(*tx, *keys_, rows[0]));
  return std::optional<model::Conversation>(std::move(c));
}

core::Result<Page<model::Message>> MessageStore::ListMessages(std::int64_t conversation_id,
                                                              std::optional<PageCursor> after,
                                                              int limit) const {
  ASSIGN_OR_RETURN(auto tx, db_->Begin(storage::TxMode::kRead));
  std::string sql =
      std::string(kMessageSelect) + " WHERE m.conversation_id = ? AND r.payload IS NOT NULL";
  std::vector<storage::Value> params = {conversation_id};
  AddCursor(after, "m.sent_at", "m.id", &sql, &params);
  sql += " ORDER BY m.sent_at DESC, m.id DESC LIMIT ?";
  params.emplace_back(static_cast<std::int64_t>(limit) + 1);
  ASSIGN_OR_RETURN(auto rows, tx->Query(sql, params));
  Page<model::Message> page;
  for (const Row& row : rows) {
    if (page.items.size() == static_cast<std::size_t>(limit)) {
      page.next = PageCursor{page.items.back().sent_at, page.items.back().id};
      break;
    }
    ASSIGN_OR_RETURN(model::Message m, MessageFromRow(*keys_, row));
    page.items.push_back(std::move(m));
  }
  return page;
}

core::Status MessageStore::ExportEach(const ExportFilter& filter,
                                      const std::function<bool(const model::Message&)>& fn) const {
  ASSIGN_OR_RETURN(auto tx, db_->Begin(storage::TxMode::kRead));
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
  core::Status inner;
  RETURN_IF_ERROR(tx->QueryEach(sql, params, [&](const Row& row) {
    auto m = MessageFromRow(*keys_, row);
    if (!m.has_value()) {
      inner = m.error();
      return false;
    }
    return fn(*m);
  }));
  return inner;
}

core::Result<std::optional<std::int64_t>> MessageStore::ResolveConversation(
    std::string_view text) const {
  ASSIGN_OR_RETURN(auto tx, db_->Begin(storage::TxMode::kRead));
  std::int64_t number = 0;
  auto r = std::from_chars(text.data(), text.data() + text.size(), number);
  if (r.ec == std::errc() && r.ptr == text.data() + text.size()) {
    ASSIGN_OR_RETURN(auto rows, tx->Query("SELECT id FROM conversations WHERE id = ?", {number}));
    if (!rows.empty()) {
      return std::optional<std::int64_t>(number);
    }
  }
  // A source key: its hash depends on the channel, so try each channel in use.
  ASSIGN_OR_RETURN(auto channels, tx->Query("SELECT DISTINCT channel FROM conversations"));
  for (const Row& c : channels) {
    ASSIGN_OR_RETURN(auto rows,
                     tx->Query("SELECT id FROM conversations WHERE key_hash = ?",
                               {storage::Blob{ConversationHash(*keys_, c.Text(0), text)}}));
    if (!rows.empty()) {
      return std::optional<std::int64_t>(rows[0].Int(0));
    }
  }
  return std::optional<std::int64_t>();
}

core::Result<std::vector<model::Message>> MessageStore::History(std::int64_t id) const {
  ASSIGN_OR_RETURN(auto tx, db_->Begin(storage::TxMode::kRead));
  ASSIGN_OR_RETURN(auto rows, tx->Query(std::string(kMessageSelect) + " WHERE m.id = ?", {id}));
  if (rows.empty()) {
    return core::NotFound("no message " + std::to_string(id));
  }
  ASSIGN_OR_RETURN(model::Message m, MessageFromRow(*keys_, rows[0]));
  if (!m.target_source_id.empty()) {
    // An event: show the history of the message it is about, when that is archived.
    ASSIGN_OR_RETURN(
        auto target,
        tx->Query(std::string(kMessageSelect) + " WHERE m.idem_hash = ? AND r.payload IS NOT NULL",
                  {storage::Blob{TargetHash(*keys_, m.principal, m.source, m.target_source_id)}}));
    if (!target.empty()) {
      ASSIGN_OR_RETURN(m, MessageFromRow(*keys_, target[0]));
    }
  }
  std::vector<model::Message> out;
  if (!m.source_id.empty()) {
    ASSIGN_OR_RETURN(
        auto events,
        tx->Query(std::string(kMessageSelect) +
                      " WHERE m.target_hash = ? AND r.payload IS NOT NULL ORDER BY m.sent_at, m.id",
                  {storage::Blob{TargetHash(*keys_, m.principal, m.source, m.source_id)}}));
    out.push_back(std::move(m));
    for (const Row& row : events) {
      ASSIGN_OR_RETURN(model::Message e, MessageFromRow(*keys_, row));
      out.push_back(std::move(e));
    }
  } else {
    out.push_back(std::move(m));
  }
  return out;
}

}  // namespace custos::archive
