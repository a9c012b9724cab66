// SPDX-License-Identifier: Apache-2.0
// Intune (Microsoft Graph) compliance policy JSON -> device rules (docs/devices.md).
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "core/json_reader.h"
#include "devices/importers.h"

namespace custos::devices {
namespace {

using nlohmann::json;

// Graph metadata that is not a setting.
const std::set<std::string> kMetadata = {"@odata.type",
                                         "id",
                                         "description",
                                         "displayName",
                                         "version",
                                         "createdDateTime",
                                         "lastModifiedDateTime",
                                         "roleScopeTagIds",
                                         "assignments"};

std::string QualityOf(const std::string& graph) {
  static const std::map<std::string, std::string> kMap = {
      {"numeric", "numeric"},
      {"numericComplex", "numeric_complex"},
      {"alphabetic", "alphabetic"},
      {"alphanumeric", "alphanumeric"},
      {"alphanumericWithSymbols", "complex"},
      {"lowSecurityBiometric", "biometric_weak"},
      {"atLeastNumeric", "numeric"},
      {"atLeastAlphabetic", "alphabetic"},
      {"atLeastAlphanumeric", "alphanumeric"},
      {"deviceDefault", "something"},
      {"required", "something"}};
  auto it = kMap.find(graph);
  return it == kMap.end() ? "" : it->second;
}

class Builder {
 public:
  explicit Builder(ImportResult* out) : out_(out) {}

  void Add(const std::string& setting, const std::string& control, std::string value,
           Severity severity, std::string remediation) {
    Rule r;
    r.id = control;
    r.control = control;
    r.value = std::move(value);
    r.severity = severity;
    r.evidence = Evidence::kSelfReport;
    r.remediation = std::move(remediation);
    for (const Rule& existing : out_->policy.rules) {
      if (existing.id == r.id) {
        out_->mapped.push_back(setting + " -> " + control + " (merged)");
        return;
      }
    }
    out_->mapped.push_back(setting + " -> " + control + (r.value.empty() ? "" : " " + r.value));
    out_->policy.rules.push_back(std::move(r));
  }

  void Unmapped(const std::string& setting, const std::string& why) {
    out_->unmapped.push_back(setting + ": " + why);
  }

