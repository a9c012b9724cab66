// SPDX-License-Identifier: Apache-2.0
#include "devices/controls.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <optional>

namespace custos::devices {
namespace {

constexpr std::array<std::string_view, 8> kQuality = {
    "none",       "biometric_weak", "something", "numeric", "numeric_complex",
    "alphabetic", "alphanumeric",   "complex"};
constexpr std::array<std::string_view, 3> kBands = {"low", "medium", "high"};

template <std::size_t N>
int Rank(const std::array<std::string_view, N>& scale, std::string_view v) {
  for (std::size_t i = 0; i < N; ++i) {
    if (scale[i] == v) {
      return static_cast<int>(i);
    }
  }
  return -1;
}

int ToInt(std::string_view s) {
  int v = 0;
  std::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}

ControlCheck Result(bool pass, std::string observed, std::string expected) {
  return {pass ? Outcome::kPass : Outcome::kFail, std::move(observed), std::move(expected)};
}

ControlCheck Unknown(std::string expected, std::string observed = "not observed") {
  return {Outcome::kUnknown, std::move(observed), std::move(expected)};
}

// A tri-state that must equal `want`.
ControlCheck TriIs(Tri v, bool want, const std::string& what) {
  const std::string expected = what + " " + (want ? "on" : "off");
  if (v == Tri::kUnknown) {
    return Unknown(expected);
  }
  const bool on = v == Tri::kTrue;
  return Result(on == want, what + " " + (on ? "on" : "off"), expected);
}

ControlCheck IntAtLeast(const std::optional<int>& v, int min, const std::string& what) {
  const std::string expected = what + " >= " + std::to_string(min);
  if (!v) {
    return Unknown(expected);
  }
  return Result(*v >= min, what + " " + std::to_string(*v), expected);
}

// At most `max`, where 0 or absent means "no limit" and therefore fails.
ControlCheck IntAtMostNonZero(const std::optional<int>& v, int max, const std::string& what) {
  const std::string expected = what + " between 1 and " + std::to_string(max);
  if (!v) {
    return Unknown(expected);
  }
  return Result(*v > 0 && *v <= max, what + " " + std::to_string(*v), expected);
}

// Days since a YYYY-MM-DD date, or nullopt when it does not parse.
std::optional<std::int64_t> DaysSince(const std::string& date, core::Micros now) {
  auto t = core::ParseRfc3339(date + "T00:00:00Z");
  if (!t) {
    return std::nullopt;
  }
  return (now - *t) / (86400 * core::kMicrosPerSecond);
}

ControlCheck CheckApps(const Rule& rule, const PostureReport& r, bool allowlist) {
  const std::string expected = allowlist ? "only allowed apps" : "no blocked apps";
  std::vector<AppInfo> apps;
  if (r.apps_managed) {
    apps = *r.apps_managed;
  }
  if (r.apps_all) {
    apps.insert(apps.end(), r.apps_all->begin(), r.apps_all->end());
  }
  const auto listed = [&](const std::string& id) {
    return std::find(rule.values.begin(), rule.values.end(), id) != rule.values.end();
  };
  for (const auto& app : apps) {
    if (listed(app.id) != allowlist) {
      return Result(false, (allowlist ? "unapproved app " : "blocked app ") + app.id, expected);
    }
  }
  // The agent's answer to the published blocked-app list (personal devices: no inventory).
  const BlocklistCheck* check = allowlist || !r.blocklist_check ? nullptr : &*r.blocklist_check;
  if (check != nullptr) {
    for (const std::string& id : check->present) {
      if (listed(id)) {
        return Result(false, "blocked app " + id + " installed", expected);
      }
    }
  }
  if (r.apps_all) {
    return Result(true, std::to_string(apps.size()) + " apps checked", expected);
  }
  if (check != nullptr) {
    int unchecked = 0;
    for (const std::string& id : rule.values) {
      unchecked +=
          std::find(check->checked.begin(), check->checked.end(), id) == check->checked.end();
    }
    if (unchecked == 0) {
      return Result(true,
                    "none of the " + std::to_string(rule.values.size()) + " blocked apps installed",
                    expected);
    }
    if (!r.apps_managed) {
      return Unknown(expected, std::to_string(unchecked) + " of the " +
                                   std::to_string(rule.values.size()) +
                                   " blocked apps not checked yet");
    }
  }
  if (!r.apps_managed) {
    return Unknown(expected);
  }
  return Result(true, std::to_string(apps.size()) + " apps checked", expected);
}

ControlCheck CheckOs(const Rule& rule, const PostureReport& r, core::Micros now) {
  const std::string& c = rule.control;
  if (c == "os_version_min" || c == "os_version_max") {
    const bool min = c == "os_version_min";
    const std::string expected = std::string(min ? "OS >= " : "OS <= ") + rule.value;
    if (!r.os_version) {
      return Unknown(expected);
    }
    const int cmp = CompareVersions(*r.os_version, rule.value);
    return Result(min ? cmp >= 0 : cmp <= 0, "OS " + *r.os_version, expected);
  }
  if (c == "os_build_min") {
    if (!r.os_build) {
      return Unknown("build >= " + rule.value);
    }
    return Result(CompareVersions(*r.os_build, rule.value) >= 0, "build " + *r.os_build,
                  "build >= " + rule.value);
  }
  if (c == "security_patch_max_age_days" || c == "security_patch_min_date") {
    const bool age = c == "security_patch_max_age_days";
    const std::string expected =
        age ? "security patch at most " + rule.value + " days old" : "patch >= " + rule.value;
    if (!r.security_patch_level) {
      return Unknown(expected);
    }
    if (!age) {
      return Result(*r.security_patch_level >= rule.value, "patch " + *r.security_patch_level,
                    expected);
    }
    auto days = DaysSince(*r.security_patch_level, now);
    if (!days) {
      return Unknown(expected, "unreadable patch level " + *r.security_patch_level);
    }
    return Result(*days <= ToInt(rule.value),
                  "patch " + *r.security_patch_level + " (" + std::to_string(*days) + " days)",
                  expected);
  }
  if (c == "api_level_min") {
    return IntAtLeast(r.api_level, ToInt(rule.value), "API level");
  }
  // no_pending_security_update
  if (!r.update_status || *r.update_status == "unknown") {
    return Unknown("no pending security update");
  }
  return Result(*r.update_status != "security_update", "update status " + *r.update_status,
                "no pending security update");
}

ControlCheck CheckPasscode(const Rule& rule, const PostureReport& r) {
  const std::string& c = rule.control;
  const PasscodeApplied& p = r.passcode;
  const int v = ToInt(rule.value);
  if (c == "passcode_required") {
    return TriIs(r.passcode_present, true, "passcode");
  }
  if (c == "passcode_min_length") {
    return IntAtLeast(p.min_length, v, "minimum length");
  }
  if (c == "passcode_quality_min" || c == "passcode_complexity_min") {
    const bool quality = c == "passcode_quality_min";
    const auto& observed = quality ? p.quality : p.complexity;
    const std::string expected = (quality ? "quality >= " : "complexity >= ") + rule.value;
    if (!observed) {
      return Unknown(expected);
    }
    const int have = quality ? Rank(kQuality, *observed) : Rank(kBands, *observed);
    const int want = quality ? Rank(kQuality, rule.value) : Rank(kBands, rule.value);
    return Result(have >= want && have >= 0, *observed, expected);
  }
  if (c == "passcode_min_symbols") {
    return IntAtLeast(p.min_symbols, v, "complex characters");
  }
  if (c == "passcode_max_inactivity_min") {
    return IntAtMostNonZero(p.max_inactivity_min, v, "auto-lock minutes");
  }
  if (c == "passcode_max_age_days") {
    return IntAtMostNonZero(p.max_age_days, v, "passcode age days");
  }
  if (c == "passcode_history_min") {
    return IntAtLeast(p.history, v, "passcode history");
  }
  if (c == "passcode_max_failed_attempts") {
    return IntAtMostNonZero(p.max_failed_attempts, v, "failed attempts before wipe");
  }
  if (c == "passcode_max_grace_min") {
    const std::string expected = "grace minutes <= " + rule.value;
    if (!p.max_grace_min) {
      return Unknown(expected);
    }
    return Result(*p.max_grace_min <= v, "grace minutes " + std::to_string(*p.max_grace_min),
                  expected);
  }
  return TriIs(p.separate_work_lock, true, "separate work lock");
}

ControlCheck CheckIntegrity(const Rule& rule, const PostureReport& r) {
  const std::string& c = rule.control;
  if (c == "integrity_not_compromised") {
    const std::string expected =
        "integrity " + (rule.value.empty() ? "at_risk" : rule.value) + " or better";
    if (r.integrity == IntegrityPosture::kUnknown) {
      return Unknown(expected);
    }
    const bool secure_only = rule.value == "secure";
    const bool pass = r.integrity == IntegrityPosture::kSecure ||
                      (!secure_only && r.integrity == IntegrityPosture::kAtRisk);
    return Result(pass, "integrity " + std::string(Name(r.integrity)), expected);
  }
  if (c == "attestation_min") {
    auto want = ParseAttestation(rule.value);
    const std::string expected = "attestation >= " + rule.value;
    if (r.attestation == Attestation::kUnknown || !want) {
      return Unknown(expected);
    }
    return Result(r.attestation >= *want, "attestation " + std::string(Name(r.attestation)),
                  expected);
  }
  if (c == "developer_mode_off") {
    return TriIs(r.dev_mode, false, "developer mode");
  }
  if (c == "adb_off") {
    return TriIs(r.adb, false, "USB debugging");
  }
  if (c == "unknown_sources_off") {
    return TriIs(r.unknown_sources, false, "unknown sources");
  }
  return TriIs(r.verify_apps, true, "app verification");
}

ControlCheck CheckOther(const Rule& rule, const DeviceContext& ctx, const PostureReport& r,
                        core::Micros now) {
  const std::string& c = rule.control;
  if (c == "encryption_required") {
    return TriIs(r.encryption_enabled, true, "encryption");
  }
  if (c == "biometric_policy") {
    if (rule.value == "forbidden") {
      return TriIs(r.biometric_allowed, false, "biometric unlock");
    }
    return Result(true, "enforced by the messaging client", "biometric " + rule.value);
  }
  if (c == "vpn_always_on_required") {
    return TriIs(r.vpn_always_on, true, "always-on VPN");
  }
  if (c == "apps_allowlist_only" || c == "apps_blocklist") {
    return CheckApps(rule, r, c == "apps_allowlist_only");
  }
  if (c == "messaging_client_min_version") {
    const std::string expected = "messaging client >= " + rule.value;
    if (!r.messaging_client) {
      return Unknown(expected);
    }
    return Result(CompareVersions(r.messaging_client->version, rule.value) >= 0,
                  "messaging client " + r.messaging_client->version, expected);
  }
  if (c == "threat_level_max") {
    auto max = ParseThreat(rule.value);
    const std::string expected = "threat level <= " + rule.value;
    if (r.threat == ThreatLevel::kUnknown || !max) {
      return Unknown(expected);
    }
    return Result(r.threat <= *max, "threat level " + std::string(Name(r.threat)), expected);
  }
  if (c == "managed_required") {
    return TriIs(r.enrolled, true, "MDM enrolment");
  }
  if (c == "checkin_max_age_hours") {
    const core::Micros last = r.last_checkin.value_or(r.collected_at);
    const auto hours = (now - last) / (3600 * core::kMicrosPerSecond);
    return Result(hours <= ToInt(rule.value), "last check-in " + std::to_string(hours) + " h ago",
                  "check-in within " + rule.value + " h");
  }
  // not_reported_lost
  return Result(!ctx.reported_lost, ctx.reported_lost ? "reported lost" : "not reported lost",
                "not reported lost");
}

}  // namespace

std::string_view Name(Outcome v) {
  constexpr std::array<std::string_view, 4> kNames = {"pass", "fail", "unknown", "not_applicable"};
  return kNames[static_cast<std::size_t>(v)];
}

int CompareVersions(std::string_view a, std::string_view b) {
  auto next = [](std::string_view& s) {
    const auto dot = s.find('.');
    std::string_view part = s.substr(0, dot);
    s = dot == s.npos ? std::string_view() : s.substr(dot + 1);
    return part;
  };
  while (!a.empty() || !b.empty()) {
    std::string_view pa = next(a);
    std::string_view pb = next(b);
    int na = 0;
    int nb = 0;
    auto ra = std::from_chars(pa.data(), pa.data() + pa.size(), na);
    auto rb = std::from_chars(pb.data(), pb.data() + pb.size(), nb);
    const bool numeric = ra.ptr == pa.data() + pa.size() && rb.ptr == pb.data() + pb.size();
    if (numeric || pa.empty() || pb.empty()) {
      if (na != nb) {
        return na < nb ? -1 : 1;
      }
    } else if (pa != pb) {
      return pa < pb ? -1 : 1;
    }
  }
  return 0;
}

Evidence TrustOf(const PostureReport& r) {
  if (r.source == Source::kFileImport) {
    return Evidence::kSelfReport;  // a file says what anyone wrote into it
  }
  if (r.source != Source::kAgent) {
    return Evidence::kMdm;
  }
  return r.attestation == Attestation::kHardware || r.attestation == Attestation::kSoftware
             ? Evidence::kAttestedApp
             : Evidence::kSelfReport;
}

ControlCheck CheckControl(const Rule& rule, const DeviceContext& ctx, const PostureReport& r,
                          core::Micros now) {
  const std::string& c = rule.control;
  if (c.rfind("os_", 0) == 0 || c.rfind("security_patch", 0) == 0 || c == "api_level_min" ||
      c == "no_pending_security_update") {
    return CheckOs(rule, r, now);
  }
  if (c.rfind("passcode_", 0) == 0 || c == "work_profile_separate_lock") {
    return CheckPasscode(rule, r);
  }
  if (c == "integrity_not_compromised" || c == "attestation_min" || c == "developer_mode_off" ||
      c == "adb_off" || c == "unknown_sources_off" || c == "verify_apps_on") {
    return CheckIntegrity(rule, r);
  }
  return CheckOther(rule, ctx, r, now);
}

}  // namespace custos::devices
