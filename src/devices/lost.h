// SPDX-License-Identifier: Apache-2.0
// The lost/stolen state machine of docs/devices.md:
//
//   active --report_lost--> reported --contain (automatic, at once)--> contained
//   contained --found (identity re-verified) + fresh compliant posture--> active
//   contained --confirm_stolen | not found after N hours--> wipe_pending
//   wipe_pending --approve_wipe (an approver other than the reporter)--> wiped
//   wiped --wipe acknowledged--> retired (the record is kept for audit)
//
// Every accepted event returns a Transition (from, to, actor, time, reason) that the caller
// records; a refused event is kFailedPrecondition naming the state.
// Thread-safety: a value type; callers serialise access per device.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"
#include "core/time.h"

namespace custos::devices {

enum class LostState { kActive, kReported, kContained, kWipePending, kWiped, kRetired };
std::string_view Name(LostState s);
core::Result<LostState> ParseLostState(std::string_view s);

struct Transition {
  LostState from = LostState::kActive;
  LostState to = LostState::kActive;
  std::string actor;
  core::Micros at = 0;
  std::string reason;
};

struct LostRecord {
  LostState state = LostState::kActive;
  std::string reported_by;
  core::Micros reported_at = 0;
  std::optional<core::Micros> found_at;  // identity re-verified; waiting for a fresh posture
};

class LostMachine {
 public:
  explicit LostMachine(LostRecord record = {}) : rec_(std::move(record)) {}

  const LostRecord& record() const { return rec_; }

  LostState state() const { return rec_.state; }

  // True while business messaging must be blocked (reported ... retired).
  bool blocks_messaging() const { return rec_.state != LostState::kActive; }

  core::Result<Transition> ReportLost(const std::string& actor, core::Micros now);
  core::Result<Transition> Contain(core::Micros now);
  // Marks the device found; `identity_verified` must be true. Stays contained until a fresh
  // compliant posture arrives (OnCompliantPosture).
  core::Status Found(const std::string& actor, bool identity_verified, core::Micros now);
  std::optional<Transition> OnCompliantPosture(core::Micros collected_at, core::Micros now);
  core::Result<Transition> ConfirmStolen(const std::string& actor, core::Micros now);
  // contained for longer than `hours` without being found -> wipe_pending.
  std::optional<Transition> CheckTimeout(int hours, core::Micros now);
  core::Result<Transition> ApproveWipe(const std::string& approver, core::Micros now);
  core::Result<Transition> WipeAcknowledged(core::Micros now);

 private:
  Transition Move(LostState to, std::string actor, core::Micros now, std::string reason);
  core::Status Expect(LostState want, std::string_view event) const;

  LostRecord rec_;
};

}  // namespace custos::devices
