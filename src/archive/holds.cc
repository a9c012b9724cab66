// SPDX-License-Identifier: Apache-2.0
#include "archive/holds.h"

#include <nlohmann/json.hpp>

#include "archive/payload.h"
#include "archive/sql/holds.h"
#include "core/text.h"

namespace custos::archive {
namespace {

using Json = nlohmann::json;

constexpr std::size_t kMaxNameBytes = 200;

// The body of a record, decrypted and parsed. kDataLoss when it is not JSON.
core::Result<Json> RecordBody(storage::Transaction& tx, const crypto::KeyRing& keys,
                              std::int64_t record_id) {
  ASSIGN_OR_RETURN(std::string bytes, ReadCanonical(tx, keys, record_id));
  try {
    return Json::parse(bytes).at("body");
  } catch (const Json::exception& e) {
    return core::DataLoss("record " + std::to_string(record_id) +
                          " is malformed: " + std::string(e.what()));
  }
}

// Whether `held` covers one of `messages`, given as (id, conversation_id).
bool AnyCovered(const HeldSet& held,
                const std::vector<std::pair<std::int64_t, std::int64_t>>& messages) {
  for (const auto& [id, conversation_id] : messages) {
    if (held.messages.count(id) > 0 || held.conversations.count(conversation_id) > 0) {
      return true;
    }
  }
  return false;
}

}  // namespace

std::string_view HoldScopeName(HoldScope scope) {
  switch (scope) {
    case HoldScope::kPerson:
      return "person";
    case HoldScope::kConversation:
      return "conversation";
    case HoldScope::kQuery:
      return "query";
  }
  return "person";
}

core::Result<HoldScope> ParseHoldScope(std::string_view name) {
  for (HoldScope s : {HoldScope::kPerson, HoldScope::kConversation, HoldScope::kQuery}) {
    if (HoldScopeName(s) == name) {
      return s;
    }
  }
  return core::InvalidArgument("unknown hold scope \"" + std::string(name.substr(0, 40)) + "\"");
}

core::Result<Hold> HoldStore::Create(storage::Transaction& tx, RecordAppender& records,
                                     const HoldSpec& spec, core::Micros at,
                                     const std::vector<std::int64_t>& snapshot) const {
  Hold h;
  h.name = std::string(core::TrimAscii(spec.name));
  if (h.name.empty() || h.name.size() > kMaxNameBytes || !core::IsValidUtf8(h.name)) {
    return core::InvalidArgument("a hold needs a name of 1 to " + std::to_string(kMaxNameBytes) +
                                 " bytes of UTF-8");
  }
  h.scope = spec.scope;
  h.created_at = at;
  ASSIGN_OR_RETURN(const std::int64_t max_id, sql::MaxHoldId(tx));
  h.id = max_id + 1;
  CanonicalValue::Object body = {
      {"hold_id", h.id}, {"name", h.name}, {"scope", std::string(HoldScopeName(h.scope))}};
  std::optional<std::string> person_hash;
  std::optional<std::int64_t> conversation;
  switch (spec.scope) {
    case HoldScope::kPerson: {
      h.person = std::string(core::TrimAscii(spec.person));
      if (h.person.empty() || !core::IsValidUtf8(h.person)) {
        return core::InvalidArgument("a person hold needs the person's handle");
      }
      std::set<std::string> seen;
      for (const std::string& raw :
           spec.identities.empty() ? std::vector<std::string>{h.person} : spec.identities) {
        std::string identity(core::TrimAscii(raw));
        if (identity.empty() || !core::IsValidUtf8(identity)) {
          return core::InvalidArgument("a person hold's identities must be non-empty UTF-8");
        }
        if (seen.insert(NormaliseHandle(identity)).second) {
          h.identities.push_back(std::move(identity));
        }
      }
      h.person_id = spec.person_id;
      h.person_name = spec.person_name;
      person_hash = IdentityHash(*keys_, h.person);
      body.emplace("person", h.person);
      CanonicalValue::Array identities;
      for (const std::string& identity : h.identities) {
        identities.emplace_back(identity);
      }
      body.emplace("identities", std::move(identities));
      if (h.person_id > 0) {
        body.emplace("person_id", h.person_id);
        body.emplace("person_name", h.person_name);
      }
      break;
    }
    case HoldScope::kConversation: {
      ASSIGN_OR_RETURN(const bool exists, sql::ConversationExists(tx, spec.conversation_id));
      if (!exists) {
        return core::NotFound("no conversation " + std::to_string(spec.conversation_id));
      }
      h.conversation_id = spec.conversation_id;
      conversation = h.conversation_id;
      body.emplace("conversation_id", h.conversation_id);
      break;
    }
    case HoldScope::kQuery:
      h.query = std::string(core::TrimAscii(spec.query));
      if (h.query.empty() || !core::IsValidUtf8(h.query)) {
        return core::InvalidArgument("a query hold needs a search query");
      }
      body.emplace("query", h.query);
      break;
  }
  if (spec.scope == HoldScope::kQuery) {
    const std::set<std::int64_t> unique(snapshot.begin(), snapshot.end());
    h.matched_at_creation = static_cast<std::int64_t>(unique.size());
    body.emplace("matched", h.matched_at_creation);
  }
  ASSIGN_OR_RETURN(h.record_id, records.Append("hold", at, std::move(body)));
  RETURN_IF_ERROR(sql::InsertHold(tx, h.id, h.record_id, std::string(HoldScopeName(h.scope)),
                                  person_hash, conversation, at));
  std::set<std::string> hashes;
  for (const std::string& identity : h.identities) {
    hashes.insert(IdentityHash(*keys_, identity));
  }
  if (spec.scope == HoldScope::kPerson) {
    for (const std::string& spelling : spec.spellings) {
      hashes.insert(IdentityHash(*keys_, spelling));
    }
  }
  for (const std::string& hash : hashes) {
    RETURN_IF_ERROR(sql::InsertHoldIdentity(tx, h.id, hash));
  }
  if (spec.scope == HoldScope::kQuery) {
    for (std::int64_t id : std::set<std::int64_t>(snapshot.begin(), snapshot.end())) {
      RETURN_IF_ERROR(sql::InsertHoldMessage(tx, h.id, id));
    }
  }
  return h;
}

core::Result<Hold> HoldStore::Release(storage::Transaction& tx, RecordAppender& records,
                                      std::int64_t id, core::Micros at,
                                      std::string_view reason) const {
  ASSIGN_OR_RETURN(std::optional<Hold> hold, Get(tx, id));
  if (!hold) {
    return core::NotFound("no hold " + std::to_string(id));
  }
  if (!hold->active()) {
    return core::FailedPrecondition("hold " + std::to_string(id) + " was released already at " +
                                    core::FormatRfc3339(*hold->released_at));
  }
  const std::string why(core::TrimAscii(reason));
  if (!core::IsValidUtf8(why)) {
    return core::InvalidArgument("the release reason is not valid UTF-8");
  }
  CanonicalValue::Object body = {{"hold_id", id}, {"hold_record_id", hold->record_id}};
  if (!why.empty()) {
    body.emplace("reason", why);
  }
  ASSIGN_OR_RETURN(const std::int64_t record_id, records.Append("hold_release", at, body));
  RETURN_IF_ERROR(sql::ReleaseHold(tx, id, at, record_id));
  hold->released_at = at;
  hold->release_record_id = record_id;
  hold->release_reason = why;
  return std::move(*hold);
}

core::Result<Hold> HoldStore::FromRow(storage::Transaction& tx, const storage::Row& row) const {
  Hold h;
  h.id = row.Int(0);
  h.record_id = row.Int(1);
  ASSIGN_OR_RETURN(h.scope, ParseHoldScope(row.Text(2)));
  h.conversation_id = row.Int(3);
  h.created_at = row.Int(4);
  if (!row.IsNull(5)) {
    h.released_at = row.Int(5);
    h.release_record_id = row.Int(6);
  }
  ASSIGN_OR_RETURN(Json body, RecordBody(tx, *keys_, h.record_id));
  try {
    h.name = body.at("name").get<std::string>();
    h.person = body.value("person", "");
    h.identities = body.value("identities", std::vector<std::string>{});
    if (h.scope == HoldScope::kPerson && h.identities.empty() && !h.person.empty()) {
      h.identities = {h.person};  // a hold placed before identities were recorded
    }
    h.person_id = body.value("person_id", std::int64_t{0});
    h.person_name = body.value("person_name", "");
    h.query = body.value("query", "");
    h.matched_at_creation = body.value("matched", std::int64_t{0});
    if (h.release_record_id) {
      ASSIGN_OR_RETURN(Json release, RecordBody(tx, *keys_, *h.release_record_id));
      h.release_reason = release.value("reason", "");
    }
  } catch (const Json::exception& e) {
    return core::DataLoss("hold record " + std::to_string(h.record_id) +
                          " is malformed: " + std::string(e.what()));
  }
  return h;
}

core::Result<std::optional<Hold>> HoldStore::Get(storage::Transaction& tx, std::int64_t id) const {
  ASSIGN_OR_RETURN(std::optional<storage::Row> row, sql::FindHoldRow(tx, id));
  if (!row) {
    return std::optional<Hold>();
  }
  ASSIGN_OR_RETURN(Hold h, FromRow(tx, *row));
  return std::optional<Hold>(std::move(h));
}

core::Result<std::vector<Hold>> HoldStore::List(storage::Transaction& tx) const {
  ASSIGN_OR_RETURN(auto rows, sql::ListHoldRows(tx));
  std::vector<Hold> out;
  for (const storage::Row& row : rows) {
    ASSIGN_OR_RETURN(Hold h, FromRow(tx, row));
    out.push_back(std::move(h));
  }
  return out;
}

core::Result<HeldSet> HoldStore::Covered(storage::Transaction& tx,
                                         const QueryMatcher& matcher) const {
  HeldSet held;
  ASSIGN_OR_RETURN(held.conversations, sql::HeldConversations(tx));
  ASSIGN_OR_RETURN(held.messages, sql::SnapshotHeldMessages(tx));
  if (!matcher) {
    return held;
  }
  ASSIGN_OR_RETURN(std::vector<std::int64_t> queries, sql::ActiveQueryHoldRecords(tx));
  for (const std::int64_t record_id : queries) {
    ASSIGN_OR_RETURN(Json body, RecordBody(tx, *keys_, record_id));
    if (!body.contains("query") || !body.at("query").is_string()) {
      return core::DataLoss("hold record " + std::to_string(record_id) + " has no query");
    }
    auto matches = matcher(tx, body.at("query").get<std::string>());
    if (!matches.has_value()) {
      core::Status s = matches.error();
      s.WithContext("while evaluating the query of hold record " + std::to_string(record_id));
      return s;
    }
    held.messages.insert(matches->begin(), matches->end());
  }
  return held;
}

core::Result<std::int64_t> HoldStore::Covers(storage::Transaction& tx, const Hold& hold,
                                             const QueryMatcher& matcher) const {
  if (!hold.active()) {
    return std::int64_t{0};
  }
  switch (hold.scope) {
    case HoldScope::kPerson: {
      return sql::CountLiveMessagesOfPersonHold(tx, hold.id);
    }
    case HoldScope::kConversation: {
      return sql::CountLiveMessagesInConversation(tx, hold.conversation_id);
    }
    case HoldScope::kQuery: {
      ASSIGN_OR_RETURN(std::vector<std::int64_t> snapshot, sql::LiveSnapshotMessages(tx, hold.id));
      std::set<std::int64_t> ids(snapshot.begin(), snapshot.end());
      if (matcher) {
        ASSIGN_OR_RETURN(std::vector<std::int64_t> now, matcher(tx, hold.query));
        ids.insert(now.begin(), now.end());
      }
      return static_cast<std::int64_t>(ids.size());
    }
  }
  return std::int64_t{0};
}

core::Result<bool> HoldStore::IsHeld(storage::Transaction& tx, const HeldSet& held,
                                     std::int64_t message_id) {
  if (held.empty()) {
    return false;
  }
  ASSIGN_OR_RETURN(std::optional<sql::MessageLinks> self, sql::FindMessageLinks(tx, message_id));
  if (!self) {
    return false;
  }
  if (AnyCovered(held, {{self->id, self->conversation_id}})) {
    return true;
  }
  if (self->target_hash) {
    ASSIGN_OR_RETURN(auto target, sql::MessagesWithIdempotency(tx, *self->target_hash));
    if (AnyCovered(held, target)) {
      return true;
    }
  }
  ASSIGN_OR_RETURN(auto events, sql::MessagesTargeting(tx, self->idem_hash));
  return AnyCovered(held, events);
}

}  // namespace custos::archive
