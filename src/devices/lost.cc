// SPDX-License-Identifier: Apache-2.0
#include "devices/lost.h"

#include <array>

namespace custos::devices {
namespace {
constexpr std::array<std::string_view, 6> kNames = {"active",       "reported", "contained",
                                                    "wipe_pending", "wiped",    "retired"};
}  // namespace

std::string_view Name(LostState s) { return kNames[static_cast<std::size_t>(s)]; }

core::Result<LostState> ParseLostState(std::string_view s) {
  for (std::size_t i = 0; i < kNames.size(); ++i) {
    if (kNames[i] == s) {
      return static_cast<LostState>(i);
    }
  }
  return core::InvalidArgument("unknown lost state '" + std::string(s) + "'");
}

Transition LostMachine::Move(LostState to, std::string actor, core::Micros now,
                             std::string reason) {
  Transition t{rec_.state, to, std::move(actor), now, std::move(reason)};
  rec_.state = to;
  return t;
}

core::Status LostMachine::Expect(LostState want, std::string_view event) const {
  if (rec_.state != want) {
    return core::FailedPrecondition(std::string(event) + ": the device is " +
                                    std::string(Name(rec_.state)) + ", not " +
                                    std::string(Name(want)));
  }
  return core::Status::Ok();
}

core::Result<Transition> LostMachine::ReportLost(const std::string& actor, core::Micros now) {
  RETURN_IF_ERROR(Expect(LostState::kActive, "report-lost"));
  rec_.reported_by = actor;
  rec_.reported_at = now;
  rec_.found_at.reset();
  return Move(LostState::kReported, actor, now, "reported lost");
}

core::Result<Transition> LostMachine::Contain(core::Micros now) {
  RETURN_IF_ERROR(Expect(LostState::kReported, "contain"));
  return Move(LostState::kContained, "system", now,
              "messaging blocked, sessions revoked, lock queued");
}

core::Status LostMachine::Found(const std::string& actor, bool identity_verified,
                                core::Micros now) {
  (void)actor;
  RETURN_IF_ERROR(Expect(LostState::kContained, "found"));
  if (!identity_verified) {
    return core::FailedPrecondition("found: the user's identity must be re-verified first");
  }
  rec_.found_at = now;
  return core::Status::Ok();
}

std::optional<Transition> LostMachine::OnCompliantPosture(core::Micros collected_at,
                                                          core::Micros now) {
  if (rec_.state != LostState::kContained || !rec_.found_at || collected_at < *rec_.found_at) {
    return std::nullopt;
  }
  rec_.found_at.reset();
  return Move(LostState::kActive, "system", now, "found; fresh compliant posture");
}

core::Result<Transition> LostMachine::ConfirmStolen(const std::string& actor, core::Micros now) {
  RETURN_IF_ERROR(Expect(LostState::kContained, "confirm-stolen"));
  return Move(LostState::kWipePending, actor, now, "stolen confirmed; wipe awaits approval");
}

std::optional<Transition> LostMachine::CheckTimeout(int hours, core::Micros now) {
  if (rec_.state != LostState::kContained || rec_.found_at ||
      now - rec_.reported_at < core::Micros{hours} * 3600 * core::kMicrosPerSecond) {
    return std::nullopt;
  }
  return Move(LostState::kWipePending, "system", now,
              "not found after " + std::to_string(hours) + " h; wipe awaits approval");
}

core::Result<Transition> LostMachine::ApproveWipe(const std::string& approver, core::Micros now) {
  RETURN_IF_ERROR(Expect(LostState::kWipePending, "approve-wipe"));
  if (approver.empty()) {
    return core::InvalidArgument("approve-wipe: an approver is required");
  }
  if (approver == rec_.reported_by) {
    return core::PermissionDenied("approve-wipe: the approver must not be the reporter");
  }
  return Move(LostState::kWiped, approver, now, "wipe approved and queued");
}

core::Result<Transition> LostMachine::WipeAcknowledged(core::Micros now) {
  RETURN_IF_ERROR(Expect(LostState::kWiped, "wipe-acknowledged"));
  return Move(LostState::kRetired, "device", now, "wipe acknowledged; device retired");
}

}  // namespace custos::devices
