// SPDX-License-Identifier: Apache-2.0
#include "devices/ticker.h"

#include "core/log.h"

namespace custos::devices {

DeviceTicker::DeviceTicker(DeviceService* service, const NanoMdmClient* client,
                           std::chrono::milliseconds interval)
    : service_(service),
      client_(client),
      worker_({.name = "device-ticker",
               .interval = interval,
               .tick = [this](const std::function<bool()>&) { RunOnce(); }}) {}

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
