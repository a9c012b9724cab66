// SPDX-License-Identifier: Apache-2.0
#include "devices/gate.h"

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

}  // namespace custos::devices
