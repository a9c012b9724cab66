// SPDX-License-Identifier: Apache-2.0
#include "archive/sql/holds.h"

namespace custos::archive::sql {
namespace {

using storage::Blob;

constexpr std::string_view kHoldSelect =
    "SELECT id, record_id, scope, conversation_id, created_at, released_at, release_record_id"
    " FROM holds";

constexpr std::string_view kLive =
    "SELECT COUNT(*) FROM messages m JOIN records r ON r.id = m.record_id"
    " WHERE r.payload IS NOT NULL AND ";

std::set<std::int64_t> FirstColumn(const std::vector<storage::Row>& rows) {
  std::set<std::int64_t> out;
  for (const storage::Row& r : rows) {
    out.insert(r.Int(0));
  }
  return out;
}

std::vector<std::pair<std::int64_t, std::int64_t>> Pairs(const std::vector<storage::Row>& rows) {
  std::vector<std::pair<std::int64_t, std::int64_t>> out;
  out.reserve(rows.size());
  for (const storage::Row& r : rows) {
    out.emplace_back(r.Int(0), r.Int(1));
  }
  return out;
}

}  // namespace

core::Result<std::int64_t> MaxHoldId(storage::Transaction& tx) {
  ASSIGN_OR_RETURN(auto max, tx.Query("SELECT COALESCE(MAX(id), 0) FROM holds"));
  return max[0].Int(0);
}

core::Status InsertHold(storage::Transaction& tx, std::int64_t id, std::int64_t record_id,
                        const std::string& scope, const std::optional<std::string>& person_hash,
                        std::optional<std::int64_t> conversation_id, core::Micros created_at) {
  storage::Value person;
  if (person_hash) {
    person = Blob{*person_hash};
  }
  storage::Value conversation;
  if (conversation_id) {
    conversation = *conversation_id;
  }
  return tx.Execute(
      "INSERT INTO holds (id, record_id, scope, person_hash, conversation_id,"
      " created_at) VALUES (?, ?, ?, ?, ?, ?)",
      {id, record_id, scope, person, conversation, created_at});
}

core::Status InsertHoldIdentity(storage::Transaction& tx, std::int64_t hold_id,
                                const std::string& identity_hash) {
  return tx.Execute("INSERT INTO hold_identities (hold_id, identity_hash) VALUES (?, ?)",
                    {hold_id, Blob{identity_hash}});
}

core::Status InsertHoldMessage(storage::Transaction& tx, std::int64_t hold_id,
                               std::int64_t message_id) {
  return tx.Execute("INSERT INTO hold_messages (hold_id, message_id) VALUES (?, ?)",
                    {hold_id, message_id});
}

core::Status ReleaseHold(storage::Transaction& tx, std::int64_t id, core::Micros at,
                         std::int64_t release_record_id) {
  return tx.Execute(
      "UPDATE holds SET released_at = ?, release_record_id = ? WHERE id = ? AND"
      " released_at IS NULL",
      {at, release_record_id, id});
}

core::Result<std::optional<storage::Row>> FindHoldRow(storage::Transaction& tx, std::int64_t id) {
  ASSIGN_OR_RETURN(auto rows, tx.Query(std::string(kHoldSelect) + " WHERE id = ?", {id}));
  if (rows.empty()) {
    return std::optional<storage::Row>();
  }
  return std::optional<storage::Row>(std::move(rows[0]));
}

core::Result<std::vector<storage::Row>> ListHoldRows(storage::Transaction& tx) {
  return tx.Query(std::string(kHoldSelect) + " ORDER BY id");
}

core::Result<bool> ConversationExists(storage::Transaction& tx, std::int64_t conversation_id) {
  ASSIGN_OR_RETURN(auto rows,
                   tx.Query("SELECT id FROM conversations WHERE id = ?", {conversation_id}));
  return !rows.empty();
}

core::Result<std::set<std::int64_t>> HeldConversations(storage::Transaction& tx) {
  ASSIGN_OR_RETURN(auto rows,
                   tx.Query("SELECT conversation_id FROM holds WHERE released_at IS NULL AND"
                            " scope = 'conversation'"
                            " UNION SELECT p.conversation_id FROM conversation_participants p"
                            " JOIN holds h ON h.person_hash = p.identity_hash"
                            " WHERE h.released_at IS NULL AND h.scope = 'person'"
                            " UNION SELECT p.conversation_id FROM conversation_participants p"
                            " JOIN hold_identities i ON i.identity_hash = p.identity_hash"
                            " JOIN holds h ON h.id = i.hold_id"
                            " WHERE h.released_at IS NULL AND h.scope = 'person'"));
  return FirstColumn(rows);
}

core::Result<std::set<std::int64_t>> SnapshotHeldMessages(storage::Transaction& tx) {
  ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT m.message_id FROM hold_messages m JOIN holds h"
                                       " ON h.id = m.hold_id WHERE h.released_at IS NULL"));
  return FirstColumn(rows);
}

