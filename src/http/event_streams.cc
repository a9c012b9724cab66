// SPDX-License-Identifier: Apache-2.0
#include "http/event_streams.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "core/mutex.h"

namespace custos::http {

namespace internal {

struct StreamsState {
  struct Attached {
    std::shared_ptr<StreamSink> sink;
    core::Micros last_write = 0;
  };

  explicit StreamsState(std::size_t max) : max_streams(max) {}

  // Writes to every attached sink under the lock (a sink's Write never blocks); drops the
  // streams whose sink refuses or has closed.
  void WriteAll(const std::string& text, bool only_silent, core::Micros silent_for)
      CUSTOS_REQUIRES(mu) {
    const core::Micros now = core::SteadyNowMicros();
    std::size_t dropped = 0;  // counted outside `reserved`: the analysis does not see into lambdas
    std::erase_if(attached, [&](Attached& a) {
      if (!a.sink->IsOpen()) {
        ++dropped;
        return true;
      }
      if (only_silent && now - a.last_write < silent_for) {
        return false;
      }
      if (!a.sink->Write(text)) {
        a.sink->Close();
        ++dropped;
        return true;
      }
      a.last_write = now;
      return false;
    });
    reserved -= dropped;
  }

  const std::size_t max_streams;
  core::Mutex mu;
  core::CondVar cv;
  std::size_t reserved CUSTOS_GUARDED_BY(mu) = 0;  // places taken, attached or not
  std::vector<Attached> attached CUSTOS_GUARDED_BY(mu);
  bool closing CUSTOS_GUARDED_BY(mu) = false;
};

}  // namespace internal

using internal::StreamsState;

EventStream::~EventStream() {
  if (attached_) {
    return;  // the place is the attached stream's until its sink closes
  }
  core::MutexLock lock(&state_->mu);
  --state_->reserved;
}

void EventStream::Attach(std::shared_ptr<StreamSink> sink, const std::string& preamble) {
  if (attached_) {
    return;
  }
  attached_ = true;
  core::MutexLock lock(&state_->mu);
  if (state_->closing || !sink->Write(preamble)) {
    sink->Close();
    --state_->reserved;
    return;
  }
  state_->attached.push_back({std::move(sink), core::SteadyNowMicros()});
}

EventStreams::EventStreams(std::size_t max_streams, std::chrono::milliseconds heartbeat)
    : state_(std::make_shared<StreamsState>(max_streams)) {
  // One thread for every stream: a heartbeat comment after `heartbeat` of silence, and closed
  // clients found within a second.
  heartbeat_ = std::thread([state = state_, heartbeat] {
    const core::Micros silent_for = heartbeat.count() * core::Micros{1000};
    const auto tick = std::min<std::chrono::milliseconds>(heartbeat, std::chrono::seconds(1));
    core::MutexLock lock(&state->mu);
    while (!state->closing) {
      state->cv.WaitFor(&state->mu, tick);
      if (!state->closing) {
        state->WriteAll(": heartbeat\n\n", /*only_silent=*/true, silent_for);
      }
    }
  });
}

EventStreams::~EventStreams() {
  CloseAll();
  if (heartbeat_.joinable()) {
    heartbeat_.join();
  }
}

core::Result<std::shared_ptr<EventStream>> EventStreams::Open() {
  core::MutexLock lock(&state_->mu);
  if (state_->closing) {
    return core::Unavailable("the server is shutting down");
  }
  if (state_->reserved >= state_->max_streams) {
    return core::Unavailable("too many open event streams (" + std::to_string(state_->max_streams) +
                             "); try again later");
  }
  ++state_->reserved;
  return std::make_shared<EventStream>(state_);
}

void EventStreams::Publish(const std::string& event) {
  core::MutexLock lock(&state_->mu);
  state_->WriteAll(event, /*only_silent=*/false, 0);
}

bool EventStreams::HasListeners() const {
  core::MutexLock lock(&state_->mu);
  return !state_->attached.empty();
}

std::size_t EventStreams::size() const {
  core::MutexLock lock(&state_->mu);
  return state_->reserved;
}

void EventStreams::CloseAll() {
  core::MutexLock lock(&state_->mu);
  state_->closing = true;
  for (auto& a : state_->attached) {
    a.sink->Close();
  }
  state_->reserved -= state_->attached.size();
  state_->attached.clear();
  state_->cv.SignalAll();
}

}  // namespace custos::http
