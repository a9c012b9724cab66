// SPDX-License-Identifier: Apache-2.0
#include "core/periodic_worker.h"

#include <utility>

namespace custos::core {

PeriodicWorker::PeriodicWorker(PeriodicOptions options) : options_(std::move(options)) {}

PeriodicWorker::~PeriodicWorker() { Stop(); }

Status PeriodicWorker::Start() {
  core::MutexLock lock(&mu_);
  if (stopping_) {
    return FailedPrecondition(options_.name + ": started after it was stopped");
  }
  if (started_ || options_.interval.count() <= 0 || !options_.tick) {
    return Status::Ok();  // already running, or off in this configuration
  }
  started_ = true;
  thread_ = std::thread([this] { Loop(); });
  return Status::Ok();
}

void PeriodicWorker::Stop() {
  bool was_started = false;
  {
    core::MutexLock lock(&mu_);
    if (stopping_) {
      return;
    }
    stopping_ = true;
    was_started = started_;
  }
  cv_.SignalAll();
  if (thread_.joinable()) {
    thread_.join();
  }
  if (was_started && options_.on_stop) {
    options_.on_stop();
  }
}

void PeriodicWorker::Wake() {
  {
    core::MutexLock lock(&mu_);
    woken_ = true;
  }
  cv_.SignalAll();
}

int PeriodicWorker::ticks() const {
  core::MutexLock lock(&mu_);
  return ticks_;
}

void PeriodicWorker::Loop() {
  const auto first = options_.first_delay.count() < 0 ? options_.interval : options_.first_delay;
  auto next = std::chrono::steady_clock::now() + first;
  const std::function<bool()> stop_requested = [this] {
    core::MutexLock lock(&mu_);
    return stopping_;
  };
  core::MutexLock lock(&mu_);
  while (true) {
    while (!stopping_ && !woken_ && cv_.WaitUntil(&mu_, next)) {
    }
    if (stopping_) {
      break;
    }
    woken_ = false;
    lock.Unlock();
    options_.tick(stop_requested);
    lock.Lock();
    ++ticks_;
    // The next tick an interval after this one ended: a slow tick never queues up a burst.
    next = std::chrono::steady_clock::now() + options_.interval;
  }
}

}  // namespace custos::core