 private:
  ImportResult* out_;
};

bool Set(const json& v) {
  return !(v.is_null() || (v.is_boolean() && !v.get<bool>()) || (v.is_array() && v.empty()) ||
           (v.is_string() && v.get<std::string>().empty()));
}

std::string Text(const json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); }

// One Graph setting; returns false when it has no custos control.
bool MapSetting(const std::string& k, const json& v, Builder& b) {
  const std::string t = Text(v);
  constexpr auto kMed = Severity::kMedium;
  constexpr auto kHigh = Severity::kHigh;
  if (k == "osMinimumVersion") {
    b.Add(k, "os_version_min", t, kMed, "Update the operating system to " + t + " or later.");
  } else if (k == "osMaximumVersion") {
    b.Add(k, "os_version_max", t, Severity::kLow, "This OS version is not yet approved.");
  } else if (k == "osMinimumBuildVersion") {
    b.Add(k, "os_build_min", t, kMed, "Install the latest OS build.");
  } else if (k == "minAndroidSecurityPatchLevel") {
    b.Add(k, "security_patch_min_date", t, kMed, "Install the latest security patch.");
  } else if (k == "securityBlockJailbrokenDevices") {
    b.Add(k, "integrity_not_compromised", "at_risk", Severity::kCritical,
          "This device appears rooted or jailbroken; contact IT.");
  } else if (k == "storageRequireEncryption") {
    b.Add(k, "encryption_required", "", kHigh, "Turn on device encryption.");
  } else if (k == "passcodeRequired" || k == "passwordRequired") {
    b.Add(k, "passcode_required", "", kHigh, "Set a device passcode.");
  } else if (k == "passcodeBlockSimple") {
    b.Add(k, "passcode_quality_min", "numeric_complex", kMed,
          "Use a passcode without repeats or sequences.");
  } else if (k == "passcodeRequiredType" || k == "passwordRequiredType") {
    const std::string q = QualityOf(t);
    if (q.empty()) {
      return false;
    }
    b.Add(k, "passcode_quality_min", q, kMed, "Use a " + q + " passcode.");
  } else if (k == "requiredPasswordComplexity") {
    b.Add(k, "passcode_complexity_min", t, kMed, "Use a stronger passcode.");
  } else if (k == "passcodeMinimumLength" || k == "passwordMinimumLength") {
    b.Add(k, "passcode_min_length", t, kMed, "Use a passcode of at least " + t + " characters.");
  } else if (k == "passcodeMinimumCharacterSetCount" || k == "passwordMinimumSymbolCharacters") {
    b.Add(k, "passcode_min_symbols", t, Severity::kLow, "Add symbols to your passcode.");
  } else if (k == "passcodeMinutesOfInactivityBeforeScreenTimeout" ||
             k == "passwordMinutesOfInactivityBeforeLock") {
    b.Add(k, "passcode_max_inactivity_min", t, kMed, "Set auto-lock to " + t + " minutes or less.");
  } else if (k == "passcodeMinutesOfInactivityBeforeLock") {
    b.Add(k, "passcode_max_grace_min", t, Severity::kLow,
          "Require the passcode within " + t + " minutes of locking.");
  } else if (k == "passcodeExpirationDays" || k == "passwordExpirationDays") {
    b.Add(k, "passcode_max_age_days", t, Severity::kLow, "Change your passcode.");
  } else if (k == "passcodePreviousPasscodeBlockCount" ||
             k == "passwordPreviousPasswordBlockCount" ||
             k == "passwordPreviousPasswordCountToBlock") {
    b.Add(k, "passcode_history_min", t, Severity::kLow, "Do not reuse recent passcodes.");
  } else if (k == "passwordSignInFailureCountBeforeFactoryReset") {
    b.Add(k, "passcode_max_failed_attempts", t, kMed, "Reviewed for BYOD: the device wipes.");
  } else if (k == "deviceThreatProtectionRequiredSecurityLevel" ||
             k == "advancedThreatProtectionRequiredSecurityLevel") {
    if (t == "unavailable" || t == "notSet") {
      return true;  // not configured
    }
    b.Add(k, "threat_level_max", t, kHigh, "Resolve the threats your security app reports.");
  } else if (k == "deviceThreatProtectionEnabled") {
    return true;  // the switch for the level above
  } else if (k == "restrictedApps") {
    return false;  // handled by the caller (a list)
  } else if (k == "securityPreventInstallAppsFromUnknownSources") {
    b.Add(k, "unknown_sources_off", "", kMed, "Turn off installs from unknown sources.");
  } else if (k == "securityDisableUsbDebugging") {
    b.Add(k, "adb_off", "", kMed, "Turn off USB debugging.");
  } else if (k == "securityRequireVerifyApps") {
    b.Add(k, "verify_apps_on", "", kMed, "Turn on Google Play Protect.");
  } else if (k == "securityRequireSafetyNetAttestationBasicIntegrity") {
    b.Add(k, "integrity_not_compromised", "at_risk", Severity::kCritical,
          "This device failed integrity checks; contact IT.");
  } else if (k == "securityRequireSafetyNetAttestationCertifiedDevice") {
    b.Add(k, "attestation_min", "software", kHigh, "Use a certified device.");
  } else if (k == "securityRequiredAndroidSafetyNetEvaluationType") {
    if (t == "hardwareBacked") {
      b.Add(k, "attestation_min", "hardware", kHigh, "Use a device with hardware attestation.");
    }
  } else {
    return false;
  }
  return true;
}

core::Result<ImportResult> ImportIntuneDocument(const json& doc, std::string_view file) {
  const std::string type = doc.value("@odata.type", std::string());
  ImportResult out;
  Policy& p = out.policy;
  p.ladder = DefaultLadder();
  p.name = doc.value("displayName", std::string("Imported Intune policy"));
  Platform platform = Platform::kUnknown;
  if (type.find("ios") != std::string::npos) {
    platform = Platform::kIos;
    p.id = "intune-ios";
  } else if (type.find("android") != std::string::npos) {
    platform = Platform::kAndroid;
    p.id = type.find("WorkProfile") != std::string::npos ? "intune-android-work-profile"
                                                         : "intune-android-fully-managed";
  } else {
    return core::InvalidArgument(std::string(file) + ": @odata.type '" + type +
                                 "' is not an iOS or Android compliance policy");
  }
  Builder b(&out);
  for (const auto& [key, value] : doc.items()) {
    if (kMetadata.count(key) || key == "scheduledActionsForRule") {
      continue;
    }
    if (key == "restrictedApps" && value.is_array() && !value.empty()) {
      Rule r{"apps_blocklist",
             "apps_blocklist",
             "",
             {},
             Severity::kHigh,
             {},
             {},
             Evidence::kMdm,
             std::nullopt,
             "Remove the blocked apps."};
      for (const auto& app : value) {
        r.values.push_back(app.is_object() ? app.value("appId", app.value("name", "")) : Text(app));
      }
      out.mapped.push_back("restrictedApps -> apps_blocklist");
      p.rules.push_back(std::move(r));
      continue;
    }
    if (!Set(value)) {
      continue;
    }
    if (!MapSetting(key, value, b)) {
      b.Unmapped(key, "no custos control (value " + Text(value) + ")");
    }
  }
  // Scheduled actions: a block after N hours is our grace before restriction.
  for (const auto& rule : doc.value("scheduledActionsForRule", json::array())) {
    for (const auto& action : rule.value("scheduledActionConfigurations", json::array())) {
      const std::string kind = action.value("actionType", "");
      const int hours = action.value("gracePeriodHours", 0);
      if (kind == "block") {
        for (Rule& r : p.rules) {
          r.grace_hours = hours;
        }
        out.mapped.push_back("scheduledActions block after " + std::to_string(hours) +
                             " h -> grace_hours " + std::to_string(hours));
      } else if (kind == "notification" || kind == "pushNotification") {
        out.mapped.push_back("scheduledActions " + kind + " -> ladder notify_user");
      } else {
        b.Unmapped("scheduledActions " + kind,
                   "kept on the default ladder (retire needs an approver in custos)");
      }
    }
  }
  for (Rule& r : p.rules) {
    r.platforms = {platform};
  }
  return out;
}

}  // namespace

core::Result<ImportResult> ImportIntunePolicy(std::string_view text, std::string_view file) {
  ASSIGN_OR_RETURN(json doc, core::ParseJson(text, core::kImportJsonLimits, file));
  if (!doc.is_object()) {
    return core::InvalidArgument(std::string(file) + ": not a JSON object");
  }
  try {
    return ImportIntuneDocument(doc, file);
  } catch (const json::exception& e) {  // a member of another type than the format's
    return core::InvalidArgument(std::string(file) + ": " + e.what());
  }
}

}  // namespace custos::devices
