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

// Keeps in apps.blocklist_check only ids of `published` (the blocked-app list the policy gives
// the agent, PublishedBlocklist): any other id would reveal an app the policy does not ask about
// and is dropped (counted in *notice as "apps.blocklist_check"), on every tier.
void FilterBlocklistCheck(const std::vector<std::string>& published, PostureReport* report,
                          PrivacyNotice* notice);

}  // namespace custos::devices
