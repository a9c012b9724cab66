// SPDX-License-Identifier: Apache-2.0
#include "app/device_commands.h"

#include <string>

#include "core/log.h"

namespace custos::app {

void DispatchDeviceCommands(devices::DeviceService& devices, const devices::NanoMdmClient* client) {
  auto summary = devices.DispatchToMdm(client);
  if (!summary) {
    CUSTOS_LOG_WARN("devices: command dispatch failed: {}", summary.error().ToString());
    return;
  }
  for (const std::string& e : summary->errors) {
    CUSTOS_LOG_WARN("devices: NanoMDM: {}", e);
  }
}

}  // namespace custos::app
