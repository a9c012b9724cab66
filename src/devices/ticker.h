// SPDX-License-Identifier: Apache-2.0
// DeviceTicker: the background pass a running server needs for devices whose state changes
// with time alone — every `interval` it re-evaluates every device (staleness, the escalation
// ladder, the lost timeout: DeviceService::EvaluateAll) and dispatches commands (queued Apple
// commands to NanoMDM, expiry: DeviceService::DispatchToMdm). Failures are logged and retried
// on the next tick; secrets are never logged. A core::Worker ("device-ticker") over
// core::PeriodicWorker; the composition root lists it with the others (app/workers.h).
// Thread-safety: Start/Stop from one thread (core/worker.h); the pass runs on the ticker's own
// thread, RunOnce on the caller's.
#pragma once

#include <chrono>

#include "core/periodic_worker.h"
#include "core/worker.h"
#include "devices/service.h"

namespace custos::devices {

class DeviceTicker final : public core::Worker {
 public:
  // `service` and `client` (may be null) must outlive the ticker.
  DeviceTicker(DeviceService* service, const NanoMdmClient* client,
               std::chrono::milliseconds interval = std::chrono::seconds(60));
  ~DeviceTicker() override = default;  // the PeriodicWorker member stops and joins
  DeviceTicker(const DeviceTicker&) = delete;
  DeviceTicker& operator=(const DeviceTicker&) = delete;

  std::string_view Name() const override { return worker_.Name(); }

  core::Status Start() override { return worker_.Start(); }

  // Wakes and joins the thread. Idempotent.
  void Stop() override { worker_.Stop(); }

  // One pass on the caller's thread (what each tick does).
  void RunOnce();

 private:
  DeviceService* service_;
  const NanoMdmClient* client_;
  core::PeriodicWorker worker_;  // last: stopped before the members its ticks use
};

}  // namespace custos::devices
