// SPDX-License-Identifier: Apache-2.0
// DeviceTicker: the background pass a running server needs for devices whose state changes
// with time alone — every `interval` it re-evaluates every device (staleness, the escalation
// ladder, the lost timeout: DeviceService::EvaluateAll) and dispatches commands (queued Apple
// commands to NanoMDM, expiry: DeviceService::DispatchToMdm). Failures are logged and retried
// on the next tick; secrets are never logged.
// Thread-safety: Start/Stop from one thread; the pass runs on the ticker's own thread.
#pragma once

#include <chrono>
#include <thread>

#include "core/mutex.h"
#include "devices/service.h"

namespace custos::devices {

class DeviceTicker {
 public:
  // `service` and `client` (may be null) must outlive the ticker.
  DeviceTicker(DeviceService* service, const NanoMdmClient* client,
               std::chrono::milliseconds interval = std::chrono::seconds(60));
  ~DeviceTicker();  // Calls Stop().
  DeviceTicker(const DeviceTicker&) = delete;
  DeviceTicker& operator=(const DeviceTicker&) = delete;

  void Start();
  // Wakes and joins the thread. Idempotent.
  void Stop();
  // One pass on the caller's thread (what each tick does).
  void RunOnce();

 private:
  DeviceService* service_;
  const NanoMdmClient* client_;
  const std::chrono::milliseconds interval_;

  core::Mutex mu_;
  core::CondVar cv_;
  bool stopping_ CUSTOS_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace custos::devices
