// SPDX-License-Identifier: Apache-2.0
#include "archive/holds.h"

#include <nlohmann/json.hpp>

#include "archive/payload.h"
#include "core/text.h"

namespace custos::archive {
namespace {

using Json = nlohmann::json;
using storage::Blob;

constexpr std::size_t kMaxNameBytes = 200;

constexpr std::string_view kHoldSelect =
    "SELECT id, record_id, scope, conversation_id, created_at, released_at, release_record_id"
    " FROM holds";

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

// The messages covered by `held` among `rows` of (id, conversation_id).
bool AnyCovered(const HeldSet& held, const std::vector<storage::Row>& rows) {
  for (const storage::Row& r : rows) {
    if (held.messages.count(r.Int(0)) > 0 || held.conversations.count(r.Int(1)) > 0) {
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
  ASSIGN_OR_RETURN(auto max, tx.Query("SELECT COALESCE(MAX(id), 0) FROM holds"));
  h.id = max[0].Int(0) + 1;
  CanonicalValue::Object body = {
      {"hold_id", h.id}, {"name", h.name}, {"scope", std::string(HoldScopeName(h.scope))}};
  storage::Value person_hash;
  storage::Value conversation;
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
      person_hash = Blob{IdentityHash(*keys_, h.person)};
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
      ASSIGN_OR_RETURN(
          auto rows, tx.Query("SELECT id FROM conversations WHERE id = ?", {spec.conversation_id}));
      if (rows.empty()) {
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
  RETURN_IF_ERROR(tx.Execute(
      "INSERT INTO holds (id, record_id, scope, person_hash, conversation_id,"
      " created_at) VALUES (?, ?, ?, ?, ?, ?)",
      {h.id, h.record_id, std::string(HoldScopeName(h.scope)), person_hash, conversation, at}));
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
    RETURN_IF_ERROR(tx.Execute("INSERT INTO hold_identities (hold_id, identity_hash) VALUES (?, ?)",
                               {h.id, Blob{hash}}));
  }
  if (spec.scope == HoldScope::kQuery) {
    for (std::int64_t id : std::set<std::int64_t>(snapshot.begin(), snapshot.end())) {
      RETURN_IF_ERROR(
          tx.Execute("INSERT INTO hold_messages (hold_id, message_id) VALUES (?, ?)", {h.id, id}));
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
  RETURN_IF_ERROR(
      tx.Execute("UPDATE holds SET released_at = ?, release_record_id = ? WHERE id = ? AND"
                 " released_at IS NULL",
                 {at, record_id, id}));
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
  ASSIGN_OR_RETURN(auto rows, tx.Query(std::string(kHoldSelect) + " WHERE id = ?", {id}));
  if (rows.empty()) {
    return std::optional<Hold>();
  }
  ASSIGN_OR_RETURN(Hold h, FromRow(tx, rows[0]));
  return std::optional<Hold>(std::move(h));
}

core::Result<std::vector<Hold>> HoldStore::List(storage::Transaction& tx) const {
  ASSIGN_OR_RETURN(auto rows, tx.Query(std::string(kHoldSelect) + " ORDER BY id"));
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
  ASSIGN_OR_RETURN(auto conversations,
                   tx.Query("SELECT conversation_id FROM holds WHERE released_at IS NULL AND"
                            " scope = 'conversation'"
                            " UNION SELECT p.conversation_id FROM conversation_participants p"
                            " JOIN holds h ON h.person_hash = p.identity_hash"
                            " WHERE h.released_at IS NULL AND h.scope = 'person'"
                            " UNION SELECT p.conversation_id FROM conversation_participants p"
                            " JOIN hold_identities i ON i.identity_hash = p.identity_hash"
                            " JOIN holds h ON h.id = i.hold_id"
                            " WHERE h.released_at IS NULL AND h.scope = 'person'"));
  for (const storage::Row& r : conversations) {
    held.conversations.insert(r.Int(0));
  }
  ASSIGN_OR_RETURN(auto snapshot, tx.Query("SELECT m.message_id FROM hold_messages m JOIN holds h"
                                           " ON h.id = m.hold_id WHERE h.released_at IS NULL"));
  for (const storage::Row& r : snapshot) {
    held.messages.insert(r.Int(0));
  }
  if (!matcher) {
    return held;
  }
  ASSIGN_OR_RETURN(auto queries, tx.Query("SELECT record_id FROM holds WHERE released_at IS NULL"
                                          " AND scope = 'query' ORDER BY id"));
  for (const storage::Row& r : queries) {
    ASSIGN_OR_RETURN(Json body, RecordBody(tx, *keys_, r.Int(0)));
    if (!body.contains("query") || !body.at("query").is_string()) {
      return core::DataLoss("hold record " + std::to_string(r.Int(0)) + " has no query");
    }
    auto matches = matcher(tx, body.at("query").get<std::string>());
    if (!matches.has_value()) {
      core::Status s = matches.error();
      s.WithContext("while evaluating the query of hold record " + std::to_string(r.Int(0)));
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
  constexpr std::string_view kLive =
      "SELECT COUNT(*) FROM messages m JOIN records r ON r.id = m.record_id"
      " WHERE r.payload IS NOT NULL AND ";
  switch (hold.scope) {
    case HoldScope::kPerson: {
      ASSIGN_OR_RETURN(
          auto rows,
          tx.Query(std::string(kLive) +
                       "m.conversation_id IN (SELECT p.conversation_id FROM"
                       " conversation_participants p JOIN hold_identities i ON"
                       " i.identity_hash = p.identity_hash WHERE i.hold_id = ?1"
                       " UNION SELECT p.conversation_id FROM conversation_participants p JOIN"
                       " holds h ON h.person_hash = p.identity_hash WHERE h.id = ?1)",
                   {hold.id}));
      return rows[0].Int(0);
    }
    case HoldScope::kConversation: {
      ASSIGN_OR_RETURN(auto rows, tx.Query(std::string(kLive) + "m.conversation_id = ?",
                                           {hold.conversation_id}));
      return rows[0].Int(0);
    }
    case HoldScope::kQuery: {
      std::set<std::int64_t> ids;
      ASSIGN_OR_RETURN(auto snapshot, tx.Query("SELECT h.message_id FROM hold_messages h JOIN"
                                               " messages m ON m.id = h.message_id JOIN records r"
                                               " ON r.id = m.record_id WHERE h.hold_id = ? AND"
                                               " r.payload IS NOT NULL",
                                               {hold.id}));
      for (const storage::Row& r : snapshot) {
        ids.insert(r.Int(0));
      }
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
  ASSIGN_OR_RETURN(auto self, tx.Query("SELECT id, conversation_id, idem_hash, target_hash"
                                       " FROM messages WHERE id = ?",
                                       {message_id}));
  if (self.empty()) {
    return false;
  }
  if (AnyCovered(held, self)) {
    return true;
  }
  if (!self[0].IsNull(3)) {
    ASSIGN_OR_RETURN(auto target, tx.Query("SELECT id, conversation_id FROM messages"
                                           " WHERE idem_hash = ?",
                                           {Blob{self[0].Text(3)}}));
    if (AnyCovered(held, target)) {
      return true;
    }
  }
  ASSIGN_OR_RETURN(auto events, tx.Query("SELECT id, conversation_id FROM messages"
                                         " WHERE target_hash = ?",
                                         {Blob{self[0].Text(2)}}));
  return AnyCovered(held, events);
}

}  // namespace custos::archive
