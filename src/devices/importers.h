// SPDX-License-Identifier: Apache-2.0
// Importers of existing device policies into custos device rules (docs/devices.md):
//  - Microsoft Graph / Intune compliance policy JSON (iosCompliancePolicy,
//    androidWorkProfileCompliancePolicy, androidDeviceOwnerCompliancePolicy) - §10.3;
//  - an Apple passcode payload (com.apple.mobiledevice.passwordpolicy) inside a
//    .mobileconfig property list, or the bare payload dictionary - §10.1.
// Each import returns the equivalent Policy plus a line per setting that could not be mapped
// (never silently dropped). Unset settings (null, false, empty) are not rules.
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "devices/policy.h"

namespace custos::devices {

struct ImportResult {
  Policy policy;
  std::vector<std::string> mapped;    // "passcodeMinimumLength -> passcode_min_length 6"
  std::vector<std::string> unmapped;  // "securityRequireIntuneAppIntegrity: no custos control"
};

core::Result<ImportResult> ImportIntunePolicy(std::string_view json, std::string_view file);
core::Result<ImportResult> ImportApplePasscode(std::string_view plist, std::string_view file);

// The passcode payload keys the Apple importer understands (mapped or knowingly passed through).
const std::vector<std::string_view>& ApplePasscodeKeys();

}  // namespace custos::devices
