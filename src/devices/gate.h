// SPDX-License-Identifier: Apache-2.0
// The gate on business messaging, for the ingest spine (issue 6, "The gate on messaging").
//
// For a message *sent from* an enrolled device, ingest calls
//   MessagingGate::Check(sender_identity, has_attachments)
// and gets:
//   kAllow       - no enrolled device for this identity, or its devices are allowed/warned;
//   kRestricted  - text may be sent, attachments may not (reason says which rule);
//   kBlocked     - nothing may be sent: device blocked, reported lost, wipe pending or wiped.
// A kRestricted result with has_attachments == true comes back as kBlocked with the reason,
// so the caller only needs `decision == kBlocked` -> reject and record the attempt. A message
// that names its device (sent through the device API, docs/devices.md) is decided by that
// device alone (CheckDevice). Inbound messages are never refused: they are archived, and
// WithheldDevices names the recipient's devices that must not receive them (lost, blocked);
// ingest records a `delivery_withheld` device event for each.
// Thread-safety: implementations must be safe to call from any ingest thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "core/time.h"
#include "crypto/keyring.h"
#include "devices/evaluator.h"
#include "devices/lost.h"
#include "model/message.h"
#include "storage/database.h"

namespace custos::devices {

enum class GateDecision { kAllow, kRestricted, kBlocked };
std::string_view Name(GateDecision d);

struct GateResult {
  GateDecision decision = GateDecision::kAllow;
  std::string reason;     // empty when allowed
  std::string device_id;  // the device that decided, when any
};

// The pure decision for one device.
GateResult DecideGate(MessagingAccess access, LostState lost, bool has_attachments);

class MessagingGate {
 public:
  virtual ~MessagingGate() = default;
  // `sender_identity` is the sender as the message names it: any identity of a directory
  // person (E.164 in any spelling, e-mail in any case, any handle) stands for the person, whose
  // devices all decide (the worst one wins).
  virtual GateResult Check(std::string_view sender_identity, bool has_attachments) const = 0;
  // The decision for a message sent from the enrolled device `device_id`; an unknown device is
  // kBlocked.
  virtual GateResult CheckDevice(std::string_view device_id, bool has_attachments) const = 0;
  // The devices of `recipient_identity` that must not receive business messages (lost/stolen
  // workflow, or messaging blocked).
  virtual std::vector<std::string> WithheldDevices(std::string_view recipient_identity) const = 0;
  // Binds a message sent with the credential of `device_id` to that device and its person
  // (docs/devices.md): kPermissionDenied (field `from`) when `from` is not an identity of the
  // person the device is enrolled to, kInvalidArgument (field `direction`) for an inbound
  // message, kUnauthenticated for an unknown device. On success `from` is normalised, and
  // `device` and `principal` ("device:<id>", its idempotency namespace) are set.
  virtual core::Status BindDeviceMessage(std::string_view device_id, model::Message& m) const = 0;
};

// What ingest records about a gated message, in the commit transaction of the message.
struct GateEvent {
  std::string device_id;
  std::string event;  // "send_blocked" or "delivery_withheld"
  std::int64_t message_id = 0;
  std::string reason;
  core::Micros at = 0;
};

// Appends one `device_event` record (actor "ingest", detail "message <id>: <reason>") per
// event, inside the caller's transaction.
core::Status RecordGateEvents(storage::Transaction& tx, const crypto::KeyRing& keys,
                              const std::vector<GateEvent>& events);

}  // namespace custos::devices
