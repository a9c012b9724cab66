// SPDX-License-Identifier: Apache-2.0
#include "archive/sql/verdicts.h"

#include "core/text.h"

namespace custos::archive::sql {
namespace {

std::vector<std::string> SplitRules(const std::string& joined) {
  std::vector<std::string> rules;
  for (std::string_view rule : core::Split(joined, ' ')) {
    if (!rule.empty()) {
      rules.emplace_back(rule);
    }
  }
  return rules;
}

// Columns 0..6 of a verdicts row as selected below.
VerdictSummary SummaryOf(const storage::Row& row) {
  VerdictSummary s;
  s.message_id = row.Int(0);
  s.record_id = row.Int(1);
  s.action = row.Text(2);
  s.severity = row.Text(3);
  s.blocked = row.Int(4) != 0;
  s.pack_version = row.Text(5);
  s.rules = SplitRules(row.Text(6));
  return s;
}

}  // namespace

core::Status InsertVerdictRow(storage::Transaction& tx, const VerdictEntry& v,
                              std::int64_t record_id, const std::string& rules, core::Micros at) {
  return tx.Execute(
      "INSERT INTO verdicts (message_id, record_id, action, severity, blocked, pack_version,"
      " rules, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      {v.message_id, record_id, v.action, v.severity, std::int64_t{v.blocked ? 1 : 0},
       v.pack_version, rules, at});
}

core::Result<std::optional<VerdictSummary>> FindVerdictSummary(storage::Transaction& tx,
                                                               std::int64_t message_id) {
  ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT message_id, record_id, action, severity, blocked,"
                                       " pack_version, rules FROM verdicts WHERE message_id = ?",
                                       {message_id}));
  if (rows.empty()) {
    return std::optional<VerdictSummary>();
  }
  return std::optional<VerdictSummary>(SummaryOf(rows[0]));
}

core::Result<std::vector<VerdictListItem>> FindVerdicts(
    storage::Transaction& tx, const VerdictFilter& filter,
    std::optional<std::pair<core::Micros, std::int64_t>> after, std::int64_t limit) {
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
      return std::vector<VerdictListItem>();
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
  params.emplace_back(limit);
  ASSIGN_OR_RETURN(auto rows, tx.Query(sql, params));
  std::vector<VerdictListItem> items;
  items.reserve(rows.size());
  for (const storage::Row& row : rows) {
    VerdictListItem item;
    item.summary = SummaryOf(row);
    item.conversation_id = row.Int(7);
    item.channel = row.Text(8);
    item.direction = row.Text(9);
    item.sent_at = row.Int(10);
    items.push_back(std::move(item));
  }
  return items;
}

core::Result<std::vector<std::string>> DistinctRuleLists(storage::Transaction& tx) {
  std::vector<std::string> out;
  RETURN_IF_ERROR(
      tx.QueryEach("SELECT DISTINCT rules FROM verdicts", {}, [&](const storage::Row& row) {
        out.push_back(row.Text(0));
        return true;
      }));
  return out;
}

core::Result<std::optional<std::int64_t>> FindVerdictRecordId(storage::Transaction& tx,
                                                              std::int64_t message_id) {
  ASSIGN_OR_RETURN(auto rows,
                   tx.Query("SELECT record_id FROM verdicts WHERE message_id = ?", {message_id}));
  if (rows.empty()) {
    return std::optional<std::int64_t>();
  }
  return std::optional<std::int64_t>(rows[0].Int(0));
}

core::Status InsertPolicyPackRow(storage::Transaction& tx, std::int64_t record_id,
                                 const std::string& version, core::Micros applied_at) {
  return tx.Execute("INSERT INTO policy_packs (record_id, version, applied_at) VALUES (?, ?, ?)",
                    {record_id, version, applied_at});
}

core::Result<std::optional<AppliedPack>> FindLatestPolicyPack(storage::Transaction& tx) {
  ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT record_id, version, applied_at FROM policy_packs"
                                       " ORDER BY id DESC LIMIT 1"));
  if (rows.empty()) {
    return std::optional<AppliedPack>();
  }
  return std::optional<AppliedPack>(AppliedPack{rows[0].Int(0), rows[0].Text(1), rows[0].Int(2)});
}

}  // namespace custos::archive::sql
