// SPDX-License-Identifier: Apache-2.0
// The list of built-in detectors, written out in registry.cc (no static self-registration):
// payment_card, iban, us_ssn, uk_nino, email, phone_number, ipv4, ipv6, bitcoin_address,
// ethereum_address, private_key, aws_access_key_id, github_token, slack_token, date_of_birth.
// The policy pack refers to them by name (`detect(payment_card) >= medium`).
// Thread-safety: the list and the detectors are immutable and live for the whole program.
#pragma once

#include <string_view>
#include <vector>

#include "policy/detectors/detector.h"

namespace custos::policy {

// Every built-in detector, in a fixed order; names are unique.
const std::vector<const Detector*>& BuiltinDetectors();

// The built-in detector called `name`, or nullptr.
const Detector* FindBuiltinDetector(std::string_view name);

// Runs every detector in `detectors` over `text`; hits are ordered by begin offset, then by
// the order of `detectors`. Hits of different detectors may overlap.
std::vector<DetectorHit> ScanAll(const std::vector<const Detector*>& detectors,
                                 std::string_view text);

}  // namespace custos::policy
