// SPDX-License-Identifier: Apache-2.0
#include "archive/verdicts.h"

#include <set>

#include <nlohmann/json.hpp>

#include "archive/canonical.h"
#include "archive/records.h"
#include "archive/sql/verdicts.h"
#include "core/text.h"
#include "crypto/crypto.h"

namespace custos::archive {
namespace {

using Array = CanonicalValue::Array;
using Object = CanonicalValue::Object;

Object EvidenceBody(const StoredEvidence& e) {
  Object o{{"begin", e.begin},
           {"end", e.end},
           {"masked", e.masked},
           {"source", e.source},
           {"text", e.text}};
  if (!e.view.empty()) {
    o.emplace("view", e.view);
  }
  if (!e.confidence.empty()) {
    o.emplace("confidence", e.confidence);
  }
  return o;
}

Object VerdictBody(const VerdictEntry& v) {
  Array hits;
  for (const StoredHit& h : v.hits) {
    Array evidence;
    for (const StoredEvidence& e : h.evidence) {
      evidence.emplace_back(EvidenceBody(e));
    }
    hits.emplace_back(Object{{"action", h.action},
                             {"clause", h.clause},
                             {"evidence", std::move(evidence)},
                             {"rule", h.rule},
                             {"severity", h.severity}});
  }
  return Object{
      {"action", v.action},         {"blocked", v.blocked},           {"hits", std::move(hits)},
      {"message_id", v.message_id}, {"pack_version", v.pack_version}, {"severity", v.severity}};
}

std::string JoinRules(const VerdictEntry& v) {
  std::string out;
  for (const StoredHit& h : v.hits) {
    if (!out.empty()) {
      out.push_back(' ');
    }
    out += h.rule;
  }
  return out;
}

// The "body" member of a record's canonical bytes.
core::Result<nlohmann::json> RecordBody(storage::Transaction& tx, const crypto::KeyRing& keys,
                                        std::int64_t record_id) {
  ASSIGN_OR_RETURN(std::string bytes, ReadCanonical(tx, keys, record_id));
  nlohmann::json record = nlohmann::json::parse(bytes, nullptr, /*allow_exceptions=*/false);
  if (!record.is_object() || !record.contains("body") || !record["body"].is_object()) {
    return core::DataLoss("record " + std::to_string(record_id) + " has no body");
  }
  return std::move(record["body"]);
}

}  // namespace

core::Result<std::vector<std::int64_t>> AppendVerdicts(storage::Transaction& tx,
                                                       const crypto::KeyRing& keys, core::Micros at,
                                                       const std::vector<VerdictEntry>& entries) {
  std::vector<std::int64_t> ids;
  if (entries.empty()) {
    return ids;
  }
  ASSIGN_OR_RETURN(RecordAppender records, RecordAppender::Begin(tx, keys));
  for (const VerdictEntry& v : entries) {
    ASSIGN_OR_RETURN(const std::int64_t record_id, records.Append("verdict", at, VerdictBody(v)));
    RETURN_IF_ERROR(sql::InsertVerdictRow(tx, v, record_id, JoinRules(v), at));
    ids.push_back(record_id);
  }
  return ids;
}

core::Result<std::optional<VerdictSummary>> GetVerdictSummary(storage::Transaction& tx,
                                                              std::int64_t message_id) {
  return sql::FindVerdictSummary(tx, message_id);
}

core::Result<std::optional<std::string>> ReadVerdictJson(storage::Transaction& tx,
                                                         const crypto::KeyRing& keys,
                                                         std::int64_t message_id) {
  ASSIGN_OR_RETURN(std::optional<VerdictSummary> summary, GetVerdictSummary(tx, message_id));
  if (!summary) {
    return std::optional<std::string>();
  }
  ASSIGN_OR_RETURN(nlohmann::json body, RecordBody(tx, keys, summary->record_id));
  return std::optional<std::string>(body.dump());
}

core::Result<VerdictList> ListVerdicts(storage::Transaction& tx, const VerdictFilter& filter,
                                       std::optional<std::pair<core::Micros, std::int64_t>> after,
                                       int limit) {
  ASSIGN_OR_RETURN(std::vector<VerdictListItem> items,
                   sql::FindVerdicts(tx, filter, after, static_cast<std::int64_t>(limit) + 1));
  VerdictList list;
  for (VerdictListItem& item : items) {
    if (list.items.size() == static_cast<std::size_t>(limit)) {
      const VerdictListItem& last = list.items.back();
      list.next = std::make_pair(last.sent_at, last.summary.message_id);
      break;
    }
    list.items.push_back(std::move(item));
  }
  return list;
}

core::Result<std::string> ReadVerdictRecordJson(storage::Transaction& tx,
                                                const crypto::KeyRing& keys,
                                                std::int64_t record_id) {
  ASSIGN_OR_RETURN(nlohmann::json body, RecordBody(tx, keys, record_id));
  return body.dump();
}

core::Result<std::vector<std::string>> RecordedRules(storage::Transaction& tx) {
  std::set<std::string> rules;
  ASSIGN_OR_RETURN(std::vector<std::string> lists, sql::DistinctRuleLists(tx));
  for (const std::string& list : lists) {
    for (std::string_view r : core::Split(list, ' ')) {
      if (!r.empty()) {
        rules.emplace(r);
      }
    }
  }
  return std::vector<std::string>(rules.begin(), rules.end());
}

core::Result<std::int64_t> AppendPolicyPack(storage::Transaction& tx, const crypto::KeyRing& keys,
                                            core::Micros at, const PackRecord& pack) {
  Array files;
  for (const PackFileContent& f : pack.files) {
    files.emplace_back(Object{{"content", f.content},
                              {"path", f.path},
                              {"sha256", core::HexEncode(crypto::Sha256(f.content))},
                              {"size", static_cast<std::int64_t>(f.content.size())}});
  }
  ASSIGN_OR_RETURN(RecordAppender records, RecordAppender::Begin(tx, keys));
  ASSIGN_OR_RETURN(const std::int64_t record_id, records.Append("policy_pack", at,
                                                                Object{{"actor", pack.actor},
                                                                       {"files", std::move(files)},
                                                                       {"origin", pack.origin},
                                                                       {"version", pack.version}}));
  RETURN_IF_ERROR(sql::InsertPolicyPackRow(tx, record_id, pack.version, at));
  return record_id;
}

core::Result<std::optional<AppliedPack>> LatestPolicyPack(storage::Transaction& tx) {
  return sql::FindLatestPolicyPack(tx);
}

core::Result<std::vector<PackFileContent>> ReadPolicyPackFiles(storage::Transaction& tx,
                                                               const crypto::KeyRing& keys,
                                                               std::int64_t record_id) {
  ASSIGN_OR_RETURN(nlohmann::json body, RecordBody(tx, keys, record_id));
  std::vector<PackFileContent> files;
  if (!body.contains("files") || !body["files"].is_array()) {
    return core::DataLoss("record " + std::to_string(record_id) + " is not a policy pack");
  }
  for (const nlohmann::json& f : body["files"]) {
    if (!f.is_object() || !f.contains("path") || !f.contains("content") || !f["path"].is_string() ||
        !f["content"].is_string()) {
      return core::DataLoss("record " + std::to_string(record_id) + " has a malformed file entry");
    }
    files.push_back({f["path"].get<std::string>(), f["content"].get<std::string>()});
  }
  return files;
}

}  // namespace custos::archive
