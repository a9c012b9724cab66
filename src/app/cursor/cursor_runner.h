// SPDX-License-Identifier: Apache-2.0
// The worker that drives one LogConsumer (app/cursor/log_consumer.h) over the log with a
// durable cursor (docs/ingest.md, "Durable cursors"):
//
//   loop: read the stored position P and the records after P (at most batch_size), in one read
//         transaction -> Consume(batch) -> on OK, store the batch's last position in a write
//         transaction -> again at once when the batch was full, else sleep until woken
//
// It is woken by Notify() (IngestService::SubscribeCommits calls it after each commit) and
// polls every `poll` as a fallback, so records committed by other writers (retention, holds,
// another process) are found too. A failed Consume or a failed read or cursor update backs
// off (doubling from `backoff_min` to `backoff_max`) and retries the same records: nothing
// is skipped. The cursor is in consumer_cursors (migration 11), so a restart resumes from the
// last stored position; a consumer without a row starts at the beginning of the log, or at its
// end when `start_at_end` (the row is stored at Start, so that a crash does not move it).
//
// Thread-safety: Notify, Position and stats may be called from any thread; Start and Stop as
// core::Worker says; RunOnce only while the runner is not started (tests, tools).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <thread>

#include "app/cursor/log_consumer.h"
#include "core/mutex.h"
#include "core/status.h"
#include "core/time.h"
#include "core/worker.h"
#include "storage/database.h"

namespace custos::app {

struct CursorOptions {
  int batch_size = 256;  // records per Consume call, at most
  std::chrono::milliseconds poll{1000};
  std::chrono::milliseconds backoff_min{100};
  std::chrono::milliseconds backoff_max{30'000};
  bool start_at_end = false;  // a consumer without a stored position starts at the log's end
};

struct CursorStats {
  std::int64_t batches = 0;   // consumed and acknowledged
  std::int64_t records = 0;   // in those batches
  std::int64_t failures = 0;  // failed rounds (read, Consume or cursor update), each retried
};

class CursorRunner final : public core::Worker {
 public:
  // `db`, `clock` and `consumer` must outlive the runner.
  CursorRunner(storage::Database* db, const core::Clock* clock, LogConsumer* consumer,
               CursorOptions options = {});
  ~CursorRunner() override;  // Calls Stop().
  CursorRunner(const CursorRunner&) = delete;
  CursorRunner& operator=(const CursorRunner&) = delete;

  // "cursor:<consumer name>".
  std::string_view Name() const override { return name_; }

  // Stores the starting position when `start_at_end` asks for it, then starts the loop.
  // Errors of the database; kFailedPrecondition when already started.
  core::Status Start() override;

  // Ends the loop after the batch in progress (waiting for its Consume) and joins it.
  void Stop() override;

  // Wakes the loop: new records may have been committed. Never blocks on the database.
  void Notify();

  // The stored position of the consumer (0 when it has none).
  core::Result<std::int64_t> Position() const;

  // One round on the calling thread: reads after the stored position, consumes, advances.
  // Returns how many records were consumed (0: caught up); the round's error otherwise, with
  // the position unchanged.
  core::Result<std::size_t> RunOnce();

  CursorStats stats() const;

 private:
  void Loop();

  // Immutable after construction.
  storage::Database* const db_;
  const core::Clock* const clock_;
  LogConsumer* const consumer_;
  const CursorOptions options_;
  const std::string name_;

  mutable core::Mutex mu_;
  core::CondVar cv_;
  bool stopping_ CUSTOS_GUARDED_BY(mu_) = false;
  bool woken_ CUSTOS_GUARDED_BY(mu_) = false;
  CursorStats stats_ CUSTOS_GUARDED_BY(mu_);
  std::thread thread_;  // started and joined under Start and Stop
};

}  // namespace custos::app
