// SPDX-License-Identifier: Apache-2.0
#include "app/cursor/cursor_runner.h"

#include <algorithm>

#include "app/sql/cursors.h"
#include "core/log.h"

namespace custos::app {

CursorRunner::CursorRunner(storage::Database* db, const core::Clock* clock, LogConsumer* consumer,
                           CursorOptions options)
    : db_(db),
      clock_(clock),
      consumer_(consumer),
      options_(options),
      name_("cursor:" + std::string(consumer->Name())) {}

CursorRunner::~CursorRunner() { Stop(); }

core::Status CursorRunner::Start() {
  if (thread_.joinable()) {
    return core::FailedPrecondition(name_ + " is already started");
  }
  if (options_.start_at_end) {
    ASSIGN_OR_RETURN(auto tx, db_->Begin(storage::TxMode::kWrite));
    ASSIGN_OR_RETURN(std::optional<std::int64_t> stored, sql::ReadPosition(*tx, consumer_->Name()));
    if (!stored) {
      ASSIGN_OR_RETURN(const std::int64_t head, sql::LogHead(*tx));
      RETURN_IF_ERROR(sql::WritePosition(*tx, consumer_->Name(), head, clock_->Now()));
      RETURN_IF_ERROR(tx->Commit());
    }
  }
  {
    core::MutexLock lock(&mu_);
    stopping_ = false;
    woken_ = true;  // a first round at once: records committed while it was down
  }
  thread_ = std::thread([this] { Loop(); });
  return core::Status::Ok();
}

void CursorRunner::Stop() {
  {
    core::MutexLock lock(&mu_);
    stopping_ = true;
  }
  cv_.SignalAll();
  if (thread_.joinable()) {
    thread_.join();
  }
}

void CursorRunner::Notify() {
  {
    core::MutexLock lock(&mu_);
    woken_ = true;
  }
  cv_.SignalAll();
}

core::Result<std::int64_t> CursorRunner::Position() const {
  ASSIGN_OR_RETURN(auto tx, db_->Begin(storage::TxMode::kRead));
  ASSIGN_OR_RETURN(std::optional<std::int64_t> stored, sql::ReadPosition(*tx, consumer_->Name()));
  return stored.value_or(0);
}

CursorStats CursorRunner::stats() const {
  core::MutexLock lock(&mu_);
  return stats_;
}

core::Result<std::size_t> CursorRunner::RunOnce() {
  std::int64_t position = 0;
  std::vector<CommittedRecord> batch;
  {
    // One snapshot for the position and the records after it; ended before Consume, which may
    // take long, so that it does not hold back WAL checkpoints.
    ASSIGN_OR_RETURN(auto tx, db_->Begin(storage::TxMode::kRead));
    ASSIGN_OR_RETURN(std::optional<std::int64_t> stored, sql::ReadPosition(*tx, consumer_->Name()));
    position = stored.value_or(0);
    ASSIGN_OR_RETURN(batch, sql::ReadAfter(*tx, position, std::max(1, options_.batch_size)));
  }
  if (batch.empty()) {
    return std::size_t{0};
  }
  RETURN_IF_ERROR(consumer_->Consume(batch));
  {
    ASSIGN_OR_RETURN(auto tx, db_->Begin(storage::TxMode::kWrite));
    // Only this runner moves the cursor; a different value means two runners of one name.
    ASSIGN_OR_RETURN(std::optional<std::int64_t> now, sql::ReadPosition(*tx, consumer_->Name()));
    if (now.value_or(0) != position) {
      return core::FailedPrecondition(name_ + ": the cursor moved from " +
                                      std::to_string(position) + " to " +
                                      std::to_string(now.value_or(0)) +
                                      " while a batch was consumed (two runners of one consumer?)");
    }
    RETURN_IF_ERROR(
        sql::WritePosition(*tx, consumer_->Name(), batch.back().position, clock_->Now()));
    RETURN_IF_ERROR(tx->Commit());
  }
  core::MutexLock lock(&mu_);
  ++stats_.batches;
  stats_.records += static_cast<std::int64_t>(batch.size());
  return batch.size();
}

void CursorRunner::Loop() {
  std::chrono::milliseconds backoff{0};
  while (true) {
    {
      core::MutexLock lock(&mu_);
      const auto deadline =
          std::chrono::steady_clock::now() + (backoff.count() > 0 ? backoff : options_.poll);
      if (backoff.count() > 0) {
        while (!stopping_ && cv_.WaitUntil(&mu_, deadline)) {
        }
      } else {
        while (!stopping_ && !woken_ && cv_.WaitUntil(&mu_, deadline)) {
        }
      }
      if (stopping_) {
        return;
      }
      woken_ = false;
    }
    core::Result<std::size_t> round = RunOnce();
    if (!round.has_value()) {
      backoff = std::clamp(backoff * 2, options_.backoff_min, options_.backoff_max);
      CUSTOS_LOG_WARN("{}: {}; retrying in {} ms", name_, round.error().ToString(),
                      backoff.count());
      core::MutexLock lock(&mu_);
      ++stats_.failures;
      continue;
    }
    backoff = std::chrono::milliseconds{0};
    if (*round == static_cast<std::size_t>(std::max(1, options_.batch_size))) {
      core::MutexLock lock(&mu_);
      woken_ = true;  // a full batch: more may be waiting
    }
  }
}

}  // namespace custos::app
