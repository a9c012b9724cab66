// SPDX-License-Identifier: Apache-2.0
// DeviceService: the NanoMDM side (webhook events in, commands out) and command expiry.
#include <algorithm>

#include "devices/service.h"
#include "devices/sql/store.h"

namespace custos::devices {
namespace {

bool IsApple(Platform p) { return p == Platform::kIos || p == Platform::kIpados; }

}  // namespace

std::string MdmDeviceId(std::string_view enrollment_id) {
  return std::string(kMdmDevicePrefix) + std::string(enrollment_id);
}

core::Result<MdmApplied> DeviceService::ApplyMdmEvent(const MdmEvent& event) {
  const std::string device_id = MdmDeviceId(event.device_id);
  ASSIGN_OR_RETURN(DeviceInfo info, Get(device_id));
  MdmApplied out;
  out.device_id = info.device_id;
  if (event.acknowledgement && !event.command_uuid.empty()) {
    if (event.status == "Acknowledged" || event.status == "Error" ||
        event.status == "CommandFormatError") {
      const bool ok = event.status == "Acknowledged";
      const core::Status acked = AckCommand(device_id, event.command_uuid, ok, event.status);
      // A result for a command custos did not send (another tool's) is not an error.
      if (!acked.ok() && acked.code() != core::StatusCode::kNotFound) {
        return acked;
      }
      out.command_state = acked.ok() ? (ok ? "acknowledged" : "failed") : "unknown_command";
    }
  }
  if (event.posture) {
    ASSIGN_OR_RETURN(PostureOutcome posture,
                     SubmitPosture(device_id, *event.posture, PostureChannel::kMdm));
    out.posture_state = std::string(Name(posture.verdict.state));
  }
  return out;
}

core::Result<DispatchSummary> DeviceService::DispatchToMdm(const NanoMdmClient* client) {
  const core::Micros now = clock_->Now();
  DispatchSummary summary;
  std::vector<Command> due;  // queued commands of NanoMDM-enrolled Apple devices
  {
    ASSIGN_OR_RETURN(auto tx, db_->Begin(storage::TxMode::kWrite));
    ASSIGN_OR_RETURN(auto rows, internal::LoadDevices(*tx, *keys_, {}));
    for (const internal::DeviceRow& row : rows) {
      ASSIGN_OR_RETURN(auto commands, internal::LoadCommands(*tx, *keys_, row.info.device_id));
      for (Command& c : commands) {
        if (ExpireIfDue(&c, now)) {
          RETURN_IF_ERROR(internal::SaveCommand(*tx, *keys_, c));
          RETURN_IF_ERROR(internal::RecordEvent(
              *tx, *keys_,
              {c.device_id, "command_expired", "", "expired", "system", now, c.id, c.detail}));
          ++summary.expired;
          continue;
        }
        const bool mdm = row.info.device_id.rfind(kMdmDevicePrefix, 0) == 0;
        if (c.state == CommandState::kQueued && mdm && IsApple(row.info.platform)) {
          due.push_back(c);
        }
      }
    }
    RETURN_IF_ERROR(tx->Commit());
  }
  if (client == nullptr) {
    return summary;  // no NanoMDM configured: Apple commands wait for the agent's check-in
  }
  for (Command& c : due) {
    const std::string enrollment = c.device_id.substr(kMdmDevicePrefix.size());
    const core::Status pushed = client->Enqueue(enrollment, c);
    if (pushed.code() == core::StatusCode::kUnavailable) {
      ++summary.retry;  // stays queued; the next dispatch tries again until it expires
      summary.errors.push_back(c.uuid + ": " + pushed.message());
      continue;
    }
    ASSIGN_OR_RETURN(auto tx, db_->Begin(storage::TxMode::kWrite));
    // Still queued? It may have been cancelled (device found) while NanoMDM was called.
    ASSIGN_OR_RETURN(auto current, internal::LoadCommands(*tx, *keys_, c.device_id));
    const bool still_queued = std::any_of(current.begin(), current.end(), [&](const Command& x) {
      return x.id == c.id && x.state == CommandState::kQueued;
    });
    if (!still_queued) {
      continue;
    }
    const CommandState before = c.state;
    RETURN_IF_ERROR(pushed.ok() ? MarkSent(&c, clock_->Now())
                                : MarkFailed(&c, clock_->Now(), pushed.message()));
    RETURN_IF_ERROR(internal::SaveCommand(*tx, *keys_, c));
    RETURN_IF_ERROR(internal::RecordEvent(
        *tx, *keys_,
        {c.device_id, pushed.ok() ? "command_sent" : "command_failed", std::string(Name(before)),
         std::string(Name(c.state)), "nanomdm", clock_->Now(), c.id,
         pushed.ok() ? "enqueued to NanoMDM" : pushed.message()}));
    RETURN_IF_ERROR(tx->Commit());
    ++(pushed.ok() ? summary.sent : summary.failed);
    if (!pushed.ok()) {
      summary.errors.push_back(c.uuid + ": " + pushed.message());
    }
  }
  return summary;
}

}  // namespace custos::devices
