// SPDX-License-Identifier: Apache-2.0
// Startup and shutdown as named steps (the falco "actions" list): each step has a name, a start
// that returns Status and an optional stop. Run() starts them in order and logs each with its
// duration ("custos: startup: storage 3.2 ms"); when one fails, the steps already started are
// stopped in reverse and its error is returned unchanged (failed_step() names the step, and the
// log line "custos: startup: storage failed after 3.2 ms" too). Stop() stops every started step in
// reverse (each logged with its duration: "shutdown: worker checkpointer 1.1 ms") and is
// idempotent, so an owner that calls it in its destructor tears down in exactly the reverse order
// of startup, whatever order its members are declared in.
//
//   StepList steps("custos");
//   steps.Add("storage", [&] { return OpenStorage(); });
//   steps.AddWorker(checkpointer);   // "worker checkpointer": Start, and Stop on the way down
//   RETURN_IF_ERROR(steps.Run());
//   ...
//   steps.Stop();
//
// Steps may be added after Run() and started by a later Run() (Custos::Open adds the workers'
// steps after the first Run); Stop() always runs in reverse start order.
// Thread-safety: none; one thread (the composition root's) owns a StepList.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "core/worker.h"

namespace custos::app {

struct StepTiming {
  std::string name;
  double millis = 0;
};

class StepList {
 public:
  using StartFn = std::function<core::Status()>;
  using StopFn = std::function<void()>;

  // `what` prefixes the log lines' context: "custos", "serve".
  explicit StepList(std::string what) : what_(std::move(what)) {}

  ~StepList();  // Calls Stop().
  StepList(const StepList&) = delete;
  StepList& operator=(const StepList&) = delete;

  // Appends a step; `stop` (may be empty) runs at Stop() when `start` succeeded.
  void Add(std::string name, StartFn start, StopFn stop = {});

  // A worker as a step named "worker <Name()>": Start() on the way up, Stop() on the way down.
  // `worker` must outlive the list's Stop().
  void AddWorker(core::Worker* worker);

  // Starts the steps not started yet, in order. On the first failure, stops every step started
  // so far in reverse and returns that step's error. A start function must not Add steps.
  core::Status Run();

  // The step whose start failed in the last Run(); "" when none did.
  const std::string& failed_step() const { return failed_step_; }

  // Stops the started steps in reverse order. Idempotent.
  void Stop();

  // The names of the started steps, in start order.
  std::vector<std::string> started() const;

  // Each started step's start duration, in start order (for the log and tests).
  const std::vector<StepTiming>& timings() const { return timings_; }

 private:
  struct Step {
    std::string name;
    StartFn start;
    StopFn stop;
  };

  std::string what_;
  std::vector<Step> steps_;
  std::size_t next_ = 0;              // steps_[0, next_) were tried
  std::vector<std::size_t> running_;  // indices into steps_ of the started ones, in order
  std::vector<StepTiming> timings_;
  std::string failed_step_;
};

}  // namespace custos::app
