// SPDX-License-Identifier: Apache-2.0
// Names, the control catalogue and the default ladder.
#include "devices/policy.h"

#include <array>
#include <utility>

#include "devices/internal/json_get.h"

namespace custos::devices {
namespace {

constexpr std::array<std::string_view, 5> kSeverities = {"info", "low", "medium", "high",
                                                         "critical"};
constexpr std::array<std::string_view, 9> kActions = {
    "notify_user", "notify_manager", "mark_noncompliant", "block_messaging", "revoke_sessions",
    "remote_lock", "retire",         "full_wipe",         "open_hr_case"};
constexpr std::array<std::string_view, 3> kEvidence = {"self_report", "attested_app", "mdm"};

}  // namespace

std::string_view Name(Severity v) { return kSeverities[static_cast<std::size_t>(v)]; }

std::string_view Name(Action v) { return kActions[static_cast<std::size_t>(v)]; }

std::string_view Name(Evidence v) { return kEvidence[static_cast<std::size_t>(v)]; }

core::Result<Severity> ParseSeverity(std::string_view s) {
  return internal::ParseIndexed<Severity>(kSeverities, s, "severity");
}

core::Result<Action> ParseAction(std::string_view s) {
  return internal::ParseIndexed<Action>(kActions, s, "action");
}

core::Result<Evidence> ParseEvidence(std::string_view s) {
  return internal::ParseIndexed<Evidence>(kEvidence, s, "evidence");
}

const std::vector<ControlInfo>& ControlCatalogue() {
  static const std::vector<ControlInfo> kAll = {
      {"os_version_min", ValueKind::kString},
      {"os_version_max", ValueKind::kString},
      {"os_build_min", ValueKind::kString},
      {"security_patch_max_age_days", ValueKind::kInt},
      {"security_patch_min_date", ValueKind::kString},
      {"api_level_min", ValueKind::kInt},
      {"no_pending_security_update", ValueKind::kNone},
      {"integrity_not_compromised", ValueKind::kString},  // secure | at_risk (minimum posture)
      {"attestation_min", ValueKind::kString},
      {"developer_mode_off", ValueKind::kNone},
      {"adb_off", ValueKind::kNone},
      {"unknown_sources_off", ValueKind::kNone},
      {"verify_apps_on", ValueKind::kNone},
      {"encryption_required", ValueKind::kNone},
      {"passcode_required", ValueKind::kNone},
      {"passcode_min_length", ValueKind::kInt},
      {"passcode_quality_min", ValueKind::kString},
      {"passcode_complexity_min", ValueKind::kString},
      {"passcode_min_symbols", ValueKind::kInt},
      {"passcode_max_inactivity_min", ValueKind::kInt},
      {"passcode_max_age_days", ValueKind::kInt},
      {"passcode_history_min", ValueKind::kInt},
      {"passcode_max_failed_attempts", ValueKind::kInt},
      {"passcode_max_grace_min", ValueKind::kInt},
      {"work_profile_separate_lock", ValueKind::kNone},
      {"biometric_policy", ValueKind::kString},  // allowed | forbidden | app_level_required
      {"vpn_always_on_required", ValueKind::kNone},
      {"apps_allowlist_only", ValueKind::kList},
      {"apps_blocklist", ValueKind::kList},
      {"messaging_client_min_version", ValueKind::kString},
      {"threat_level_max", ValueKind::kString},
      {"managed_required", ValueKind::kNone},
      {"checkin_max_age_hours", ValueKind::kInt},
      {"not_reported_lost", ValueKind::kNone},
  };
  return kAll;
}

const ControlInfo* FindControl(std::string_view name) {
  for (const auto& c : ControlCatalogue()) {
    if (c.name == name) {
      return &c;
    }
  }
  return nullptr;
}

std::vector<LadderStep> DefaultLadder() {
  using A = Action;
  std::vector<LadderStep> ladder;
  ladder.push_back({0, std::nullopt, Severity::kInfo, {A::kNotifyUser}, false, false});
  ladder.push_back(
      {24, std::nullopt, Severity::kLow, {A::kNotifyUser, A::kNotifyManager}, false, false});
  ladder.push_back({72, 0, Severity::kLow, {A::kMarkNoncompliant}, false, false});
  ladder.push_back(
      {168, 24, Severity::kLow, {A::kBlockMessaging, A::kRevokeSessions}, false, false});
  ladder.push_back({336, std::nullopt, Severity::kMedium, {A::kRemoteLock}, false, true});
  ladder.push_back({720, std::nullopt, Severity::kMedium, {A::kRetire}, true, false});
  return ladder;
}

}  // namespace custos::devices
