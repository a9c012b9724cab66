// SPDX-License-Identifier: Apache-2.0
// PeriodicWorker: the one hand-written loop every periodic background task uses (the
// checkpointer, scheduled retention, the device ticker): a thread that calls `tick` after
// `first_delay`, then every `interval`, until Stop(); Wake() runs a tick now. Waits use the
// steady clock (a wall-clock jump neither fires nor delays a tick); what a tick judges "now"
// against is the task's own injected core::Clock.
//
// A tick receives `stop_requested`, which turns true once Stop() is called, so that a long tick
// (a retention run of many batches) can end after its current unit of work. Stop() wakes the
// thread, waits for the tick in progress, joins, then runs `on_stop` once (the checkpointer's
// final checkpoint) — only when Start() had started the thread.
//
// Thread-safety: Start and Stop from one thread (core/worker.h); Wake from any thread.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <string_view>
#include <thread>

#include "core/mutex.h"
#include "core/worker.h"

namespace custos::core {

struct PeriodicOptions {
  std::string name = {};  // Worker::Name(): "checkpointer", "retention"
  // Zero or negative: the task is off; Start() returns OK without a thread.
  std::chrono::milliseconds interval{0};
  // Before the first tick; negative: `interval`.
  std::chrono::milliseconds first_delay{-1};
  // One pass. `stop_requested()` is true once Stop() was called.
  std::function<void(const std::function<bool()>& stop_requested)> tick = {};
  // Runs once in Stop(), after the thread is joined (may be empty).
  std::function<void()> on_stop = {};
};

class PeriodicWorker final : public Worker {
 public:
  explicit PeriodicWorker(PeriodicOptions options);
  ~PeriodicWorker() override;  // Calls Stop().
  PeriodicWorker(const PeriodicWorker&) = delete;
  PeriodicWorker& operator=(const PeriodicWorker&) = delete;

  std::string_view Name() const override { return options_.name; }

  Status Start() override;
  void Stop() override;

  // Runs a tick as soon as the thread is free (a no-op when not started or stopping).
  void Wake();

  // Ticks completed so far (for tests and metrics).
  int ticks() const;

 private:
  void Loop();

  const PeriodicOptions options_;

  mutable core::Mutex mu_;
  core::CondVar cv_;
  bool stopping_ CUSTOS_GUARDED_BY(mu_) = false;
  bool woken_ CUSTOS_GUARDED_BY(mu_) = false;
  bool started_ CUSTOS_GUARDED_BY(mu_) = false;
  int ticks_ CUSTOS_GUARDED_BY(mu_) = 0;
  std::thread thread_;  // started in Start, joined in Stop (the lifecycle thread's calls)
};

}  // namespace custos::core
