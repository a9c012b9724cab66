// SPDX-License-Identifier: Apache-2.0
#include "app/retention_service.h"

#include <algorithm>
#include <chrono>

#include "archive/records.h"
#include "core/log.h"
#include "model/message.h"
#include "search/query.h"

namespace custos::app {
namespace {

constexpr int kQueryPage = 5'000;
constexpr core::Micros kFirstScheduledRun = 60 * core::kMicrosPerSecond;

// Checks what the config module cannot: channel names.
core::Status CheckConfig(const config::Config& c) {
  config::LoadResult problems;
  for (const config::RetentionClassConfig& rc : c.retention_classes) {
    for (const std::string& channel : rc.channels) {
      if (!model::IsKnownChannel(channel)) {
        problems.errors.push_back(
            {rc.channels_where, "unknown channel \"" + channel +
                                    "\" (known: " + std::string(model::KnownChannelsList()) + ")"});
      }
    }
  }
  return problems.ToStatus();
}

}  // namespace

core::Result<std::unique_ptr<RetentionService>> RetentionService::Open(
    storage::Database* db, const crypto::KeyRing* keys, const archive::MessageStore* store,
    const search::Index* index, const core::Clock* clock, const std::string& config_path) {
  config::LoadResult loaded = config::LoadConfigFile(config_path, config::ProcessEnvironment());
  RETURN_IF_ERROR(loaded.ToStatus());
  RETURN_IF_ERROR(CheckConfig(loaded.config));
  return std::unique_ptr<RetentionService>(
      new RetentionService(db, keys, store, index, clock, std::move(loaded.config)));
}

RetentionService::RetentionService(storage::Database* db, const crypto::KeyRing* keys,
                                   const archive::MessageStore* store, const search::Index* index,
                                   const core::Clock* clock, config::Config config)
    : db_(db),
      keys_(keys),
      store_(store),
      index_(index),
      clock_(clock),
      config_(std::move(config)),
      holds_(keys) {}

RetentionService::~RetentionService() { Stop(); }

archive::RetentionPolicy RetentionService::PolicyAt(core::Micros now) const {
  archive::RetentionPolicy p;
  for (const config::RetentionClassConfig& c : config_.retention_classes) {
    p.classes.push_back({c.name, c.legal_basis, c.period.Text(), c.period.Before(now), c.channels,
                         c.desks, c.rules});
  }
  const config::Duration& d = config_.retention_default_period;
  p.default_class = {
      "default", config_.retention_default_legal_basis, d.Text(), d.Before(now), {}, {}, {}};
  p.desks = config_.desks;
  return p;
}

core::Result<std::vector<std::int64_t>> RetentionService::MatchQuery(
    storage::Transaction& tx, std::string_view query_text) const {
  ASSIGN_OR_RETURN(search::Query query, search::ParseQuery(query_text));
  std::vector<std::int64_t> ids;
  search::ConversationIds conversations;  // an unknown one matches nothing (yet)
  for (const std::string& c : query.Values(search::Term::Kind::kConversation)) {
    ASSIGN_OR_RETURN(conversations[c], store_->ResolveConversation(c));
  }
  std::optional<std::pair<core::Micros, std::int64_t>> after;
  do {
    ASSIGN_OR_RETURN(search::SearchPage page,
                     index_->Search(tx, query, conversations, after, kQueryPage));
    for (const search::Hit& hit : page.hits) {
      ids.push_back(hit.message_id);
    }
    after = page.next;
  } while (after);
  return ids;
}

core::Result<RetentionReport> RetentionService::Run(const RetentionRunOptions& options) {
  return RunOnce(options, /*scheduled=*/false);
}

core::Result<RetentionReport> RetentionService::RunOnce(const RetentionRunOptions& options,
                                                        bool scheduled) {
  std::lock_guard<std::mutex> run_lock(run_mu_);
  RetentionReport report;
  report.dry_run = options.dry_run;
  report.as_of = clock_->Now();
  const archive::Retention retention(keys_, PolicyAt(report.as_of));
  const int batch_size = options.batch_size > 0 ? options.batch_size : config_.retention_batch_size;
  if (!options.dry_run) {
    RETURN_IF_ERROR(DisposeBatches(retention, batch_size, scheduled, &report));
    if (!report.items.empty()) {
      // Shredded ciphertext must not linger in the write-ahead log's older frames (the writer's
      // secure_delete has zeroed it in the pages themselves): copy the log into the database
      // file and truncate it. Readers holding an old snapshot can keep it from completing; the
      // next run (or closing the archive) finishes the job, so that is a warning, not a failure.
      if (const core::Status emptied = db_->CheckpointWal(); !emptied.ok()) {
        CUSTOS_LOG_WARN("retention: {}", emptied.ToString());
      }
    }
    return report;
  }
  ASSIGN_OR_RETURN(auto tx, db_->Begin(storage::TxMode::kRead));
  ASSIGN_OR_RETURN(archive::HeldSet held,
                   holds_.Covered(*tx, [this](storage::Transaction& t, std::string_view q) {
                     return MatchQuery(t, q);
                   }));
  std::optional<archive::PageCursor> cursor;
  do {
    ASSIGN_OR_RETURN(archive::ExpiredScan scan,
                     retention.FindExpired(*tx, held, cursor, batch_size));
    std::move(scan.items.begin(), scan.items.end(), std::back_inserter(report.items));
    cursor = scan.next;
  } while (cursor);
  return report;
}

core::Status RetentionService::DisposeBatches(const archive::Retention& retention, int batch_size,
                                              bool scheduled, RetentionReport* report) {
  const archive::QueryMatcher matcher = [this](storage::Transaction& t, std::string_view q) {
    return MatchQuery(t, q);
  };
  const archive::IndexRemover remove = [this](storage::Transaction& t, const model::Message& m) {
    return index_->Remove(t, m.id, m.text);
  };
  std::optional<archive::PageCursor> cursor;
  while (true) {
    if (scheduled) {
      std::lock_guard<std::mutex> lock(mu_);
      if (stopping_) {
        return core::Status::Ok();  // shutting down: the next run continues
      }
    }
    ASSIGN_OR_RETURN(auto tx, db_->Begin(storage::TxMode::kWrite));
    // Holds are re-read in every batch's transaction, so a hold committed meanwhile counts.
    ASSIGN_OR_RETURN(archive::HeldSet held, holds_.Covered(*tx, matcher));
    ASSIGN_OR_RETURN(archive::ExpiredScan scan,
                     retention.FindExpired(*tx, held, cursor, batch_size));
    if (scan.items.empty()) {
      return core::Status::Ok();
    }
    ASSIGN_OR_RETURN(archive::RecordAppender records, archive::RecordAppender::Begin(*tx, *keys_));
    const core::Micros at = clock_->Now();
    for (archive::Expired& item : scan.items) {
      RETURN_IF_ERROR(retention.Dispose(*tx, records, &item, at, remove));
    }
    RETURN_IF_ERROR(tx->Commit());
    ++report->batches;
    std::move(scan.items.begin(), scan.items.end(), std::back_inserter(report->items));
    if (!scan.next) {
      return core::Status::Ok();
    }
    cursor = scan.next;
  }
}

core::Result<archive::Hold> RetentionService::CreateHold(const HoldRequest& request) {
  archive::HoldSpec spec;
  spec.name = request.name;
  const int scopes =
      (request.person ? 1 : 0) + (request.conversation ? 1 : 0) + (request.query ? 1 : 0);
  if (scopes != 1) {
    return core::InvalidArgument("a hold needs exactly one of person, conversation or query");
  }
  if (request.person) {
    spec.scope = archive::HoldScope::kPerson;
    spec.person = *request.person;
  } else if (request.conversation) {
    spec.scope = archive::HoldScope::kConversation;
    ASSIGN_OR_RETURN(auto id, store_->ResolveConversation(*request.conversation));
    if (!id) {
      return core::NotFound("no conversation \"" + request.conversation->substr(0, 80) + "\"");
    }
    spec.conversation_id = *id;
  } else {
    spec.scope = archive::HoldScope::kQuery;
    spec.query = *request.query;
    RETURN_IF_ERROR(search::ParseQuery(spec.query).status());
  }
  ASSIGN_OR_RETURN(auto tx, db_->Begin(storage::TxMode::kWrite));
  std::vector<std::int64_t> snapshot;
  if (spec.scope == archive::HoldScope::kQuery) {
    ASSIGN_OR_RETURN(snapshot, MatchQuery(*tx, spec.query));
  }
  ASSIGN_OR_RETURN(archive::RecordAppender records, archive::RecordAppender::Begin(*tx, *keys_));
  ASSIGN_OR_RETURN(archive::Hold hold, holds_.Create(*tx, records, spec, clock_->Now(), snapshot));
  RETURN_IF_ERROR(tx->Commit());
  return hold;
}

core::Result<std::vector<archive::Hold>> RetentionService::ListHolds() const {
  ASSIGN_OR_RETURN(auto tx, db_->Begin(storage::TxMode::kRead));
  return holds_.List(*tx);
}

core::Result<archive::Hold> RetentionService::ReleaseHold(std::int64_t id,
                                                          std::string_view reason) {
  ASSIGN_OR_RETURN(auto tx, db_->Begin(storage::TxMode::kWrite));
  ASSIGN_OR_RETURN(archive::RecordAppender records, archive::RecordAppender::Begin(*tx, *keys_));
  ASSIGN_OR_RETURN(archive::Hold hold, holds_.Release(*tx, records, id, clock_->Now(), reason));
  RETURN_IF_ERROR(tx->Commit());
  return hold;
}

void RetentionService::Start() {
  if (!config_.retention_schedule) {
    return;
  }
  std::lock_guard<std::mutex> lock(mu_);
  if (thread_.joinable() || stopping_) {
    return;
  }
  thread_ = std::thread([this] { Loop(); });
}

void RetentionService::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) {
    thread_.join();
  }
}

void RetentionService::Loop() {
  const core::Micros now = clock_->Now();
  const core::Micros interval =
      std::max<core::Micros>(config_.retention_schedule->After(now) - now, core::kMicrosPerSecond);
  core::Micros wait = std::min(kFirstScheduledRun, interval);
  std::unique_lock<std::mutex> lock(mu_);
  while (!cv_.wait_for(lock, std::chrono::microseconds(wait), [this] { return stopping_; })) {
    lock.unlock();
    auto report = RunOnce({}, /*scheduled=*/true);
    if (!report.has_value()) {
      CUSTOS_LOG_ERROR("retention run failed: {}", report.error().ToString());
    } else if (!report->items.empty()) {
      CUSTOS_LOG_INFO("retention: disposed of {} records in {} transactions", report->items.size(),
                      report->batches);
    }
    lock.lock();
    wait = interval;
  }
}

}  // namespace custos::app
