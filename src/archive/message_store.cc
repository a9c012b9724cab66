// SPDX-License-Identifier: Apache-2.0
#include "archive/message_store.h"

#include <algorithm>
#include <charconv>
#include <set>
#include <unordered_map>

#include "archive/attachment_store.h"
#include "archive/canonical.h"
#include "archive/payload.h"
#include "archive/records.h"
#include "archive/sql/messages.h"
#include "core/text.h"
#include "crypto/crypto.h"

namespace custos::archive {
namespace {

core::Result<crypto::Envelope> Seal(const crypto::KeyRing& keys, std::string_view table,
                                    std::int64_t id, std::string_view plaintext) {
  return keys.SealEnvelope(plaintext, RecordAad(table, id));
}

// Finds or creates the conversation of `m`; updates its counters.
class ConversationWriter {
 public:
  ConversationWriter(storage::Transaction& tx, const crypto::KeyRing& keys)
      : tx_(tx), keys_(keys) {}

  core::Result<std::int64_t> Upsert(const model::Message& m) {
    const std::string hash = ConversationHash(keys_, m.channel, m.conversation);
    std::int64_t id = 0;
    if (auto it = ids_.find(hash); it != ids_.end()) {
      id = it->second;
    } else {
      ASSIGN_OR_RETURN(std::optional<std::int64_t> found, sql::FindConversationId(tx_, hash));
      if (found) {
        id = *found;
      } else {
        ASSIGN_OR_RETURN(const std::int64_t max, sql::MaxConversationId(tx_));
        id = max + 1;
        ASSIGN_OR_RETURN(crypto::Envelope env, Seal(keys_, "conversations", id, m.conversation));
        RETURN_IF_ERROR(sql::InsertConversation(tx_, id, hash, m.channel, env, m.sent_at));
      }
      ids_.emplace(hash, id);
    }
    Delta& d = deltas_[id];
    d.count += 1;
    d.first = d.count == 1 ? m.sent_at : std::min(d.first, m.sent_at);
    d.last = d.count == 1 ? m.sent_at : std::max(d.last, m.sent_at);
    RETURN_IF_ERROR(AddParticipant(id, m.from));
    for (const std::string& to : m.to) {
      RETURN_IF_ERROR(AddParticipant(id, to));
    }
    return id;
  }

  // Applies the batch's counters: one UPDATE per conversation, not one per message.
  core::Status Flush() {
    for (const auto& [id, d] : deltas_) {
      RETURN_IF_ERROR(sql::AddConversationCounts(tx_, id, d.count, d.first, d.last));
    }
    deltas_.clear();
    return core::Status::Ok();
  }

  // The keyed hash of a handle, cached for the batch (senders repeat).
  const std::string& Identity(const std::string& handle) {
    auto it = identities_.find(handle);
    if (it == identities_.end()) {
      it = identities_.emplace(handle, IdentityHash(keys_, handle)).first;
    }
    return it->second;
  }

 private:
  struct Delta {
    std::int64_t count = 0;
    core::Micros first = 0;
    core::Micros last = 0;
  };

  core::Status AddParticipant(std::int64_t conversation_id, const std::string& handle) {
    if (handle.empty()) {
      return core::Status::Ok();
    }
    const std::string& hash = Identity(handle);
    if (!seen_.insert({conversation_id, hash}).second) {
      return core::Status::Ok();
    }
    ASSIGN_OR_RETURN(const bool exists, sql::ParticipantExists(tx_, conversation_id, hash));
    if (exists) {
      return core::Status::Ok();
    }
    ASSIGN_OR_RETURN(crypto::Envelope env,
                     Seal(keys_, "participants", conversation_id, NormaliseHandle(handle)));
    return sql::InsertParticipant(tx_, conversation_id, hash, env);
  }

