// SPDX-License-Identifier: Apache-2.0
// Apple passcode payload (com.apple.mobiledevice.passwordpolicy) -> device rules
// (docs/devices.md).
#include <nlohmann/json.hpp>

#include "devices/importers.h"
#include "devices/internal/json_get.h"
#include "devices/internal/plist_json.h"

namespace custos::devices {
namespace {

using nlohmann::json;

constexpr std::string_view kPasscodeType = "com.apple.mobiledevice.passwordpolicy";

bool IsPayloadMeta(const std::string& key) { return key.rfind("Payload", 0) == 0; }

const json* FindPayload(const json& root) {
  if (root.value("PayloadType", "") == kPasscodeType) {
    return &root;
  }
  auto content = root.find("PayloadContent");
  if (content != root.end() && content->is_array()) {
    for (const auto& p : *content) {
      if (p.is_object() && p.value("PayloadType", "") == kPasscodeType) {
        return &p;
      }
    }
  }
  // A bare payload dictionary without PayloadType.
  for (auto key : ApplePasscodeKeys()) {
    if (root.contains(std::string(key))) {
      return &root;
    }
  }
  return nullptr;
}

Rule MakeRule(std::string control, std::string value, Severity severity, std::string remediation) {
  Rule r;
  r.id = control;
  r.control = std::move(control);
  r.value = std::move(value);
  r.severity = severity;
  r.platforms = {Platform::kIos, Platform::kIpados};
  r.remediation = std::move(remediation);
  return r;
}

std::string Num(const json& v) {
  return v.is_number_integer() ? std::to_string(v.get<long long>())
         : v.is_string()       ? v.get<std::string>()
                               : v.dump();
}

}  // namespace

const std::vector<std::string_view>& ApplePasscodeKeys() {
  static const std::vector<std::string_view> kKeys = {"allowSimple",
                                                      "forcePIN",
                                                      "maxFailedAttempts",
                                                      "maxInactivity",
                                                      "maxPINAgeInDays",
                                                      "minComplexChars",
                                                      "minLength",
                                                      "requireAlphanumeric",
                                                      "pinHistory",
                                                      "maxGracePeriod",
                                                      "minutesUntilFailedLoginReset",
                                                      "changeAtNextAuth",
                                                      "customRegex"};
  return kKeys;
}

core::Result<ImportResult> ImportApplePasscode(std::string_view plist, std::string_view file) {
  auto root = internal::PlistToJson(plist);
  if (!root) {
    core::Status s = root.error();
    return s.WithContext(file);
  }
  const json* payload = root->is_object() ? FindPayload(*root) : nullptr;
  if (payload == nullptr) {
    return core::InvalidArgument(std::string(file) + ": no " + std::string(kPasscodeType) +
                                 " payload found");
  }
  ImportResult out;
  Policy& p = out.policy;
  p.id = "apple-passcode";
  p.name =
      internal::GetStr(*root, "PayloadDisplayName").value_or("Imported Apple passcode payload");
  p.ladder = DefaultLadder();
  auto add = [&](const std::string& key, Rule r) {
    out.mapped.push_back(key + " -> " + r.control + (r.value.empty() ? "" : " " + r.value));
    for (Rule& existing : p.rules) {
      if (existing.id == r.id) {
        existing = std::move(r);  // requireAlphanumeric outranks allowSimple
        return;
      }
    }
    p.rules.push_back(std::move(r));
  };
  bool alphanumeric = false;
  for (const auto& [key, v] : payload->items()) {
    if (IsPayloadMeta(key)) {
      continue;
    }
    const auto is_true = v.is_boolean() && v.get<bool>();
    if (key == "forcePIN") {
      if (is_true) {
        add(key, MakeRule("passcode_required", "", Severity::kHigh, "Set a device passcode."));
      }
    } else if (key == "allowSimple") {
      if (v.is_boolean() && !v.get<bool>() && !alphanumeric) {
        add(key, MakeRule("passcode_quality_min", "numeric_complex", Severity::kMedium,
                          "Use a passcode without repeats or sequences."));
      }
    } else if (key == "requireAlphanumeric") {
      if (is_true) {
        alphanumeric = true;
        add(key, MakeRule("passcode_quality_min", "alphanumeric", Severity::kMedium,
                          "Use a passcode with letters and numbers."));
      }
    } else if (key == "minLength") {
      add(key, MakeRule("passcode_min_length", Num(v), Severity::kMedium,
                        "Use a passcode of at least " + Num(v) + " characters."));
    } else if (key == "minComplexChars") {
      add(key, MakeRule("passcode_min_symbols", Num(v), Severity::kLow,
                        "Add symbols to your passcode."));
    } else if (key == "maxPINAgeInDays") {
      if (Num(v) != "0") {
        add(key,
            MakeRule("passcode_max_age_days", Num(v), Severity::kLow, "Change your passcode."));
      }
    } else if (key == "maxInactivity") {
      add(key, MakeRule("passcode_max_inactivity_min", Num(v), Severity::kMedium,
                        "Set auto-lock to " + Num(v) + " minutes or less."));
    } else if (key == "pinHistory") {
      add(key, MakeRule("passcode_history_min", Num(v), Severity::kLow,
                        "Do not reuse recent passcodes."));
    } else if (key == "maxGracePeriod") {
      add(key, MakeRule("passcode_max_grace_min", Num(v), Severity::kLow,
                        "Require the passcode immediately after locking."));
    } else if (key == "maxFailedAttempts") {
      add(key, MakeRule("passcode_max_failed_attempts", Num(v), Severity::kMedium,
                        "Failed attempts erase the device: review before BYOD use."));
      out.unmapped.push_back(key + ": the device erases itself after " + Num(v) +
                             " failures - a wipe side effect to review for personal devices");
    } else {
      out.unmapped.push_back(key + ": no custos control (macOS-oriented or pass-through)");
    }
  }
  return out;
}

}  // namespace custos::devices
