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
// so the caller only needs `decision != kAllow` -> reject and record the attempt. Inbound
// messages are not gated (they are archived; delivery to a blocked device is the client's job,
// and `delivers_to_device` answers it).
// Thread-safety: implementations must be safe to call from any ingest thread.
#pragma once

#include <string>
#include <string_view>

#include "devices/evaluator.h"
#include "devices/lost.h"

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
  // `sender_identity` is the person/identity string ingest knows the sender by (the same value
  // given to `custos devices enroll --person`).
  virtual GateResult Check(std::string_view sender_identity, bool has_attachments) const = 0;
};

}  // namespace custos::devices
