// SPDX-License-Identifier: Apache-2.0
// The personal-device privacy filter (docs/privacy.md). On a personal (BYOD) device custos
// never stores location, the full application inventory or hardware identifiers: they are
// dropped on arrival, before anything is written, and the caller gets a counted notice.
// Thread-safety: pure function.
#pragma once

#include <string>
#include <vector>

#include "devices/posture.h"

namespace custos::devices {

struct PrivacyNotice {
  int dropped = 0;                  // how many values were dropped
  std::vector<std::string> fields;  // which fields ("location", "apps.all", "hardware.imei")
};

// Sets report->ownership and privacy_tier from the *enrolled* ownership (a report cannot
// promote itself to corporate), then drops what the tier forbids: for byod, location, apps.all,
// hardware ids and raw-evidence keys that look like them; for corporate, location unless the
// report says Lost Mode is on.
PrivacyNotice ApplyPrivacy(Ownership enrolled, PostureReport* report);

}  // namespace custos::devices