  storage::Transaction& tx_;
  const crypto::KeyRing& keys_;
  std::unordered_map<std::string, std::int64_t> ids_;
  std::set<std::pair<std::int64_t, std::string>> seen_;
  std::unordered_map<std::int64_t, Delta> deltas_;
  std::unordered_map<std::string, std::string> identities_;
};

}  // namespace

std::string MessageIdempotencyKey(const model::Message& m) {
  // Each principal has its own namespace (docs/formats/message-jsonl.md, "Idempotency").
  if (!m.source_id.empty()) {
    return IdempotencyNamespace(m.principal) + m.source + '\x1f' + m.source_id;
  }
  std::string data;
  const std::string_view parts[] = {
      m.channel, m.conversation, m.from, model::EventKindName(m.kind), m.target_source_id, m.text};
  for (const std::string_view part : parts) {
    data.append(part);
    data.push_back('\x1f');
  }
  data += std::to_string(m.sent_at);
  for (const model::Attachment& a : m.attachments) {
    data.push_back('\x1f');
    data += a.sha256;
  }
  return IdempotencyNamespace(m.principal) + "fp:" + core::HexEncode(crypto::Sha256(data));
}

std::string EncodeCursor(const PageCursor& cursor) {
  return std::to_string(cursor.time) + "." + std::to_string(cursor.id);
}

core::Result<PageCursor> DecodeCursor(std::string_view text) {
  const std::size_t dot = text.rfind('.');
  PageCursor c;
  const auto bad =
      core::InvalidArgument("invalid cursor \"" + std::string(text.substr(0, 40)) + "\"");
  if (dot == std::string_view::npos) {
    return bad;
  }
  const std::string_view t = text.substr(0, dot);
  const std::string_view i = text.substr(dot + 1);
  auto r1 = std::from_chars(t.data(), t.data() + t.size(), c.time);
  auto r2 = std::from_chars(i.data(), i.data() + i.size(), c.id);
  if (r1.ec != std::errc() || r1.ptr != t.data() + t.size() || r2.ec != std::errc() ||
      r2.ptr != i.data() + i.size() || c.id <= 0) {
    return bad;
  }
  return c;
}

core::Result<std::vector<AppendOutcome>> MessageStore::Append(storage::Transaction& tx,
                                                              std::vector<model::Message>& batch) {
  std::vector<AppendOutcome> outcomes(batch.size());
  ASSIGN_OR_RETURN(const std::int64_t max_id, sql::MaxMessageId(tx));
  std::int64_t next_id = max_id + 1;
  const core::Micros now = clock_->Now();
  ConversationWriter conversations(tx, *keys_);
  ASSIGN_OR_RETURN(RecordAppender records, RecordAppender::Begin(tx, *keys_));
  std::unordered_map<std::string, std::int64_t> in_batch;

  for (std::size_t i = 0; i < batch.size(); ++i) {
    model::Message& m = batch[i];
    const std::string idem = IdempotencyHash(*keys_, m.idempotency_key);
    if (auto it = in_batch.find(idem); it != in_batch.end()) {
      outcomes[i] = {true, it->second};
      continue;
    }
    ASSIGN_OR_RETURN(std::optional<std::int64_t> existing,
                     sql::FindMessageIdByIdempotency(tx, idem));
    if (existing) {
      outcomes[i] = {true, *existing};
      in_batch.emplace(idem, *existing);
      continue;
    }
    ASSIGN_OR_RETURN(const std::int64_t conversation_id, conversations.Upsert(m));
    m.id = next_id++;
    m.conversation_id = conversation_id;
    ASSIGN_OR_RETURN(const std::int64_t record_id, records.Append("message", now, MessageBody(m)));
    m.record_id = record_id;
    sql::MessageRow row{m.id,
                        record_id,
                        idem,
                        conversation_id,
                        m.channel,
                        std::string(model::EventKindName(m.kind)),
                        std::string(model::DirectionName(m.direction)),
                        m.sent_at,
                        now,
                        conversations.Identity(m.from),
                        std::nullopt};
    if (!m.target_source_id.empty()) {
      row.target_hash = TargetHash(*keys_, m.principal, m.source, m.target_source_id);
    }
    RETURN_IF_ERROR(sql::InsertMessage(tx, row));
    if (!m.attachments.empty()) {
      RETURN_IF_ERROR(LinkAttachments(tx, *keys_, m.id, m.attachments));
    }
    outcomes[i] = {false, m.id};
    in_batch.emplace(idem, m.id);
  }
  RETURN_IF_ERROR(conversations.Flush());
  return outcomes;
}

core::Result<std::optional<model::Message>> MessageStore::Get(std::int64_t id) const {
  ASSIGN_OR_RETURN(auto tx, db_->Begin(storage::TxMode::kRead));
  ASSIGN_OR_RETURN(std::optional<storage::Row> row,
                   sql::FindMessageContentRow(*tx, id, /*live_only=*/false));
  if (!row) {
    return std::optional<model::Message>();
  }
  ASSIGN_OR_RETURN(model::Message m, MessageFromRow(*keys_, *row));
  return std::optional<model::Message>(std::move(m));
}

core::Result<std::vector<model::Message>> MessageStore::GetMany(
    const std::vector<std::int64_t>& ids) const {
  ASSIGN_OR_RETURN(auto tx, db_->Begin(storage::TxMode::kRead));
  std::vector<model::Message> out;
  out.reserve(ids.size());
  for (std::int64_t id : ids) {
    ASSIGN_OR_RETURN(std::optional<storage::Row> row,
                     sql::FindMessageContentRow(*tx, id, /*live_only=*/true));
    if (!row) {
      continue;
    }
    ASSIGN_OR_RETURN(model::Message m, MessageFromRow(*keys_, *row));
    out.push_back(std::move(m));
  }
  return out;
}

core::Result<std::int64_t> MessageStore::CountMessages() const {
  ASSIGN_OR_RETURN(auto tx, db_->Begin(storage::TxMode::kRead));
  return sql::CountMessages(*tx);
}

}  // namespace custos::archive
