// SPDX-License-Identifier: Apache-2.0
// An Android Management API `Device` resource (JSON) mapped into a PostureReport
// (the Android Management API fields named in docs/devices.md): softwareInfo, securityPosture,
// deviceSettings, nonComplianceDetails, appliedPasswordPolicies, appliedPolicyVersion,
// applicationReports. Thread-safety: pure function.
#pragma once

#include <string_view>

#include "core/status.h"
#include "devices/posture.h"

namespace custos::devices {

// kInvalidArgument naming the field for malformed input; `name` is required.
core::Result<PostureReport> ParseAmapiDevice(std::string_view json);

}  // namespace custos::devices