core::Result<std::vector<std::int64_t>> ActiveQueryHoldRecords(storage::Transaction& tx) {
  ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT record_id FROM holds WHERE released_at IS NULL"
                                       " AND scope = 'query' ORDER BY id"));
  std::vector<std::int64_t> out;
  out.reserve(rows.size());
  for (const storage::Row& r : rows) {
    out.push_back(r.Int(0));
  }
  return out;
}

core::Result<std::int64_t> CountLiveMessagesOfPersonHold(storage::Transaction& tx,
                                                         std::int64_t hold_id) {
  ASSIGN_OR_RETURN(
      auto rows,
      tx.Query(std::string(kLive) +
                   "m.conversation_id IN (SELECT p.conversation_id FROM"
                   " conversation_participants p JOIN hold_identities i ON"
                   " i.identity_hash = p.identity_hash WHERE i.hold_id = ?1"
                   " UNION SELECT p.conversation_id FROM conversation_participants p JOIN"
                   " holds h ON h.person_hash = p.identity_hash WHERE h.id = ?1)",
               {hold_id}));
  return rows[0].Int(0);
}

core::Result<std::int64_t> CountLiveMessagesInConversation(storage::Transaction& tx,
                                                           std::int64_t conversation_id) {
  ASSIGN_OR_RETURN(auto rows,
                   tx.Query(std::string(kLive) + "m.conversation_id = ?", {conversation_id}));
  return rows[0].Int(0);
}

core::Result<std::vector<std::int64_t>> LiveSnapshotMessages(storage::Transaction& tx,
                                                             std::int64_t hold_id) {
  ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT h.message_id FROM hold_messages h JOIN"
                                       " messages m ON m.id = h.message_id JOIN records r"
                                       " ON r.id = m.record_id WHERE h.hold_id = ? AND"
                                       " r.payload IS NOT NULL",
                                       {hold_id}));
  std::vector<std::int64_t> out;
  out.reserve(rows.size());
  for (const storage::Row& r : rows) {
    out.push_back(r.Int(0));
  }
  return out;
}

core::Result<std::optional<MessageLinks>> FindMessageLinks(storage::Transaction& tx,
                                                           std::int64_t message_id) {
  ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT id, conversation_id, idem_hash, target_hash"
                                       " FROM messages WHERE id = ?",
                                       {message_id}));
  if (rows.empty()) {
    return std::optional<MessageLinks>();
  }
  MessageLinks links{rows[0].Int(0), rows[0].Int(1), rows[0].Text(2), std::nullopt};
  if (!rows[0].IsNull(3)) {
    links.target_hash = rows[0].Text(3);
  }
  return std::optional<MessageLinks>(std::move(links));
}

core::Result<std::vector<std::pair<std::int64_t, std::int64_t>>> MessagesWithIdempotency(
    storage::Transaction& tx, const std::string& idem_hash) {
  ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT id, conversation_id FROM messages"
                                       " WHERE idem_hash = ?",
                                       {Blob{idem_hash}}));
  return Pairs(rows);
}

core::Result<std::vector<std::pair<std::int64_t, std::int64_t>>> MessagesTargeting(
    storage::Transaction& tx, const std::string& idem_hash) {
  ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT id, conversation_id FROM messages"
                                       " WHERE target_hash = ?",
                                       {Blob{idem_hash}}));
  return Pairs(rows);
}

}  // namespace custos::archive::sql
