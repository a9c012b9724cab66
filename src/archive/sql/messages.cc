// SPDX-License-Identifier: Apache-2.0
#include "archive/sql/messages.h"

namespace custos::archive::sql {

using storage::Blob;

core::Result<std::optional<std::int64_t>> FindConversationId(storage::Transaction& tx,
                                                             const std::string& key_hash) {
  ASSIGN_OR_RETURN(auto rows,
                   tx.Query("SELECT id FROM conversations WHERE key_hash = ?", {Blob{key_hash}}));
  if (rows.empty()) {
    return std::optional<std::int64_t>();
  }
  return std::optional<std::int64_t>(rows[0].Int(0));
}

core::Result<std::int64_t> MaxConversationId(storage::Transaction& tx) {
  ASSIGN_OR_RETURN(auto max, tx.Query("SELECT COALESCE(MAX(id), 0) FROM conversations"));
  return max[0].Int(0);
}

core::Status InsertConversation(storage::Transaction& tx, std::int64_t id,
                                const std::string& key_hash, const std::string& channel,
                                const crypto::Envelope& sealed, core::Micros sent_at) {
  return tx.Execute(
      "INSERT INTO conversations (id, key_hash, channel, key_version, wrapped_key, payload,"
      " message_count, first_message_at, last_message_at) VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?)",
      {id, Blob{key_hash}, channel, std::int64_t{sealed.key_version}, Blob{sealed.wrapped_key},
       Blob{sealed.ciphertext}, sent_at, sent_at});
}

core::Status AddConversationCounts(storage::Transaction& tx, std::int64_t id, std::int64_t count,
                                   core::Micros first, core::Micros last) {
  return tx.Execute(
      "UPDATE conversations SET message_count = message_count + ?,"
      " first_message_at = MIN(first_message_at, ?), last_message_at = MAX(last_message_at, ?)"
      " WHERE id = ?",
      {count, first, last, id});
}

core::Result<bool> ParticipantExists(storage::Transaction& tx, std::int64_t conversation_id,
                                     const std::string& identity_hash) {
  ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT 1 FROM conversation_participants WHERE"
                                       " conversation_id = ? AND identity_hash = ?",
                                       {conversation_id, Blob{identity_hash}}));
  return !rows.empty();
}

core::Status InsertParticipant(storage::Transaction& tx, std::int64_t conversation_id,
                               const std::string& identity_hash, const crypto::Envelope& sealed) {
  return tx.Execute(
      "INSERT INTO conversation_participants (conversation_id, identity_hash, key_version,"
      " wrapped_key, payload) VALUES (?, ?, ?, ?, ?)",
      {conversation_id, Blob{identity_hash}, std::int64_t{sealed.key_version},
       Blob{sealed.wrapped_key}, Blob{sealed.ciphertext}});
}

core::Result<std::int64_t> MaxMessageId(storage::Transaction& tx) {
  ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT COALESCE(MAX(id), 0) FROM messages"));
  return rows[0].Int(0);
}

core::Result<std::int64_t> CountMessages(storage::Transaction& tx) {
  ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT COUNT(*) FROM messages"));
  return rows[0].Int(0);
}

core::Result<std::optional<std::int64_t>> FindMessageIdByIdempotency(storage::Transaction& tx,
                                                                     const std::string& idem_hash) {
  ASSIGN_OR_RETURN(auto rows,
                   tx.Query("SELECT id FROM messages WHERE idem_hash = ?", {Blob{idem_hash}}));
  if (rows.empty()) {
    return std::optional<std::int64_t>();
  }
  return std::optional<std::int64_t>(rows[0].Int(0));
}

core::Status InsertMessage(storage::Transaction& tx, const MessageRow& row) {
  storage::Value target;
  if (row.target_hash) {
    target = Blob{*row.target_hash};
  }
  return tx.Execute(
      "INSERT INTO messages (id, record_id, idem_hash, conversation_id, channel, kind, direction,"
      " sent_at, committed_at, sender_hash, target_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
      "?)",
      {row.id, row.record_id, Blob{row.idem_hash}, row.conversation_id, row.channel, row.kind,
       row.direction, row.sent_at, row.committed_at, Blob{row.sender_hash}, target});
}

core::Result<std::optional<storage::Row>> FindMessageContentRow(storage::Transaction& tx,
                                                                std::int64_t id, bool live_only) {
  const std::string sql =
      std::string(kMessageSelect) +
      (live_only ? " WHERE m.id = ? AND r.payload IS NOT NULL" : " WHERE m.id = ?");
  ASSIGN_OR_RETURN(auto rows, tx.Query(sql, {id}));
  if (rows.empty()) {
    return std::optional<storage::Row>();
  }
  return std::optional<storage::Row>(std::move(rows[0]));
}

core::Result<std::vector<std::int64_t>> ListLiveMessageIds(storage::Transaction& tx) {
  ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT m.id FROM messages m JOIN records r ON"
                                       " r.id = m.record_id WHERE r.payload IS NOT NULL"
                                       " ORDER BY m.id"));
  std::vector<std::int64_t> ids;
  ids.reserve(rows.size());
  for (const storage::Row& row : rows) {
    ids.push_back(row.Int(0));
  }
  return ids;
}

core::Result<std::optional<std::int64_t>> FindMessageRecordId(storage::Transaction& tx,
                                                              std::int64_t message_id) {
  ASSIGN_OR_RETURN(auto rows,
                   tx.Query("SELECT record_id FROM messages WHERE id = ?", {message_id}));
  if (rows.empty()) {
    return std::optional<std::int64_t>();
  }
  return std::optional<std::int64_t>(rows[0].Int(0));
}

}  // namespace custos::archive::sql
