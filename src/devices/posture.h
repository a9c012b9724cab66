// SPDX-License-Identifier: Apache-2.0
// The normalised device posture report (docs/devices.md): every adapter (NanoMDM, Android
// Management API, the app's self-report) turns what it receives into a PostureReport, and the
// evaluator reads only this. Every observation is tri-state or optional: absence means "not
// observed", never false. Unknown JSON fields are kept verbatim in `raw_evidence` and never
// trusted by any rule.
// Thread-safety: plain value types and pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "core/time.h"

namespace custos::devices {

enum class Tri { kUnknown, kFalse, kTrue };
enum class Platform { kUnknown, kIos, kIpados, kAndroid };
enum class Ownership { kUnknown, kCorporate, kPersonal };
enum class PrivacyTier { kCorporate, kByod };
// kFileImport: a report file submitted by an operator (`custos devices posture FILE`); whatever
// the file claims, it is trusted like a self-report (docs/devices.md, "Trust").
enum class Source { kAppleMdm, kAppleDdm, kAmapi, kIntuneGraph, kFleet, kAgent, kFileImport };
enum class IntegrityPosture { kUnknown, kSecure, kAtRisk, kCompromised };
enum class Attestation { kUnknown, kNone, kSoftware, kHardware };
enum class ThreatLevel { kUnknown, kSecured, kLow, kMedium, kHigh };

// Text names as used in JSON, YAML and the CLI ("ios", "personal", "agent", ...).
std::string_view Name(Tri v);
std::string_view Name(Platform v);
std::string_view Name(Ownership v);
std::string_view Name(PrivacyTier v);
std::string_view Name(Source v);
std::string_view Name(IntegrityPosture v);
std::string_view Name(Attestation v);
std::string_view Name(ThreatLevel v);
core::Result<Platform> ParsePlatform(std::string_view s);
core::Result<Ownership> ParseOwnership(std::string_view s);
core::Result<Source> ParseSource(std::string_view s);
core::Result<IntegrityPosture> ParseIntegrity(std::string_view s);
core::Result<Attestation> ParseAttestation(std::string_view s);
core::Result<ThreatLevel> ParseThreat(std::string_view s);

struct AppInfo {
  std::string id;
  std::string version;
};

// What the device says it enforces for its passcode; the passcode itself is never revealed.
struct PasscodeApplied {
  std::optional<int> min_length;
  std::optional<std::string> quality;     // none < biometric_weak < something < numeric < ...
  std::optional<std::string> complexity;  // low < medium < high
  std::optional<int> min_symbols;
  std::optional<int> max_inactivity_min;
  std::optional<int> max_age_days;
  std::optional<int> history;
  std::optional<int> max_failed_attempts;
  std::optional<int> max_grace_min;
  Tri separate_work_lock = Tri::kUnknown;
};

// The agent's answer to the blocked-app list the policy publishes to it (docs/devices.md,
// "Blocked apps on personal devices"): which of the listed ids it looked for and which of those
// are installed. It never carries the device's other apps.
struct BlocklistCheck {
  std::vector<std::string> checked;
  std::vector<std::string> present;
};

struct NonCompliance {
  std::string setting;
  std::string reason;
  std::string detail;
};

struct Location {
  double lat = 0;
  double lon = 0;
  double accuracy = 0;
};

// Hardware identifiers; never kept for personal devices.
struct HardwareIds {
  std::optional<std::string> serial;
  std::optional<std::string> imei;
  std::optional<std::string> meid;
  std::optional<std::string> wifi_mac;
  std::optional<std::string> udid;

  bool empty() const { return !serial && !imei && !meid && !wifi_mac && !udid; }
};

struct PostureReport {
  std::string schema_version = "1.0";
  std::string report_id;
  std::string device_id;
  std::string user_id;
  Platform platform = Platform::kUnknown;
  Ownership ownership = Ownership::kUnknown;
  std::string management_mode;  // fully_managed, supervised, user_enrollment, work_profile, ...
  PrivacyTier privacy_tier = PrivacyTier::kByod;
  Source source = Source::kAgent;
  core::Micros collected_at = 0;
  core::Micros received_at = 0;

  std::optional<std::string> os_version;
  std::optional<std::string> os_build;
  std::optional<std::string> security_patch_level;  // YYYY-MM-DD
  std::optional<int> api_level;
  std::optional<std::string> update_status;  // up_to_date, security_update, os_update, unknown

  IntegrityPosture integrity = IntegrityPosture::kUnknown;
  std::vector<std::string> integrity_risks;
  Attestation attestation = Attestation::kUnknown;
  Tri dev_mode = Tri::kUnknown;
  Tri adb = Tri::kUnknown;
  Tri unknown_sources = Tri::kUnknown;
  Tri verify_apps = Tri::kUnknown;

  Tri encryption_enabled = Tri::kUnknown;
  std::optional<std::string> encryption_status;

  Tri passcode_present = Tri::kUnknown;
  Tri passcode_compliant = Tri::kUnknown;  // the device's own verdict: evidence only
  PasscodeApplied passcode;

  Tri biometric_allowed = Tri::kUnknown;
  Tri vpn_always_on = Tri::kUnknown;

  std::optional<std::vector<AppInfo>> apps_managed;
  std::optional<std::vector<AppInfo>> apps_all;  // never kept on personal devices
  std::optional<AppInfo> messaging_client;
  std::optional<BlocklistCheck> blocklist_check;  // apps.blocklist_check

  Tri enrolled = Tri::kUnknown;
  Tri supervised = Tri::kUnknown;
  Tri lost_mode = Tri::kUnknown;
  std::optional<core::Micros> last_checkin;
  std::optional<std::string> policy_version;
  std::vector<NonCompliance> noncompliance;

  ThreatLevel threat = ThreatLevel::kUnknown;

  std::optional<Location> location;  // only in Lost Mode on corporate devices
  HardwareIds hardware;

  // Unknown fields, as a JSON object keyed by their dotted path ("os.foo"); untrusted.
  std::string raw_evidence = "{}";
};

// Parses and validates a posture report (the JSON of docs/devices.md). Type errors, bad enum
// values and bad timestamps are kInvalidArgument naming the field ("os.api_level: expected an
// integer"). device_id and collected_at are required; received_at is set by the caller.
core::Result<PostureReport> ParsePostureJson(std::string_view json);

// The JSON form; ParsePostureJson(PostureToJson(r)) == r up to received_at.
std::string PostureToJson(const PostureReport& report);

}  // namespace custos::devices
