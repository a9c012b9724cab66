// SPDX-License-Identifier: Apache-2.0
// JSON views of devices, commands and the compliance report, shared by the CLI (`--json`) and
// the HTTP API so both print the same shapes (docs/devices.md).
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <vector>

#include "devices/importers.h"
#include "devices/service.h"

namespace custos::devices {

std::string DeviceJson(const DeviceInfo& d);
std::string DeviceListJson(const std::vector<DeviceInfo>& devices);
std::string CommandListJson(const std::vector<Command>& commands);
std::string ReportJson(const ComplianceReport& report);
std::string ImportJson(const ImportResult& result);

}  // namespace custos::devices
