// SPDX-License-Identifier: Apache-2.0
#include "archive/retention.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "archive/attachment_store.h"
#include "archive/payload.h"
#include "archive/sql/retention.h"
#include "archive/verdicts.h"
#include "core/text.h"
#include "crypto/crypto.h"

namespace custos::archive {
namespace {

constexpr std::int64_t kScanChunk = 1000;
constexpr std::string_view kReason = "retention period expired";

bool Contains(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

bool Intersects(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  return std::any_of(a.begin(), a.end(), [&](const std::string& x) { return Contains(b, x); });
}

}  // namespace

RuleLookup ArchivedVerdictLookup(const crypto::KeyRing* keys, bool per_hit) {
  return [keys, per_hit](storage::Transaction& tx,
                         std::int64_t message_id) -> core::Result<VerdictFacts> {
    VerdictFacts facts;
    ASSIGN_OR_RETURN(std::optional<VerdictSummary> summary, GetVerdictSummary(tx, message_id));
    if (!summary) {
      return facts;
    }
    facts.rules = summary->rules;
    facts.severities = {summary->severity};
    facts.actions = {summary->action};
    if (!per_hit) {
      return facts;
    }
    ASSIGN_OR_RETURN(std::optional<std::string> body, ReadVerdictJson(tx, *keys, message_id));
    const nlohmann::json j = body ? nlohmann::json::parse(*body, nullptr, false) : nlohmann::json();
    if (!j.is_object() || !j.contains("hits") || !j["hits"].is_array()) {
      return core::DataLoss("the verdict record of message " + std::to_string(message_id) +
                            " has no hits");
    }
    for (const nlohmann::json& hit : j["hits"]) {
      if (!hit.is_object()) {
        continue;
      }
      if (hit.contains("severity") && hit["severity"].is_string()) {
        facts.severities.push_back(hit["severity"].get<std::string>());
      }
      if (hit.contains("action") && hit["action"].is_string()) {
        facts.actions.push_back(hit["action"].get<std::string>());
      }
    }
    return facts;
  };
}

Retention::Retention(const crypto::KeyRing* keys, RetentionPolicy policy, RuleLookup rules)
    : keys_(keys), policy_(std::move(policy)), rules_(std::move(rules)) {
  for (const auto& [desk, handles] : policy_.desks) {
    for (const std::string& handle : handles) {
      std::vector<std::string>& desks = desks_of_identity_[IdentityHash(*keys_, handle)];
      if (!Contains(desks, desk)) {
        desks.push_back(desk);
      }
    }
  }
  latest_cutoff_ = policy_.default_class.cutoff;
  for (const RetentionClass& c : policy_.classes) {
    latest_cutoff_ = std::max(latest_cutoff_, c.cutoff);
  }
}

core::Result<const RetentionClass*> Retention::ClassOf(
    storage::Transaction& tx, std::int64_t message_id, std::int64_t conversation_id,
    const std::string& channel,
    std::map<std::int64_t, std::vector<std::string>>* desks_by_conversation) const {
  const RetentionClass* best = nullptr;
  std::optional<VerdictFacts> verdict;
  for (const RetentionClass& c : policy_.classes) {
    if (!c.channels.empty() && !Contains(c.channels, channel)) {
      continue;
    }
    if (!c.desks.empty()) {
      auto it = desks_by_conversation->find(conversation_id);
      if (it == desks_by_conversation->end()) {
        std::vector<std::string> desks;
        ASSIGN_OR_RETURN(std::vector<std::string> participants,
                         sql::ParticipantHashes(tx, conversation_id));
        for (const std::string& identity : participants) {
          if (auto d = desks_of_identity_.find(identity); d != desks_of_identity_.end()) {
            desks.insert(desks.end(), d->second.begin(), d->second.end());
          }
        }
        it = desks_by_conversation->emplace(conversation_id, std::move(desks)).first;
      }
      if (!Intersects(c.desks, it->second)) {
        continue;
      }
    }
    if (!c.rules.empty() || !c.severities.empty() || !c.actions.empty()) {
      if (!rules_) {
        continue;
      }
      if (!verdict) {
        ASSIGN_OR_RETURN(verdict, rules_(tx, message_id));
      }
      if ((!c.rules.empty() && !Intersects(c.rules, verdict->rules)) ||
          (!c.severities.empty() && !Intersects(c.severities, verdict->severities)) ||
          (!c.actions.empty() && !Intersects(c.actions, verdict->actions))) {
        continue;
      }
    }
    if (best == nullptr || c.cutoff < best->cutoff) {
      best = &c;  // the longest period wins; among equals, the first listed
    }
  }
  return best != nullptr ? best : &policy_.default_class;
}

core::Result<ExpiredScan> Retention::FindExpired(storage::Transaction& tx, const HeldSet& held,
                                                 std::optional<PageCursor> after, int limit) const {
  ExpiredScan scan;
  std::map<std::int64_t, std::vector<std::string>> desks_by_conversation;
  std::optional<PageCursor> cursor = after;
  while (scan.items.size() < static_cast<std::size_t>(limit)) {
    ASSIGN_OR_RETURN(std::vector<Expired> rows,
                     sql::LiveMessagesBefore(tx, latest_cutoff_, cursor, kScanChunk));
    for (Expired& e : rows) {
      cursor = PageCursor{e.sent_at, e.message_id};
      ASSIGN_OR_RETURN(const RetentionClass* c, ClassOf(tx, e.message_id, e.conversation_id,
                                                        e.channel, &desks_by_conversation));
      if (e.sent_at >= c->cutoff) {
        continue;
      }
      ASSIGN_OR_RETURN(const bool is_held, HoldStore::IsHeld(tx, held, e.message_id));
      if (is_held) {
        continue;
      }
      e.class_name = c->name;
      e.legal_basis = c->legal_basis;
      e.period = c->period;
      scan.items.push_back(std::move(e));
      if (scan.items.size() == static_cast<std::size_t>(limit)) {
        scan.next = cursor;
        return scan;
      }
    }
    if (rows.size() < static_cast<std::size_t>(kScanChunk)) {
      break;
    }
  }
  return scan;
}

namespace {

// Appends `v` with its type and length, so that no two rows serialise alike.
void AppendValue(const storage::Value& v, std::string* out) {
  std::string bytes;
  char tag = 'N';
  if (const auto* i = std::get_if<std::int64_t>(&v)) {
    tag = 'I';
    bytes = std::to_string(*i);
  } else if (const auto* d = std::get_if<double>(&v)) {
    tag = 'R';
    bytes = std::to_string(*d);
  } else if (const auto* t = std::get_if<std::string>(&v)) {
    tag = 'T';
    bytes = *t;
  } else if (const auto* b = std::get_if<storage::Blob>(&v)) {
    tag = 'B';
    bytes = b->bytes;
  }
  out->push_back(tag);
  out->append(std::to_string(bytes.size()));
  out->push_back(':');
  out->append(bytes);
}

void AppendRows(const std::vector<storage::Row>& rows, std::string* out) {
  out->append(std::to_string(rows.size()));
  for (const storage::Row& row : rows) {
    out->push_back('|');
    for (std::size_t c = 0; c < row.size(); ++c) {
      AppendValue(row.Get(c), out);
    }
  }
}

}  // namespace

core::Result<std::string> DisposedRowsDigest(storage::Transaction& tx, std::int64_t record_id) {
  std::string data = "custos disposed rows v1\n";
  ASSIGN_OR_RETURN(sql::DisposedRows rows, sql::RowsOfRecord(tx, record_id));
  AppendRows(rows.record, &data);
  AppendRows(rows.message, &data);
  AppendRows(rows.verdict, &data);
  return core::HexEncode(crypto::Sha256(data));
}

// Destroys record `record_id`'s sealed bytes and data key and appends its `disposition`
// record (and `dispositions` row) on behalf of `item`; returns the disposition record's id.
core::Result<std::int64_t> Retention::ShredRecord(storage::Transaction& tx, RecordAppender& records,
                                                  const Expired& item, std::int64_t record_id,
                                                  core::Micros at) const {
  ASSIGN_OR_RETURN(std::optional<RecordInfo> info, GetRecordInfo(tx, record_id));
  if (!info) {
    return core::NotFound("no record " + std::to_string(record_id));
  }
  RETURN_IF_ERROR(sql::ShredRecordPayload(tx, record_id, at));
  CanonicalValue::Object body = {
      {"channel", item.channel},
      {"class", item.class_name},
      {"event", item.kind},
      {"leaf_hash", core::HexEncode(info->leaf_hash)},
      {"legal_basis", item.legal_basis},
      {"message_id", item.message_id},
      {"period", item.period},
      {"reason", std::string(kReason)},
      {"record_id", record_id},
      {"record_kind", info->kind},
      {"sent_at", core::FormatRfc3339(item.sent_at)},
  };
  ASSIGN_OR_RETURN(std::string rows_digest, DisposedRowsDigest(tx, record_id));
  body.emplace("rows_sha256", std::move(rows_digest));
  ASSIGN_OR_RETURN(const std::int64_t disposition, records.Append("disposition", at, body));
  RETURN_IF_ERROR(
      sql::InsertDisposition(tx, record_id, disposition, item.message_id, item.class_name, at));
  return disposition;
}

core::Status Retention::Dispose(storage::Transaction& tx, RecordAppender& records, Expired* item,
                                core::Micros at, const IndexRemover& remove_from_index) const {
  ASSIGN_OR_RETURN(std::string bytes, ReadCanonical(tx, *keys_, item->record_id));
  ASSIGN_OR_RETURN(model::Message m, DecodeMessageRecord(bytes));
  m.id = item->message_id;
  m.conversation_id = item->conversation_id;
  if (remove_from_index) {
    RETURN_IF_ERROR(remove_from_index(tx, m));
  }
  ASSIGN_OR_RETURN(item->disposition_record_id,
                   ShredRecord(tx, records, *item, item->record_id, at));
  RETURN_IF_ERROR(ShredUnreferencedAttachments(tx, item->message_id, at).status());
  // The message's policy verdict quotes its text (evidence): it goes with the message. Its
  // index row (action, severity, rule ids; no text) stays, as the leaf does.
  ASSIGN_OR_RETURN(std::vector<std::int64_t> verdicts,
                   sql::LiveVerdictRecordIds(tx, item->message_id));
  for (const std::int64_t verdict_record_id : verdicts) {
    ASSIGN_OR_RETURN(item->verdict_disposition_record_id,
                     ShredRecord(tx, records, *item, verdict_record_id, at));
  }
  return core::Status::Ok();
}

}  // namespace custos::archive
