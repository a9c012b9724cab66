// SPDX-License-Identifier: Apache-2.0
// The worker the composition root lists for the server's log consumers (docs/ingest.md): one
// CursorRunner per consumer, all woken after every ingest commit (one SubscribeCommits), all
// polling as a fallback. Start starts them in order and subscribes; Stop unsubscribes and stops
// them in reverse.
//
// Thread-safety: as core::Worker (Start and Stop from the composition root's thread).
#pragma once

#include <memory>
#include <string_view>
#include <vector>

#include "app/cursor/cursor_runner.h"
#include "app/cursor/log_consumer.h"
#include "app/ingest.h"
#include "core/worker.h"

namespace custos::app {

class LogConsumerWorker final : public core::Worker {
 public:
  // `db`, `clock` and `ingest` must outlive the worker; it owns the consumers.
  LogConsumerWorker(storage::Database* db, const core::Clock* clock, IngestService* ingest,
                    std::vector<std::unique_ptr<LogConsumer>> consumers,
                    CursorOptions options = {});
  ~LogConsumerWorker() override;  // Calls Stop().
  LogConsumerWorker(const LogConsumerWorker&) = delete;
  LogConsumerWorker& operator=(const LogConsumerWorker&) = delete;

  std::string_view Name() const override { return "log-consumers"; }

  // The first runner's error (the ones started before it are stopped again).
  core::Status Start() override;

  void Stop() override;

  // The runners, in the consumers' order (positions and stats).
  const std::vector<std::unique_ptr<CursorRunner>>& runners() const { return runners_; }

 private:
  IngestService* const ingest_;
  std::vector<std::unique_ptr<LogConsumer>> consumers_;
  std::vector<std::unique_ptr<CursorRunner>> runners_;
  int token_ = 0;  // the SubscribeCommits token while started
};

}  // namespace custos::app
