// SPDX-License-Identifier: Apache-2.0
// Per-connection queues for GET /api/v1/events (server-sent events) and the registry that lets
// Server::Stop() end every open stream. The ingest writer thread pushes one formatted event per
// committed message into each connection's bounded queue; the connection's worker thread takes
// them out and writes them. A client that falls behind by more than the queue's capacity gets
// an "overflow" event and the stream ends (it reconnects), so a slow client never slows ingest.
//
// Thread-safety: every method is safe to call from any thread.
#pragma once

#include <chrono>
#include <cstddef>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "core/mutex.h"
#include "core/status.h"

namespace custos::http {

class EventQueue {
 public:
  enum class State { kOpen, kClosed, kOverflowed };

  explicit EventQueue(std::size_t capacity) : capacity_(capacity) {}

  // Never blocks. When the queue is full it overflows: later events are dropped.
  void Push(std::string event);

  // Waits up to `timeout` until there are events or the queue is no longer open; moves the
  // queued events into `*out` and returns the state.
  State Take(std::chrono::milliseconds timeout, std::vector<std::string>* out);

  void Close();

 private:
  const std::size_t capacity_;
  core::Mutex mu_;
  core::CondVar cv_;
  std::deque<std::string> events_ CUSTOS_GUARDED_BY(mu_);
  State state_ CUSTOS_GUARDED_BY(mu_) = State::kOpen;
};

class EventStreams {
 public:
  EventStreams(std::size_t max_streams, std::size_t queue_capacity)
      : max_streams_(max_streams), queue_capacity_(queue_capacity) {}

  // A new registered queue. kUnavailable when closing or when max_streams are open.
  core::Result<std::shared_ptr<EventQueue>> Open();

  // Forgets a queue (when its connection ends).
  void Release(const EventQueue* queue);

  // Closes every open queue; later Open() calls fail. Used by Server::Stop().
  void CloseAll();

 private:
  const std::size_t max_streams_;
  const std::size_t queue_capacity_;
  core::Mutex mu_;
  std::vector<std::shared_ptr<EventQueue>> open_ CUSTOS_GUARDED_BY(mu_);
  bool closing_ CUSTOS_GUARDED_BY(mu_) = false;
};

}  // namespace custos::http
