// SPDX-License-Identifier: Apache-2.0
#include "app/startup.h"

#include <chrono>
#include <utility>

#include "core/log.h"

namespace custos::app {
namespace {

template <typename Fn>
double TimedMillis(Fn&& fn) {
  const auto begin = std::chrono::steady_clock::now();
  fn();
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - begin)
      .count();
}

}  // namespace

StepList::~StepList() { Stop(); }

void StepList::Add(std::string name, StartFn start, StopFn stop) {
  steps_.push_back({std::move(name), std::move(start), std::move(stop)});
}

void StepList::AddWorker(core::Worker* worker) {
  Add(
      "worker " + std::string(worker->Name()), [worker] { return worker->Start(); },
      [worker] { worker->Stop(); });
}

core::Status StepList::Run() {
  failed_step_.clear();
  for (; next_ < steps_.size(); ++next_) {
    Step& step = steps_[next_];
    core::Status status = core::Status::Ok();
    const double ms = TimedMillis([&] { status = step.start ? step.start() : core::Status::Ok(); });
    if (!status.ok()) {
      CUSTOS_LOG_INFO("{}: startup: {} failed after {:.1f} ms", what_, step.name, ms);
      failed_step_ = step.name;
      ++next_;
      Stop();
      return status;
    }
    CUSTOS_LOG_INFO("{}: startup: {} {:.1f} ms", what_, step.name, ms);
    timings_.push_back({step.name, ms});
    running_.push_back(next_);
  }
  return core::Status::Ok();
}

void StepList::Stop() {
  while (!running_.empty()) {
    // Indices, not pointers: steps_ may have grown since the step started.
    Step& step = steps_[running_.back()];
    running_.pop_back();
    if (!step.stop) {
      continue;
    }
    const double ms = TimedMillis([&] { step.stop(); });
    CUSTOS_LOG_INFO("{}: shutdown: {} {:.1f} ms", what_, step.name, ms);
  }
}

std::vector<std::string> StepList::started() const {
  std::vector<std::string> names;
  for (const std::size_t i : running_) {
    names.push_back(steps_[i].name);
  }
  return names;
}

}  // namespace custos::app
