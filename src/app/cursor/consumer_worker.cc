// SPDX-License-Identifier: Apache-2.0
#include "app/cursor/consumer_worker.h"

namespace custos::app {

LogConsumerWorker::LogConsumerWorker(storage::Database* db, const core::Clock* clock,
                                     IngestService* ingest,
                                     std::vector<std::unique_ptr<LogConsumer>> consumers,
                                     CursorOptions options)
    : ingest_(ingest), consumers_(std::move(consumers)) {
  for (const std::unique_ptr<LogConsumer>& consumer : consumers_) {
    runners_.push_back(std::make_unique<CursorRunner>(db, clock, consumer.get(), options));
  }
}

LogConsumerWorker::~LogConsumerWorker() { Stop(); }

core::Status LogConsumerWorker::Start() {
  for (const std::unique_ptr<CursorRunner>& runner : runners_) {
    if (core::Status s = runner->Start(); !s.ok()) {
      Stop();
      return s;
    }
  }
  if (!runners_.empty()) {
    token_ = ingest_->SubscribeCommits([this] {
      for (const std::unique_ptr<CursorRunner>& runner : runners_) {
        runner->Notify();
      }
    });
  }
  return core::Status::Ok();
}

void LogConsumerWorker::Stop() {
  if (token_ != 0) {
    ingest_->Unsubscribe(token_);
    token_ = 0;
  }
  for (auto it = runners_.rbegin(); it != runners_.rend(); ++it) {
    (*it)->Stop();
  }
}

}  // namespace custos::app
