// SPDX-License-Identifier: Apache-2.0
#include "archive/access.h"

#include <set>

#include "archive/records.h"
#include "archive/sql/access.h"
#include "core/text.h"

namespace custos::archive {
namespace {

CanonicalValue::Array Strings(const std::vector<std::string>& values) {
  CanonicalValue::Array out;
  out.reserve(values.size());
  for (const std::string& v : values) {
    out.emplace_back(v);
  }
  return out;
}

CanonicalValue::Array Ints(const std::vector<std::int64_t>& values) {
  CanonicalValue::Array out;
  out.reserve(values.size());
  for (const std::int64_t v : values) {
    out.emplace_back(v);
  }
  return out;
}

// The members both kinds share.
CanonicalValue::Object Common(const std::string& actor, const std::vector<std::string>& roles,
                              const std::string& client, const std::string& request_id,
                              core::Micros at) {
  CanonicalValue::Object body;
  body["actor"] = actor;
  body["roles"] = Strings(roles);
  body["client"] = client;
  body["read_at"] = core::FormatRfc3339(at);
  if (!request_id.empty()) {
    body["request_id"] = request_id;
  }
  return body;
}

}  // namespace

std::string_view AccessActorKey(std::string_view actor) {
  const std::size_t paren = actor.find(" (");
  return core::TrimAscii(paren == std::string_view::npos ? actor : actor.substr(0, paren));
}

std::string AccessActorHash(const crypto::KeyRing& keys, std::string_view actor) {
  std::string input = "access-actor\x1f";
  input.append(AccessActorKey(actor));
  return keys.IndexHash(input);
}

CanonicalValue::Object AccessBody(const AccessEntry& e) {
  CanonicalValue::Object body = Common(e.actor, e.roles, e.client, e.request_id, e.at);
  body["action"] = e.action;
  body["message_ids"] = Ints(e.message_ids);
  body["record_ids"] = Ints(e.record_ids);
  if (!e.purpose.empty()) {
    body["purpose"] = e.purpose;
  }
  if (!e.query.empty()) {
    body["query"] = e.query;
  }
  if (e.results) {
    body["results"] = *e.results;
  }
  if (e.part > 0) {
    body["part"] = e.part;
  }
  return body;
}

CanonicalValue::Object RefusalBody(const RefusalEntry& e) {
  CanonicalValue::Object body = Common(e.actor, e.roles, e.client, e.request_id, e.at);
  body["route"] = e.route;
  body["permission"] = e.permission;
  if (!e.reason.empty()) {
    body["reason"] = e.reason;
  }
  return body;
}

core::Result<std::vector<std::int64_t>> AppendAccessRecords(
    storage::Transaction& tx, const crypto::KeyRing& keys, core::Micros commit_at,
    const std::vector<AccessEntry>& reads, const std::vector<RefusalEntry>& refusals) {
  std::vector<std::int64_t> ids;
  if (reads.empty() && refusals.empty()) {
    return ids;
  }
  ASSIGN_OR_RETURN(RecordAppender records, RecordAppender::Begin(tx, keys));
  for (const AccessEntry& e : reads) {
    if (e.message_ids.size() != e.record_ids.size()) {
      return core::InvalidArgument("access record: message_ids and record_ids differ in length");
    }
    if (e.message_ids.size() > kMaxAccessReads) {
      return core::InvalidArgument("access record: more than " + std::to_string(kMaxAccessReads) +
                                   " records read");
    }
    ASSIGN_OR_RETURN(const std::int64_t id, records.Append("access", commit_at, AccessBody(e)));
    RETURN_IF_ERROR(sql::InsertAccessLog(tx, id, "access", AccessActorHash(keys, e.actor), e.action,
                                         e.at, static_cast<std::int64_t>(e.record_ids.size())));
    for (std::size_t i = 0; i < e.record_ids.size(); ++i) {
      RETURN_IF_ERROR(sql::InsertAccessRead(tx, e.record_ids[i], id, e.message_ids[i]));
    }
    ids.push_back(id);
  }
  for (const RefusalEntry& e : refusals) {
    ASSIGN_OR_RETURN(const std::int64_t id,
                     records.Append("access_refused", commit_at, RefusalBody(e)));
    RETURN_IF_ERROR(sql::InsertAccessLog(tx, id, "access_refused", AccessActorHash(keys, e.actor),
                                         e.route, e.at, 0));
    ids.push_back(id);
  }
  return ids;
}

core::Result<AccessListing> ListAccess(storage::Transaction& tx, const crypto::KeyRing& keys,
                                       const AccessQuery& query) {
  sql::AccessFilter f;
  if (query.actor) {
    f.actor_hash = AccessActorHash(keys, *query.actor);
  }
  f.since = query.since;
  f.until = query.until;
  f.read_record = query.read_record;
  f.message_id = query.message_id;
  f.include_refusals = query.include_refusals && !query.read_record && !query.message_id;
  f.before_record = query.before_record;
  f.limit = query.limit + 1;
  ASSIGN_OR_RETURN(std::vector<storage::Row> rows, sql::FindAccessRows(tx, f));
  AccessListing out;
  for (const storage::Row& r : rows) {
    if (out.items.size() == static_cast<std::size_t>(query.limit)) {
      out.next_before = out.items.back().record_id;
      break;
    }
    AccessListItem item;
    item.record_id = r.Int(0);
    item.log_index = static_cast<std::uint64_t>(item.record_id - 1);
    item.kind = r.Text(1);
    item.at = r.Int(2);
    ASSIGN_OR_RETURN(item.canonical, ReadCanonical(tx, keys, item.record_id));
    out.items.push_back(std::move(item));
  }
  return out;
}

}  // namespace custos::archive
