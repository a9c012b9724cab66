// SPDX-License-Identifier: Apache-2.0
// The device policy model (docs/devices.md): a Policy holds settings, rules over the
// control catalogue and an escalation ladder. Policies are YAML files under `devices/` in a
// policy pack (policies/default/devices/mobile-device-policy.yaml); docs/devices.md documents
// the format. Every load error names file:line:column and the field.
// Thread-safety: plain value types and pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "devices/posture.h"

namespace custos::devices {

enum class Severity { kInfo, kLow, kMedium, kHigh, kCritical };
enum class Action {
  kNotifyUser,
  kNotifyManager,
  kMarkNoncompliant,  // messaging restricted
  kBlockMessaging,
  kRevokeSessions,
  kRemoteLock,
  kRetire,
  kFullWipe,
  kOpenHrCase,
};
// The lowest source a rule trusts: mdm > attested_app > self_report.
enum class Evidence { kSelfReport, kAttestedApp, kMdm };

std::string_view Name(Severity v);
std::string_view Name(Action v);
std::string_view Name(Evidence v);
core::Result<Severity> ParseSeverity(std::string_view s);
core::Result<Action> ParseAction(std::string_view s);
core::Result<Evidence> ParseEvidence(std::string_view s);

// The control catalogue of docs/devices.md, with the value type each one takes.
enum class ValueKind { kNone, kInt, kString, kList };

struct ControlInfo {
  std::string_view name;
  ValueKind kind;
};

const std::vector<ControlInfo>& ControlCatalogue();
const ControlInfo* FindControl(std::string_view name);

struct Rule {
  std::string id;
  std::string control;
  std::string value;                // kInt / kString controls
  std::vector<std::string> values;  // kList controls
  Severity severity = Severity::kMedium;
  std::vector<Platform> platforms;    // empty = all
  std::vector<Ownership> ownerships;  // empty = all
  Evidence evidence = Evidence::kSelfReport;
  std::optional<int> grace_hours;  // delays the ladder (not step 0) for this rule
  std::string remediation;
};

struct LadderStep {
  int after_hours = 0;
  std::optional<int> after_hours_high;  // for high and critical rules, when set
  Severity min_severity = Severity::kInfo;
  std::vector<Action> actions;
  bool requires_approval = false;
  bool corporate_only = false;

  // Hours for a rule of `severity`.
  int HoursFor(Severity severity) const {
    return severity >= Severity::kHigh && after_hours_high ? *after_hours_high : after_hours;
  }
};

struct Policy {
  std::string id = "mobile-device-policy";
  int version = 1;
  std::string name = "Mobile Device Policy";
  int posture_max_age_hours = 72;
  bool unknown_is_fail = false;  // unknown_is: fail | grace (default)
  int hr_case_episodes = 3;      // open an HR case after this many episodes ...
  int hr_case_window_days = 90;  // ... within this many days
  std::vector<Rule> rules;
  std::vector<LadderStep> ladder;
};

// The default ladder of docs/devices.md (steps 0-5; step 6, the HR case, is the
// episode counter in Policy).
std::vector<LadderStep> DefaultLadder();

// Parses a device policy YAML document; `file` is used in error messages.
core::Result<Policy> ParsePolicyYaml(std::string_view yaml, std::string_view file);
core::Result<Policy> LoadPolicyFile(const std::string& path);

// The device policy in force: the one YAML file under DIR/policy/active/devices/ (the device
// rules of the policy pack in force), else DIR/devices-policy.yaml, else the default Mobile
// Device Policy shipped with custos (policies/default/devices/mobile-device-policy.yaml).
core::Result<Policy> LoadDevicePolicy(const std::string& data_dir);

// Emits the YAML form (used by the importers); ParsePolicyYaml(PolicyToYaml(p)) == p.
std::string PolicyToYaml(const Policy& policy);

}  // namespace custos::devices
