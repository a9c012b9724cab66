// SPDX-License-Identifier: Apache-2.0
#include "archive/verdicts.h"

#include <set>

#include <nlohmann/json.hpp>

#include "archive/canonical.h"
#include "archive/records.h"
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
    RETURN_IF_ERROR(tx.Execute(
        "INSERT INTO verdicts (message_id, record_id, action, severity, blocked, pack_version,"
        " rules, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        {v.message_id, record_id, v.action, v.severity, std::int64_t{v.blocked ? 1 : 0},
         v.pack_version, JoinRules(v), at}));
    ids.push_back(record_id);
  }
  return ids;
}

core::Result<std::optional<VerdictSummary>> GetVerdictSummary(storage::Transaction& tx,
                                                              std::int64_t message_id) {
  ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT message_id, record_id, action, severity, blocked,"
                                       " pack_version, rules FROM verdicts WHERE message_id = ?",
                                       {message_id}));
  if (rows.empty()) {
    return std::optional<VerdictSummary>();
  }
  VerdictSummary s;
  s.message_id = rows[0].Int(0);
  s.record_id = rows[0].Int(1);
  s.action = rows[0].Text(2);
  s.severity = rows[0].Text(3);
  s.blocked = rows[0].Int(4) != 0;
  s.pack_version = rows[0].Text(5);
  for (std::string_view rule : core::Split(rows[0].Text(6), ' ')) {
    if (!rule.empty()) {
      s.rules.emplace_back(rule);
    }
  }
  return std::optional<VerdictSummary>(std::move(s));
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
  std::string sql =
      "SELECT v.message_id, v.record_id, v.action, v.severity, v.blocked, v.pack_version, v.rules,"
      " m.conversation_id, m.channel, m.direction, m.sent_at FROM verdicts v"
      " JOIN messages m ON m.id = v.message_id WHERE 1 = 1";
  std::vector<storage::Value> params;
  if (filter.rule) {
    sql += " AND instr(' ' || v.rules || ' ', ?) > 0";
    params.emplace_back(" " + *filter.rule + " ");
  }
  if (filter.severity) {
    sql += " AND v.severity = ?";
    params.emplace_back(*filter.severity);
  }
  if (filter.action) {
    sql += " AND v.action = ?";
    params.emplace_back(*filter.action);
  }
  if (filter.channel) {
    sql += " AND m.channel = ?";
    params.emplace_back(*filter.channel);
  }
  if (filter.sender_hashes) {
    if (filter.sender_hashes->empty()) {
      return VerdictList{};
    }
    sql += " AND m.sender_hash IN (";
    for (std::size_t i = 0; i < filter.sender_hashes->size(); ++i) {
      sql += i > 0 ? ", ?" : "?";
      params.emplace_back(storage::Blob{(*filter.sender_hashes)[i]});
    }
    sql += ")";
  }
  if (filter.since) {
    sql += " AND m.sent_at >= ?";
    params.emplace_back(*filter.since);
  }
  if (filter.until) {
    sql += " AND m.sent_at < ?";
    params.emplace_back(*filter.until);
  }
  if (after) {
    sql += " AND (m.sent_at < ? OR (m.sent_at = ? AND m.id < ?))";
    params.emplace_back(after->first);
    params.emplace_back(after->first);
    params.emplace_back(after->second);
  }
  sql += " ORDER BY m.sent_at DESC, m.id DESC LIMIT ?";
  params.emplace_back(static_cast<std::int64_t>(limit) + 1);
  ASSIGN_OR_RETURN(auto rows, tx.Query(sql, params));
  VerdictList list;
  for (const storage::Row& row : rows) {
    if (list.items.size() == static_cast<std::size_t>(limit)) {
      const VerdictListItem& last = list.items.back();
      list.next = std::make_pair(last.sent_at, last.summary.message_id);
      break;
    }
    VerdictListItem item;
    item.summary.message_id = row.Int(0);
    item.summary.record_id = row.Int(1);
    item.summary.action = row.Text(2);
    item.summary.severity = row.Text(3);
    item.summary.blocked = row.Int(4) != 0;
    item.summary.pack_version = row.Text(5);
    for (std::string_view rule : core::Split(row.Text(6), ' ')) {
      if (!rule.empty()) {
        item.summary.rules.emplace_back(rule);
      }
    }
    item.conversation_id = row.Int(7);
    item.channel = row.Text(8);
    item.direction = row.Text(9);
    item.sent_at = row.Int(10);
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
  RETURN_IF_ERROR(
      tx.QueryEach("SELECT DISTINCT rules FROM verdicts", {}, [&](const storage::Row& row) {
        for (std::string_view r : core::Split(row.Text(0), ' ')) {
          if (!r.empty()) {
            rules.emplace(r);
          }
        }
        return true;
      }));
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
  RETURN_IF_ERROR(
      tx.Execute("INSERT INTO policy_packs (record_id, version, applied_at) VALUES (?, ?, ?)",
                 {record_id, pack.version, at}));
  return record_id;
}

core::Result<std::optional<AppliedPack>> LatestPolicyPack(storage::Transaction& tx) {
  ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT record_id, version, applied_at FROM policy_packs"
                                       " ORDER BY id DESC LIMIT 1"));
  if (rows.empty()) {
    return std::optional<AppliedPack>();
  }
  return std::optional<AppliedPack>(AppliedPack{rows[0].Int(0), rows[0].Text(1), rows[0].Int(2)});
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
