// SPDX-License-Identifier: Apache-2.0
// One control of the catalogue checked against one posture report: pass, fail, unknown or
// not_applicable, with the observed and expected values in words. Our rule values decide;
// vendor verdicts (PasscodeCompliant, nonComplianceDetails) are evidence only.
// Thread-safety: pure functions.
#pragma once

#include <string>

#include "core/time.h"
#include "devices/policy.h"
#include "devices/posture.h"

namespace custos::devices {

enum class Outcome { kPass, kFail, kUnknown, kNotApplicable };
std::string_view Name(Outcome v);

struct ControlCheck {
  Outcome outcome = Outcome::kUnknown;
  std::string observed;
  std::string expected;
};

// What custos knows about the device beyond its latest report.
struct DeviceContext {
  Platform platform = Platform::kUnknown;
  Ownership ownership = Ownership::kUnknown;
  bool reported_lost = false;
};

// Checks `rule` against `report` (never null here; staleness is the evaluator's job).
ControlCheck CheckControl(const Rule& rule, const DeviceContext& ctx, const PostureReport& report,
                          core::Micros now);

// Compares dotted versions numerically ("10.2" > "9.14"); non-numeric parts compare as text.
int CompareVersions(std::string_view a, std::string_view b);

// The trust a report earns from the channel it came by (the service sets `source` from the
// channel, never from the report's content): mdm for the MDM channels, attested_app for the
// agent API with an attestation verdict, self_report for the agent without one and for an
// operator's file import (`file_import`).
Evidence TrustOf(const PostureReport& report);

}  // namespace custos::devices
