// SPDX-License-Identifier: Apache-2.0
#include "devices/gate.h"

#include "devices/sql/store.h"

namespace custos::devices {

std::string_view Name(GateDecision d) {
  return d == GateDecision::kAllow        ? "allow"
         : d == GateDecision::kRestricted ? "restricted"
                                          : "blocked";
}

GateResult DecideGate(MessagingAccess access, LostState lost, bool has_attachments) {
  if (lost != LostState::kActive) {
    return {GateDecision::kBlocked, "device " + std::string(Name(lost)) + " (lost/stolen workflow)",
            ""};
  }
  if (access == MessagingAccess::kBlocked) {
    return {GateDecision::kBlocked, "device non-compliant: messaging blocked", ""};
  }
  if (access == MessagingAccess::kRestricted) {
    if (has_attachments) {
      return {GateDecision::kBlocked, "device restricted: attachments are not allowed", ""};
    }
    return {GateDecision::kRestricted, "device restricted: text only", ""};
  }
  return {};
}

core::Status RecordGateEvents(storage::Transaction& tx, const crypto::KeyRing& keys,
                              const std::vector<GateEvent>& events) {
  for (const GateEvent& e : events) {
    RETURN_IF_ERROR(
        internal::RecordEvent(tx, keys,
                              {e.device_id, e.event, "", "", "ingest", e.at, 0,
                               "message " + std::to_string(e.message_id) + ": " + e.reason}));
  }
  return core::Status::Ok();
}

}  // namespace custos::devices
