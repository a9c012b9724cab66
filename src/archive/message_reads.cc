// SPDX-License-Identifier: Apache-2.0
// The read side of MessageStore: conversations, message pages and export streams.
#include "archive/sql/message_reads.h"

#include <algorithm>
#include <charconv>

#include "archive/message_store.h"
#include "archive/payload.h"
#include "archive/sql/holds.h"
#include "archive/sql/messages.h"

namespace custos::archive {
namespace {

using storage::Row;

core::Result<model::Conversation> ConversationFromRow(storage::Transaction& tx,
                                                      const crypto::KeyRing& keys, const Row& row) {
  model::Conversation c;
  c.id = row.Int(0);
  c.channel = row.Text(1);
  ASSIGN_OR_RETURN(c.source_key, OpenColumns(keys, "conversations", c.id, row, 2));
  c.message_count = row.Int(5);
  c.first_message_at = row.Int(6);
  c.last_message_at = row.Int(7);
  ASSIGN_OR_RETURN(auto parts, sql::ParticipantRows(tx, c.id));
  for (const Row& p : parts) {
    ASSIGN_OR_RETURN(std::string handle, OpenColumns(keys, "participants", c.id, p, 0));
    c.participants.push_back(std::move(handle));
  }
  std::sort(c.participants.begin(), c.participants.end());
  return c;
}

}  // namespace

core::Result<Page<model::Conversation>> MessageStore::ListConversations(
    std::optional<PageCursor> after, int limit) const {
  return ListConversations(ConversationFilter{}, after, limit);
}

core::Result<Page<model::Conversation>> MessageStore::ListConversations(
    const ConversationFilter& filter, std::optional<PageCursor> after, int limit) const {
  ASSIGN_OR_RETURN(auto tx, db_->Begin(storage::TxMode::kRead));
  ASSIGN_OR_RETURN(auto rows,
                   sql::ConversationRows(*tx, filter, after, static_cast<std::int64_t>(limit) + 1));
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
  ASSIGN_OR_RETURN(std::optional<Row> row, sql::FindConversationRow(*tx, id));
  if (!row) {
    return std::optional<model::Conversation>();
  }
  ASSIGN_OR_RETURN(model::Conversation c, ConversationFromRow(*tx, *keys_, *row));
  return std::optional<model::Conversation>(std::move(c));
}

core::Result<Page<model::Message>> MessageStore::ListMessages(std::int64_t conversation_id,
                                                              std::optional<PageCursor> after,
                                                              int limit) const {
  ASSIGN_OR_RETURN(auto tx, db_->Begin(storage::TxMode::kRead));
  ASSIGN_OR_RETURN(auto rows, sql::ConversationMessageRows(*tx, conversation_id, after,
                                                           static_cast<std::int64_t>(limit) + 1));
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
  core::Status inner;
  RETURN_IF_ERROR(sql::EachExportRow(*tx, filter, [&](const Row& row) {
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
    ASSIGN_OR_RETURN(const bool exists, sql::ConversationExists(*tx, number));
    if (exists) {
      return std::optional<std::int64_t>(number);
    }
  }
  // A source key: its hash depends on the channel, so try each channel in use.
  ASSIGN_OR_RETURN(std::vector<std::string> channels, sql::ConversationChannels(*tx));
  for (const std::string& channel : channels) {
    ASSIGN_OR_RETURN(std::optional<std::int64_t> id,
                     sql::FindConversationId(*tx, ConversationHash(*keys_, channel, text)));
    if (id) {
      return id;
    }
  }
  return std::optional<std::int64_t>();
}

core::Result<std::vector<model::Message>> MessageStore::History(std::int64_t id) const {
  ASSIGN_OR_RETURN(auto tx, db_->Begin(storage::TxMode::kRead));
  ASSIGN_OR_RETURN(std::optional<Row> self, sql::FindMessageContentRow(*tx, id, false));
  if (!self) {
    return core::NotFound("no message " + std::to_string(id));
  }
  ASSIGN_OR_RETURN(model::Message m, MessageFromRow(*keys_, *self));
  if (!m.target_source_id.empty()) {
    // An event: show the history of the message it is about, when that is archived.
    ASSIGN_OR_RETURN(std::optional<Row> target,
                     sql::FindLiveMessageRowByIdempotency(
                         *tx, TargetHash(*keys_, m.principal, m.source, m.target_source_id)));
    if (target) {
      ASSIGN_OR_RETURN(m, MessageFromRow(*keys_, *target));
    }
  }
  std::vector<model::Message> out;
  if (!m.source_id.empty()) {
    ASSIGN_OR_RETURN(auto events, sql::LiveMessageRowsTargeting(
                                      *tx, TargetHash(*keys_, m.principal, m.source, m.source_id)));
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
