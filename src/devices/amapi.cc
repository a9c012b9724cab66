// SPDX-License-Identifier: Apache-2.0
#include "devices/amapi.h"

#include <algorithm>
#include <cctype>

#include <nlohmann/json.hpp>

#include "core/json_reader.h"
#include "devices/internal/json_get.h"

namespace custos::devices {
namespace {

using nlohmann::json;

constexpr auto Str = internal::GetStr;
constexpr auto Bool = internal::GetTri;

std::optional<int> Int(const json& obj, const char* key) {
  auto it = obj.find(key);
  return it != obj.end() && it->is_number_integer() ? std::optional(it->get<int>()) : std::nullopt;
}

const json& Obj(const json& obj, const char* key) {
  static const json kEmpty = json::object();
  auto it = obj.find(key);
  return it != obj.end() && it->is_object() ? *it : kEmpty;
}

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

void Passwords(const json& d, PostureReport* r) {
  auto it = d.find("appliedPasswordPolicies");
  if (it == d.end() || !it->is_array() || it->empty() || !(*it)[0].is_object()) {
    return;
  }
  const json& p = (*it)[0];
  PasscodeApplied& a = r->passcode;
  a.min_length = Int(p, "passwordMinimumLength");
  a.min_symbols = Int(p, "passwordMinimumSymbols");
  a.history = Int(p, "passwordHistoryLength");
  a.max_failed_attempts = Int(p, "maximumFailedPasswordsForWipe");
  if (auto q = Str(p, "passwordQuality")) {
    if (q->rfind("COMPLEXITY_", 0) == 0) {
      a.complexity = Lower(q->substr(11));
    } else if (*q != "PASSWORD_QUALITY_UNSPECIFIED") {
      a.quality = Lower(*q);
    }
  }
  if (auto exp = Str(p, "passwordExpirationTimeout")) {  // "31536000s"
    a.max_age_days = static_cast<int>(std::strtoll(exp->c_str(), nullptr, 10) / 86400);
  }
}

void Settings(const json& s, PostureReport* r) {
  r->passcode_present = Bool(s, "isDeviceSecure");
  r->encryption_enabled = Bool(s, "isEncrypted");
  if (auto status = Str(s, "encryptionStatus")) {
    r->encryption_status = Lower(*status);
  }
  r->dev_mode = Bool(s, "developmentSettingsEnabled");
  r->adb = Bool(s, "adbEnabled");
  r->unknown_sources = Bool(s, "unknownSourcesEnabled");
  r->verify_apps = Bool(s, "verifyAppsEnabled");
}

void Posture(const json& p, PostureReport* r) {
  const std::string posture = Str(p, "devicePosture").value_or("");
  r->integrity = posture == "SECURE"                    ? IntegrityPosture::kSecure
                 : posture == "AT_RISK"                 ? IntegrityPosture::kAtRisk
                 : posture == "POTENTIALLY_COMPROMISED" ? IntegrityPosture::kCompromised
                                                        : IntegrityPosture::kUnknown;
  r->attestation = posture.empty() ? Attestation::kUnknown : Attestation::kHardware;
  if (auto details = p.find("postureDetails"); details != p.end() && details->is_array()) {
    for (const auto& d : *details) {
      if (auto risk = Str(d, "securityRisk")) {
        r->integrity_risks.push_back(*risk);
        if (*risk == "HARDWARE_BACKED_EVALUATION_FAILED") {
          r->attestation = Attestation::kSoftware;
        }
      }
    }
  }
}

}  // namespace

core::Result<PostureReport> ParseAmapiDevice(std::string_view text) {
  ASSIGN_OR_RETURN(json d, core::ParseJson(text, core::kRequestJsonLimits, "AMAPI Device"));
  if (!d.is_object()) {
    return core::InvalidArgument("AMAPI Device: not a JSON object");
  }
  PostureReport r;
  r.source = Source::kAmapi;
  r.platform = Platform::kAndroid;
  r.device_id = Str(d, "name").value_or("");
  if (r.device_id.empty()) {
    return core::InvalidArgument("AMAPI Device.name: required");
  }
  r.user_id = Str(d, "userName").value_or("");
  const std::string owner = Str(d, "ownership").value_or("");
  r.ownership = owner == "COMPANY_OWNED"      ? Ownership::kCorporate
                : owner == "PERSONALLY_OWNED" ? Ownership::kPersonal
                                              : Ownership::kUnknown;
  const std::string mode = Str(d, "managementMode").value_or("");
  r.management_mode = mode == "DEVICE_OWNER"    ? "fully_managed"
                      : mode == "PROFILE_OWNER" ? "work_profile"
                                                : "";
  const auto time = Str(d, "lastStatusReportTime");
  if (!time) {
    return core::InvalidArgument("AMAPI Device.lastStatusReportTime: required (RFC 3339)");
  }
  auto collected = core::ParseRfc3339(*time);
  if (!collected) {
    return core::InvalidArgument("AMAPI Device.lastStatusReportTime: " +
                                 collected.error().message());
  }
  r.collected_at = *collected;
  if (auto sync = Str(d, "lastPolicySyncTime")) {
    if (auto t = core::ParseRfc3339(*sync)) {
      r.last_checkin = *t;
    }
  }
  const json& sw = Obj(d, "softwareInfo");
  r.os_version = Str(sw, "androidVersion");
  r.os_build = Str(sw, "androidBuildNumber");
  r.security_patch_level = Str(sw, "securityPatchLevel");
  if (auto update = Str(Obj(sw, "systemUpdateInfo"), "updateStatus")) {
    r.update_status = *update == "UP_TO_DATE"                                 ? "up_to_date"
                      : update->find("SECURITY") != std::string::npos         ? "security_update"
                      : update->find("UPDATE_AVAILABLE") != std::string::npos ? "os_update"
                                                                              : "unknown";
  }
  r.api_level = Int(d, "apiLevel");
  Posture(Obj(d, "securityPosture"), &r);
  Settings(Obj(d, "deviceSettings"), &r);
  Passwords(d, &r);
  r.enrolled = Tri::kTrue;
  const std::string state = Str(d, "state").value_or("");
  r.lost_mode = state == "LOST" ? Tri::kTrue : Tri::kFalse;
  if (auto v = d.find("appliedPolicyVersion"); v != d.end() && !v->is_null()) {
    r.policy_version = v->is_string() ? v->get<std::string>() : v->dump();
  }
  if (auto nc = d.find("nonComplianceDetails"); nc != d.end() && nc->is_array()) {
    for (const auto& n : *nc) {
      r.noncompliance.push_back({Str(n, "settingName").value_or(""),
                                 Str(n, "nonComplianceReason").value_or(""),
                                 Str(n, "specificNonComplianceReason").value_or("")});
      if (Str(n, "settingName").value_or("") == "passwordPolicies") {
        r.passcode_compliant = Tri::kFalse;
      }
    }
  }
  r.hardware.serial = Str(Obj(d, "hardwareInfo"), "serialNumber");
  r.hardware.imei = Str(Obj(d, "networkInfo"), "imei");
  r.hardware.meid = Str(Obj(d, "networkInfo"), "meid");
  r.hardware.wifi_mac = Str(Obj(d, "networkInfo"), "wifiMacAddress");
  if (auto apps = d.find("applicationReports"); apps != d.end() && apps->is_array()) {
    r.apps_all.emplace();
    for (const auto& a : *apps) {
      r.apps_all->push_back(
          {Str(a, "packageName").value_or(""), Str(a, "versionName").value_or("")});
    }
  }
  return r;
}

}  // namespace custos::devices
