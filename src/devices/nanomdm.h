// SPDX-License-Identifier: Apache-2.0
// NanoMDM events mapped into custos (the iOS fields named in docs/devices.md).
//
// NanoMDM's webhook (service/webhook) posts JSON envelopes: `checkin_event` (Authenticate,
// TokenUpdate, CheckOut) or `acknowledge_event` (a command result), each with the device's
// plist as base64 `raw_payload`. ParseNanoMdmWebhook decodes the envelope and the plist;
// ParseMdmPlist reads a bare check-in or command-result plist. Query responses
// (DeviceInformation QueryResponses, SecurityInfo) become a PostureReport (source apple_mdm).
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"
#include "core/time.h"
#include "devices/posture.h"

namespace custos::devices {

struct MdmEvent {
  std::string message_type;  // Authenticate, TokenUpdate, CheckOut, or the command RequestType
  std::string device_id;     // UDID, or EnrollmentID on User Enrollment
  bool user_enrollment = false;
  bool acknowledgement = false;  // a command result
  std::string command_uuid;
  std::string status;  // Acknowledged, Error, CommandFormatError, NotNow, Idle
  std::optional<PostureReport> posture;
};

// The largest NanoMDM webhook body: command results (an InstalledApplicationList, a
// CertificateList) are base64 plists of some MiB. The route POST /hooks/nanomdm declares this
// body limit and ParseNanoMdmWebhook reads the envelope with it, so that a body the route
// accepted is judged by its content (a deep plist is refused by its depth, not its size).
inline constexpr std::size_t kMaxNanoMdmWebhookBytes = std::size_t{8} << 20;

// `now` stamps collected_at when the plist carries no time of its own.
core::Result<MdmEvent> ParseMdmPlist(std::string_view plist, core::Micros now);
// The envelope is read with core::kRequestJsonLimits' depth and element bounds and
// kMaxNanoMdmWebhookBytes; the plist is bounded (internal::CheckPlistBounds) before libplist.
core::Result<MdmEvent> ParseNanoMdmWebhook(std::string_view json, core::Micros now);

}  // namespace custos::devices
