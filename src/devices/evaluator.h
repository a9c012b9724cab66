// SPDX-License-Identifier: Apache-2.0
// Device compliance evaluation (docs/devices.md): every rule of a policy against the
// device's latest posture report, with a per-rule clock (`first_failed_at`), grace periods, the
// escalation ladder, the critical-finding skip, staleness and recovery.
//
// Semantics:
//  - A rule that fails, or is unknown (no report, stale report, value not observed, or the
//    source not trusted enough for the rule's `evidence`), starts its clock at the first such
//    evaluation. Ladder step i fires once the clock has run HoursFor(severity) (+ the rule's
//    grace_hours for steps after step 0; for unknowns, steps after step 0 are also delayed by
//    posture_max_age_hours unless unknown_is: fail). Each step fires once per episode and is
//    returned in `fired`.
//  - Critical findings (a critical rule failing, integrity compromised, threat high, reported
//    lost) skip the grace: every step up to the first one that blocks messaging fires at once.
//  - A rule recovers only when it passes in a fresh report: its clock and fired steps clear.
//  - Three non-compliance episodes (policy.hr_case_*) within the window fire open_hr_case.
// Thread-safety: pure function over the caller's DeviceTrack.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/time.h"
#include "devices/controls.h"
#include "devices/policy.h"
#include "devices/posture.h"

namespace custos::devices {

enum class DeviceState { kCompliant, kInGrace, kNoncompliant, kUnknown, kLost };
enum class MessagingAccess { kAllow, kWarn, kRestricted, kBlocked };
std::string_view Name(DeviceState v);
std::string_view Name(MessagingAccess v);

// The persisted clock of one rule on one device.
struct RuleClock {
  std::optional<core::Micros> first_failed_at;
  unsigned fired_steps = 0;  // bit i: ladder step i has fired in this episode
  bool operator==(const RuleClock&) const = default;
};

// Everything the evaluator remembers about a device between evaluations.
struct DeviceTrack {
  std::map<std::string, RuleClock> rules;
  std::vector<core::Micros> episodes;  // starts of non-compliance episodes
  bool in_episode = false;
};

struct RuleResult {
  std::string rule_id;
  std::string control;
  Outcome outcome = Outcome::kUnknown;
  std::string observed;
  std::string expected;
  Severity severity = Severity::kMedium;
  bool critical = false;
  std::optional<core::Micros> first_failed_at;
  std::optional<core::Micros> grace_ends_at;  // when messaging becomes restricted
  std::string remediation;
};

struct FiredAction {
  Action action;
  std::string rule_id;  // empty for device-level actions (open_hr_case)
  bool requires_approval = false;
};

struct NextAction {
  Action action;
  core::Micros due_at = 0;
};

struct Verdict {
  DeviceState state = DeviceState::kUnknown;
  MessagingAccess access = MessagingAccess::kAllow;
  core::Micros evaluated_at = 0;
  std::vector<RuleResult> results;
  std::vector<FiredAction> fired;  // newly due in this evaluation, deduplicated by action
  std::optional<NextAction> next;
  std::vector<std::string> user_messages;  // remediation text of failing rules
};

// The app ids the agent of a device in `ctx` is asked to look for: every `apps_blocklist` rule
// that applies to it, together. The agent answers with the subset installed
// (apps.blocklist_check), never with its inventory.
std::vector<std::string> PublishedBlocklist(const Policy& policy, const DeviceContext& ctx);

// `report` may be null (nothing received yet). Updates *track. A failing rule's remediation is
// the rule's text; an unknown rule's says what would let it be checked (report, trust, value).
Verdict Evaluate(const Policy& policy, const DeviceContext& ctx, const PostureReport* report,
                 core::Micros now, DeviceTrack* track);

}  // namespace custos::devices
