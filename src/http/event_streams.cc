// SPDX-License-Identifier: Apache-2.0
#include "http/event_streams.h"

#include <algorithm>
#include <utility>

namespace custos::http {

void EventQueue::Push(std::string event) {
  {
    core::MutexLock lock(&mu_);
    if (state_ != State::kOpen) {
      return;
    }
    if (events_.size() >= capacity_) {
      state_ = State::kOverflowed;
      events_.clear();
    } else {
      events_.push_back(std::move(event));
    }
  }
  cv_.SignalAll();
}

EventQueue::State EventQueue::Take(std::chrono::milliseconds timeout,
                                   std::vector<std::string>* out) {
  core::MutexLock lock(&mu_);
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (events_.empty() && state_ == State::kOpen && cv_.WaitUntil(&mu_, deadline)) {
  }
  while (!events_.empty()) {
    out->push_back(std::move(events_.front()));
    events_.pop_front();
  }
  return state_;
}

void EventQueue::Close() {
  {
    core::MutexLock lock(&mu_);
    if (state_ == State::kOpen) {
      state_ = State::kClosed;
    }
  }
  cv_.SignalAll();
}

core::Result<std::shared_ptr<EventQueue>> EventStreams::Open() {
  core::MutexLock lock(&mu_);
  if (closing_) {
    return core::Unavailable("the server is shutting down");
  }
  if (open_.size() >= max_streams_) {
    return core::Unavailable("too many open event streams (" + std::to_string(max_streams_) +
                             "); try again later");
  }
  open_.push_back(std::make_shared<EventQueue>(queue_capacity_));
  return open_.back();
}

void EventStreams::Release(const EventQueue* queue) {
  core::MutexLock lock(&mu_);
  std::erase_if(open_, [queue](const std::shared_ptr<EventQueue>& q) { return q.get() == queue; });
}

void EventStreams::CloseAll() {
  std::vector<std::shared_ptr<EventQueue>> open;
  {
    core::MutexLock lock(&mu_);
    closing_ = true;
    open = open_;
  }
  for (const auto& q : open) {
    q->Close();
  }
}

}  // namespace custos::http
