// SPDX-License-Identifier: Apache-2.0
#include "app/access_audit.h"

#include <memory>
#include <utility>

#include "core/log.h"
#include "core/text.h"
#include "search/query.h"

namespace custos::app {
namespace {

// An access_refused entry of `who` for `route` at `at` (the caller adds why).
archive::RefusalEntry RefusalOf(const AccessContext& who, std::string route, core::Micros at) {
  archive::RefusalEntry e;
  e.actor = who.actor;
  e.roles = who.roles;
  e.route = std::move(route);
  e.client = who.client;
  e.request_id = who.request_id;
  e.at = at;
  return e;
}

}  // namespace

AccessAudit::AccessAudit(storage::Database* db, const crypto::KeyRing* keys,
                         const core::Clock* clock, IngestService* ingest)
    : db_(db), keys_(keys), clock_(clock), ingest_(ingest) {}

core::Status AccessAudit::Submit(std::vector<archive::AccessEntry> reads,
                                 std::vector<archive::RefusalEntry> refusals, bool wait) {
  if (ingest_ == nullptr) {
    return core::FailedPrecondition(
        "the data directory is open read-only, so this read of message content cannot be "
        "recorded in the access audit");
  }
  const crypto::KeyRing* keys = keys_;
  const core::Clock* clock = clock_;
  auto write = [keys, clock, reads = std::move(reads),
                refusals = std::move(refusals)](storage::Transaction& tx) -> core::Status {
    return archive::AppendAccessRecords(tx, *keys, clock->Now(), reads, refusals).status();
  };
  std::future<core::Status> done = ingest_->SubmitWrite(std::move(write));
  if (!wait) {
    return core::Status::Ok();
  }
  core::Status s = done.get();
  if (!s.ok()) {
    s.WithContext("access audit");
  }
  return s;
}

core::Status AccessAudit::RecordReadIds(
    const AccessContext& who, std::string_view action,
    const std::vector<std::pair<std::int64_t, std::int64_t>>& ids, std::string query,
    std::optional<std::int64_t> results) {
  std::vector<archive::AccessEntry> entries;
  const core::Micros now = clock_->Now();
  const bool split = ids.size() > archive::kMaxAccessReads;
  std::size_t at = 0;
  do {
    archive::AccessEntry e;
    e.actor = who.actor;
    e.roles = who.roles;
    e.action = std::string(action);
    e.client = who.client;
    e.purpose = who.purpose;
    e.request_id = who.request_id;
    const std::size_t end = std::min(ids.size(), at + archive::kMaxAccessReads);
    if (end != ids.size()) {
      e.query = query;  // the last part takes it below
    }
    e.results = results;
    e.at = now;
    e.part = split ? static_cast<std::int64_t>(entries.size()) + 1 : 0;
    for (; at < end; ++at) {
      e.message_ids.push_back(ids[at].first);
      e.record_ids.push_back(ids[at].second);
    }
    entries.push_back(std::move(e));
  } while (at < ids.size());
  entries.back().query = std::move(query);
  return Submit(std::move(entries), {}, /*wait=*/true);
}

core::Status AccessAudit::RecordRead(const AccessContext& who, std::string_view action,
                                     const std::vector<model::Message>& messages, std::string query,
                                     std::optional<std::int64_t> results) {
  std::vector<std::pair<std::int64_t, std::int64_t>> ids;
  ids.reserve(messages.size());
  for (const model::Message& m : messages) {
    ids.emplace_back(m.id, m.record_id);
  }
  return RecordReadIds(who, action, ids, std::move(query), results);
}

core::Status AccessAudit::RecordReadUnbatchedForBench(const AccessContext& who,
                                                      std::string_view action,
                                                      const std::vector<model::Message>& messages,
                                                      std::string query) {
  archive::AccessEntry e;
  e.actor = who.actor;
  e.roles = who.roles;
  e.action = std::string(action);
  e.client = who.client;
  e.query = std::move(query);
  e.results = static_cast<std::int64_t>(messages.size());
  e.at = clock_->Now();
  for (const model::Message& m : messages) {
    e.message_ids.push_back(m.id);
    e.record_ids.push_back(m.record_id);
  }
  ASSIGN_OR_RETURN(auto tx, db_->Begin(storage::TxMode::kWrite));
  RETURN_IF_ERROR(archive::AppendAccessRecords(*tx, *keys_, clock_->Now(), {e}, {}).status());
  return tx->Commit();
}

void AccessAudit::RecordRefusal(const AccessContext& who, std::string route,
                                std::string permission) {
  archive::RefusalEntry e = RefusalOf(who, std::move(route), clock_->Now());
  e.permission = std::move(permission);
  if (core::Status s = Submit({}, {std::move(e)}, /*wait=*/false); !s.ok()) {
    CUSTOS_LOG_WARN("access audit: a refusal was not recorded: {}", s.ToString());
  }
}

void AccessAudit::RecordLoginFailure(const AccessContext& who, std::string route,
                                     std::string reason) {
  archive::RefusalEntry e = RefusalOf(who, std::move(route), clock_->Now());
  e.reason = std::move(reason);
  if (core::Status s = Submit({}, {std::move(e)}, /*wait=*/false); !s.ok()) {
    CUSTOS_LOG_WARN("access audit: a failed login was not recorded: {}", s.ToString());
  }
}

core::Result<archive::AccessListing> AccessAudit::List(const AccessListQuery& q) const {
  if (q.limit < 1 || q.limit > 1000) {
    return core::InvalidArgument("limit: must be from 1 to 1000");
  }
  archive::AccessQuery query;
  if (!core::TrimAscii(q.user).empty()) {
    query.actor = std::string(core::TrimAscii(q.user));
  }
  if (!q.since.empty()) {
    ASSIGN_OR_RETURN(query.since, search::ParseQueryDate("since", q.since));
  }
  if (!q.until.empty()) {
    ASSIGN_OR_RETURN(core::Micros t, search::ParseQueryDate("until", q.until));
    query.until = q.until.size() == 10 ? t + 86'400 * core::kMicrosPerSecond : t;
  }
  query.read_record = q.record;
  query.message_id = q.message;
  query.before_record = q.before;
  query.limit = q.limit;
  ASSIGN_OR_RETURN(auto tx, db_->Begin(storage::TxMode::kRead));
  return archive::ListAccess(*tx, *keys_, query);
}

core::Result<std::int64_t> AccessAudit::Export(const ExportService& exports,
                                               const AccessContext& who, const std::string& query,
                                               const ContentScope& scope,
                                               const ExportService::Sink& sink) {
  std::vector<model::Message> part;
  std::int64_t handed = 0;
  auto flush = [&]() -> core::Status {
    RETURN_IF_ERROR(RecordRead(who, "export", part, query, static_cast<std::int64_t>(part.size())));
    for (const model::Message& m : part) {
      RETURN_IF_ERROR(sink(m));
      ++handed;
    }
    part.clear();
    return core::Status::Ok();
  };
  RETURN_IF_ERROR(exports
                      .Select(query,
                              [&](const model::Message& m) -> core::Status {
                                if (!scope.Visible(m)) {
                                  return core::Status::Ok();
                                }
                                part.push_back(m);
                                if (part.size() == archive::kMaxAccessReads) {
                                  return flush();
                                }
                                return core::Status::Ok();
                              })
                      .status());
  if (!part.empty() || handed == 0) {
    RETURN_IF_ERROR(flush());
  }
  return handed;
}

}  // namespace custos::app
