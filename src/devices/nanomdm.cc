// SPDX-License-Identifier: Apache-2.0
#include "devices/nanomdm.h"

#include <nlohmann/json.hpp>

#include "core/json_reader.h"
#include "crypto/crypto.h"
#include "devices/internal/json_get.h"
#include "devices/internal/plist_json.h"

namespace custos::devices {
namespace {

using nlohmann::json;

constexpr auto Str = internal::GetStr;
constexpr auto Bool = internal::GetTri;

Platform PlatformOf(const std::string& product) {
  if (product.rfind("iPad", 0) == 0) {
    return Platform::kIpados;
  }
  if (product.rfind("iPhone", 0) == 0 || product.rfind("iPod", 0) == 0) {
    return Platform::kIos;
  }
  return Platform::kUnknown;
}

// Fills `r` from an Authenticate message or a DeviceInformation QueryResponses dict.
void DeviceFields(const json& d, PostureReport* r) {
  r->os_version = Str(d, "OSVersion");
  r->os_build = Str(d, "BuildVersion");
  if (auto product = Str(d, "ProductName")) {
    r->platform = PlatformOf(*product);
  }
  r->supervised = Bool(d, "IsSupervised");
  r->lost_mode = Bool(d, "IsMDMLostModeEnabled");
  r->hardware.serial = Str(d, "SerialNumber");
  r->hardware.imei = Str(d, "IMEI");
  r->hardware.meid = Str(d, "MEID");
  r->hardware.wifi_mac = Str(d, "WiFiMAC");
  if (Bool(d, "IsUserEnrollment") == Tri::kTrue) {
    r->management_mode = "user_enrollment";
  } else if (r->supervised == Tri::kTrue) {
    r->management_mode = "supervised";
  }
}

// SecurityInfo (information.security): HardwareEncryptionCaps 3 + PasscodePresent = encrypted.
void SecurityFields(const json& s, PostureReport* r) {
  r->passcode_present = Bool(s, "PasscodePresent");
  r->passcode_compliant = Bool(s, "PasscodeCompliant");
  auto caps = s.find("HardwareEncryptionCaps");
  if (caps != s.end() && caps->is_number_integer()) {
    const bool block_and_file = caps->get<int>() == 3;
    if (!block_and_file || r->passcode_present == Tri::kFalse) {
      r->encryption_enabled = Tri::kFalse;
    } else if (r->passcode_present == Tri::kTrue) {
      r->encryption_enabled = Tri::kTrue;
    }
  }
  auto lock = s.find("AutoLockTime");
  if (lock != s.end() && lock->is_number_integer()) {
    r->passcode.max_inactivity_min = lock->get<int>() / 60;
  }
  auto grace = s.find("PasscodeLockGracePeriodEnforced");
  if (grace != s.end() && grace->is_number_integer()) {
    r->passcode.max_grace_min = grace->get<int>() / 60;
  }
}

MdmEvent FromPlist(const json& p, core::Micros now) {
  MdmEvent e;
  e.device_id = Str(p, "EnrollmentID").value_or(Str(p, "UDID").value_or(""));
  e.user_enrollment = p.contains("EnrollmentID");
  if (auto type = Str(p, "MessageType")) {
    e.message_type = *type;
  } else {
    e.acknowledgement = true;
    e.message_type = Str(p, "RequestType").value_or("");
    e.command_uuid = Str(p, "CommandUUID").value_or("");
    e.status = Str(p, "Status").value_or("");
  }
  PostureReport r;
  r.device_id = e.device_id;
  r.source = Source::kAppleMdm;
  r.collected_at = now;
  r.enrolled = Tri::kTrue;
  r.last_checkin = now;
  if (e.user_enrollment) {
    r.management_mode = "user_enrollment";
  }
  bool observed = false;
  if (e.message_type == "Authenticate") {
    DeviceFields(p, &r);
    observed = true;
  }
  if (auto q = p.find("QueryResponses"); q != p.end() && q->is_object()) {
    DeviceFields(*q, &r);
    observed = true;
  }
  if (auto s = p.find("SecurityInfo"); s != p.end() && s->is_object()) {
    SecurityFields(*s, &r);
    observed = true;
  }
  if (e.user_enrollment) {
    r.management_mode = "user_enrollment";
  }
  if (observed && !e.device_id.empty()) {
    e.posture = std::move(r);
  }
  return e;
}

}  // namespace

core::Result<MdmEvent> ParseMdmPlist(std::string_view plist, core::Micros now) {
  ASSIGN_OR_RETURN(json p, internal::PlistToJson(plist));
  if (!p.is_object()) {
    return core::InvalidArgument("MDM plist: expected a dictionary at the top");
  }
  MdmEvent e = FromPlist(p, now);
  if (e.device_id.empty()) {
    return core::InvalidArgument("MDM plist: no UDID or EnrollmentID");
  }
  return e;
}

core::Result<MdmEvent> ParseNanoMdmWebhook(std::string_view text, core::Micros now) {
  core::JsonLimits limits = core::kRequestJsonLimits;
  limits.max_bytes = kMaxNanoMdmWebhookBytes;  // the route's own body limit
  ASSIGN_OR_RETURN(json doc, core::ParseJson(text, limits, "NanoMDM webhook body"));
  if (!doc.is_object()) {
    return core::InvalidArgument("NanoMDM webhook: body is not a JSON object");
  }
  const char* which = doc.contains("checkin_event")       ? "checkin_event"
                      : doc.contains("acknowledge_event") ? "acknowledge_event"
                                                          : nullptr;
  if (which == nullptr || !doc[which].is_object()) {
    return core::InvalidArgument(
        "NanoMDM webhook: expected checkin_event or acknowledge_event (topic " +
        internal::GetStr(doc, "topic").value_or("?") + ")");
  }
  const json& ev = doc[which];
  auto raw = Str(ev, "raw_payload");
  if (!raw) {
    return core::InvalidArgument(std::string("NanoMDM webhook: ") + which +
                                 ".raw_payload: required (base64 plist)");
  }
  auto plist = crypto::Base64Decode(*raw);
  if (!plist) {
    return core::InvalidArgument(std::string("NanoMDM webhook: ") + which +
                                 ".raw_payload: not base64");
  }
  auto event = ParseMdmPlist(*plist, now);
  if (!event) {
    core::Status s = event.error();
    return s.WithContext(std::string("NanoMDM webhook ") + which + ".raw_payload");
  }
  if (auto status = Str(ev, "status"); status && event->status.empty()) {
    event->status = *status;
  }
  return event;
}

}  // namespace custos::devices
