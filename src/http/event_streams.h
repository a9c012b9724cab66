// SPDX-License-Identifier: Apache-2.0
// The open server-sent event streams of GET /api/v1/events. One feed (routes/events.cc) formats
// each committed message once and publishes it to every open stream; each stream writes through
// its transport StreamSink, which queues without blocking, so a slow client never slows ingest
// (a sink that can no longer take a write refuses it, and the stream is dropped: the client
// reconnects). ONE heartbeat thread writes a comment to every stream that was silent for the
// heartbeat interval and drops the streams whose client has gone; no stream holds a thread.
//
// Thread-safety: every method is safe to call from any thread.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <thread>

#include "core/status.h"
#include "core/time.h"
#include "http/message.h"

namespace custos::http {

namespace internal {
struct StreamsState;
}  // namespace internal

// One reserved place among the open streams; given back when the last copy is destroyed (a
// response that is never sent gives back its place too).
class EventStream {
 public:
  explicit EventStream(std::shared_ptr<internal::StreamsState> state) : state_(std::move(state)) {}

  ~EventStream();
  EventStream(const EventStream&) = delete;
  EventStream& operator=(const EventStream&) = delete;

  // Starts streaming to `sink`: writes `preamble`, then every published event and heartbeats
  // until the sink closes or the streams are closed. At most once.
  void Attach(std::shared_ptr<StreamSink> sink, const std::string& preamble);

 private:
  std::shared_ptr<internal::StreamsState> state_;
  bool attached_ = false;
};

class EventStreams {
 public:
  static constexpr std::chrono::milliseconds kHeartbeat{15'000};

  explicit EventStreams(std::size_t max_streams, std::chrono::milliseconds heartbeat = kHeartbeat);
  ~EventStreams();  // Calls CloseAll() and joins the heartbeat thread.
  EventStreams(const EventStreams&) = delete;
  EventStreams& operator=(const EventStreams&) = delete;

  // Reserves a stream. kUnavailable when closing or when max_streams are open or reserved.
  core::Result<std::shared_ptr<EventStream>> Open();

  // Writes `event` to every attached stream; drops those whose sink refuses it. Never blocks on
  // a client.
  void Publish(const std::string& event);

  // Whether any stream is attached (the feed skips formatting when none is).
  bool HasListeners() const;

  // Streams reserved or attached.
  std::size_t size() const;

  // Closes every stream's sink; later Open() calls fail.
  void CloseAll();

 private:
  std::shared_ptr<internal::StreamsState> state_;
  std::thread heartbeat_;
};

}  // namespace custos::http
