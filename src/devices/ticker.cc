// SPDX-License-Identifier: Apache-2.0
#include "devices/ticker.h"

#include "core/log.h"

namespace custos::devices {

DeviceTicker::DeviceTicker(DeviceService* service, const NanoMdmClient* client,
                           std::chrono::milliseconds interval)
    : service_(service), client_(client), interval_(interval) {}

DeviceTicker::~DeviceTicker() { Stop(); }

void DeviceTicker::Start() {
  if (thread_.joinable()) {
    return;
  }
  thread_ = std::thread([this] {
    core::MutexLock lock(&mu_);
    while (true) {
      const auto deadline = std::chrono::steady_clock::now() + interval_;
      while (!stopping_ && cv_.WaitUntil(&mu_, deadline)) {
      }
      if (stopping_) {
        return;
      }
      lock.Unlock();
      RunOnce();
      lock.Lock();
    }
  });
}

void DeviceTicker::Stop() {
  {
    core::MutexLock lock(&mu_);
    stopping_ = true;
  }
  cv_.SignalAll();
  if (thread_.joinable()) {
    thread_.join();
  }
}

void DeviceTicker::RunOnce() {
  if (const core::Status s = service_->EvaluateAll(); !s.ok()) {
    CUSTOS_LOG_WARN("devices: evaluation pass failed: {}", s.ToString());
  }
  auto summary = service_->DispatchToMdm(client_);
  if (!summary) {
    CUSTOS_LOG_WARN("devices: command dispatch failed: {}", summary.error().ToString());
    return;
  }
  for (const std::string& e : summary->errors) {
    CUSTOS_LOG_WARN("devices: NanoMDM: {}", e);
  }
}

}  // namespace custos::devices
