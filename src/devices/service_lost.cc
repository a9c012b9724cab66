// SPDX-License-Identifier: Apache-2.0
// DeviceService: the lost/stolen workflow and device commands.
#include "devices/credentials.h"
#include "devices/service.h"
#include "devices/sql/store.h"

namespace custos::devices {
namespace {

using internal::DeviceRow;

core::Result<DeviceRow> MustLoadRow(storage::Transaction& tx, const crypto::KeyRing& keys,
                                    const std::string& device_id) {
  ASSIGN_OR_RETURN(auto row, internal::LoadDevice(tx, keys, device_id));
  if (!row) {
    return core::NotFound("no device '" + device_id + "'");
  }
  return std::move(*row);
}

internal::Event FromTransition(const std::string& device, const Transition& t, std::string event,
                               std::int64_t command = 0) {
  return {
      device,  std::move(event), std::string(Name(t.from)), std::string(Name(t.to)), t.actor, t.at,
      command, t.reason};
}

DeviceFacts Facts(const DeviceInfo& i) {
  return {i.platform, i.ownership, i.management_mode,
          i.management_mode == "supervised" ? Tri::kTrue : Tri::kFalse};
}

// Queues `type` in the caller's transaction and records it; returns the command id.
core::Result<Command> Queue(storage::Transaction& tx, const crypto::KeyRing& keys,
                            const DeviceInfo& info, CommandType type, const std::string& actor,
                            core::Micros now) {
  ASSIGN_OR_RETURN(Secret uuid, NewSecret(""));
  ASSIGN_OR_RETURN(Command c, NewCommand(info.device_id, type, Facts(info), actor,
                                         uuid.plaintext.substr(0, 32), now));
  ASSIGN_OR_RETURN(c.id, internal::InsertCommand(tx, keys, c));
  RETURN_IF_ERROR(internal::RecordEvent(
      tx, keys,
      {info.device_id, "command_queued", "", "queued", actor, now, c.id, std::string(Name(type))}));
  return c;
}

}  // namespace

core::Result<std::vector<Transition>> DeviceService::ReportLost(const std::string& device_id,
                                                                const std::string& actor) {
  const core::Micros now = clock_->Now();
  ASSIGN_OR_RETURN(auto tx, db_->Begin(storage::TxMode::kWrite));
  ASSIGN_OR_RETURN(DeviceRow row, MustLoadRow(*tx, *keys_, device_id));
  LostMachine lost(row.lost);
  ASSIGN_OR_RETURN(Transition reported, lost.ReportLost(actor, now));
  RETURN_IF_ERROR(
      internal::RecordEvent(*tx, *keys_, FromTransition(device_id, reported, "report_lost")));
  // Contain at once: block messaging, revoke sessions, queue a lock (lost mode when allowed).
  const bool lost_mode_ok = CheckPlatformLimits(CommandType::kLostMode, Facts(row.info)).ok();
  ASSIGN_OR_RETURN(Command lock,
                   Queue(*tx, *keys_, row.info,
                         lost_mode_ok ? CommandType::kLostMode : CommandType::kLock, actor, now));
  ASSIGN_OR_RETURN(Transition contained, lost.Contain(now));
  RETURN_IF_ERROR(internal::RecordEvent(
      *tx, *keys_, FromTransition(device_id, contained, "contained", lock.id)));
  row.lost = lost.record();
  row.info.lost = lost.state();
  RETURN_IF_ERROR(Reevaluate(*tx, &row, now, "reported lost"));  // not-lost fails at once
  RETURN_IF_ERROR(internal::SaveDevice(*tx, *keys_, row));
  RETURN_IF_ERROR(tx->Commit());
  return std::vector<Transition>{reported, contained};
}

core::Status DeviceService::Found(const std::string& device_id, const std::string& actor) {
  const core::Micros now = clock_->Now();
  ASSIGN_OR_RETURN(auto tx, db_->Begin(storage::TxMode::kWrite));
  ASSIGN_OR_RETURN(DeviceRow row, MustLoadRow(*tx, *keys_, device_id));
  LostMachine lost(row.lost);
  // The CLI/API caller is an authenticated admin or the employee's re-verified session.
  RETURN_IF_ERROR(lost.Found(actor, /*identity_verified=*/true, now));
  RETURN_IF_ERROR(
      internal::RecordEvent(*tx, *keys_,
                            {device_id, "found", "contained", "contained", actor, now, 0,
                             "identity re-verified; waiting for a fresh compliant posture"}));
  // The owner has the device again: a lock or lost mode not yet delivered must not reach it.
  RETURN_IF_ERROR(CancelContainment(*tx, device_id, actor, now, "device found").status());
  row.lost = lost.record();
  RETURN_IF_ERROR(Reevaluate(*tx, &row, now, "found"));
  RETURN_IF_ERROR(internal::SaveDevice(*tx, *keys_, row));
  return tx->Commit();
}

core::Result<int> DeviceService::CancelContainment(storage::Transaction& tx,
                                                   const std::string& device_id,
                                                   const std::string& actor, core::Micros now,
                                                   const std::string& reason) {
  ASSIGN_OR_RETURN(auto commands, internal::LoadCommands(tx, *keys_, device_id));
  int cancelled = 0;
  for (Command& c : commands) {
    if (c.type != CommandType::kLock && c.type != CommandType::kLostMode) {
      continue;
    }
    if (ExpireIfDue(&c, now)) {
      RETURN_IF_ERROR(internal::SaveCommand(tx, *keys_, c));
      RETURN_IF_ERROR(internal::RecordEvent(
          tx, *keys_,
          {device_id, "command_expired", "", "expired", "system", now, c.id, c.detail}));
      continue;
    }
    if (c.state != CommandState::kQueued) {
      continue;  // delivered already (sent, acknowledged) or finished
    }
    RETURN_IF_ERROR(MarkCancelled(&c, now, "cancelled: " + reason));
    RETURN_IF_ERROR(internal::SaveCommand(tx, *keys_, c));
    RETURN_IF_ERROR(
        internal::RecordEvent(tx, *keys_,
                              {device_id, "command_cancelled", "queued", "cancelled", actor, now,
                               c.id, std::string(Name(c.type)) + " not delivered: " + reason}));
    ++cancelled;
  }
  return cancelled;
}

core::Result<Transition> DeviceService::ConfirmStolen(const std::string& device_id,
                                                      const std::string& actor) {
  const core::Micros now = clock_->Now();
  ASSIGN_OR_RETURN(auto tx, db_->Begin(storage::TxMode::kWrite));
  ASSIGN_OR_RETURN(DeviceRow row, MustLoadRow(*tx, *keys_, device_id));
  LostMachine lost(row.lost);
  ASSIGN_OR_RETURN(Transition t, lost.ConfirmStolen(actor, now));
  RETURN_IF_ERROR(internal::RecordEvent(*tx, *keys_, FromTransition(device_id, t, "stolen")));
  row.lost = lost.record();
  row.info.lost = lost.state();
  RETURN_IF_ERROR(Reevaluate(*tx, &row, now, "stolen"));
  RETURN_IF_ERROR(internal::SaveDevice(*tx, *keys_, row));
  RETURN_IF_ERROR(tx->Commit());
  return t;
}

core::Result<Transition> DeviceService::ApproveWipe(const std::string& device_id,
                                                    const std::string& approver) {
  const core::Micros now = clock_->Now();
  ASSIGN_OR_RETURN(auto tx, db_->Begin(storage::TxMode::kWrite));
  ASSIGN_OR_RETURN(DeviceRow row, MustLoadRow(*tx, *keys_, device_id));
  LostMachine lost(row.lost);
  ASSIGN_OR_RETURN(Transition t, lost.ApproveWipe(approver, now));
  // Corporate: full erase; personal / user-enrolled: retire (managed data only).
  const bool erase_ok = CheckPlatformLimits(CommandType::kErase, Facts(row.info)).ok();
  ASSIGN_OR_RETURN(Command wipe,
                   Queue(*tx, *keys_, row.info,
                         erase_ok ? CommandType::kErase : CommandType::kRetire, approver, now));
  RETURN_IF_ERROR(
      internal::RecordEvent(*tx, *keys_, FromTransition(device_id, t, "wipe_approved", wipe.id)));
  row.lost = lost.record();
  row.info.lost = lost.state();
  RETURN_IF_ERROR(Reevaluate(*tx, &row, now, "wipe approved"));
  RETURN_IF_ERROR(internal::SaveDevice(*tx, *keys_, row));
  RETURN_IF_ERROR(tx->Commit());
  return t;
}

core::Result<Command> DeviceService::QueueCommand(const std::string& device_id, CommandType type,
                                                  const std::string& actor) {
  ASSIGN_OR_RETURN(auto tx, db_->Begin(storage::TxMode::kWrite));
  ASSIGN_OR_RETURN(DeviceRow row, MustLoadRow(*tx, *keys_, device_id));
  ASSIGN_OR_RETURN(Command c, Queue(*tx, *keys_, row.info, type, actor, clock_->Now()));
  RETURN_IF_ERROR(tx->Commit());
  return c;
}

core::Result<std::vector<Command>> DeviceService::Commands(const std::string& device_id) const {
  ASSIGN_OR_RETURN(auto tx, db_->Begin(storage::TxMode::kRead));
  ASSIGN_OR_RETURN(DeviceRow row, MustLoadRow(*tx, *keys_, device_id));
  ASSIGN_OR_RETURN(auto commands, internal::LoadCommands(*tx, *keys_, device_id));
  for (Command& c : commands) {
    ExpireIfDue(&c, clock_->Now());  // shown as expired; stored on the next write
  }
  return commands;
}

core::Result<std::vector<Command>> DeviceService::Deliver(const std::string& device_id) {
  const core::Micros now = clock_->Now();
  ASSIGN_OR_RETURN(auto tx, db_->Begin(storage::TxMode::kWrite));
  ASSIGN_OR_RETURN(auto commands, internal::LoadCommands(*tx, *keys_, device_id));
  std::vector<Command> out;
  for (Command& c : commands) {
    if (c.terminal()) {
      continue;
    }
    if (ExpireIfDue(&c, now)) {
      RETURN_IF_ERROR(internal::SaveCommand(*tx, *keys_, c));
      RETURN_IF_ERROR(internal::RecordEvent(
          *tx, *keys_, {device_id, "command_expired", "", "expired", "system", now, c.id, ""}));
      continue;
    }
    if (c.state == CommandState::kQueued) {
      RETURN_IF_ERROR(MarkSent(&c, now));
      RETURN_IF_ERROR(internal::SaveCommand(*tx, *keys_, c));
      RETURN_IF_ERROR(internal::RecordEvent(
          *tx, *keys_, {device_id, "command_sent", "queued", "sent", "system", now, c.id, ""}));
      out.push_back(c);
    }
  }
  RETURN_IF_ERROR(tx->Commit());
  return out;
}

core::Status DeviceService::AckCommand(const std::string& device_id, const std::string& uuid,
                                       bool ok, const std::string& detail) {
  const core::Micros now = clock_->Now();
  ASSIGN_OR_RETURN(auto tx, db_->Begin(storage::TxMode::kWrite));
  ASSIGN_OR_RETURN(auto commands, internal::LoadCommands(*tx, *keys_, device_id));
  for (Command& c : commands) {
    if (c.uuid != uuid) {
      continue;
    }
    const CommandState before = c.state;
    RETURN_IF_ERROR(ok ? MarkAcknowledged(&c, now, detail) : MarkFailed(&c, now, detail));
    RETURN_IF_ERROR(internal::SaveCommand(*tx, *keys_, c));
    RETURN_IF_ERROR(internal::RecordEvent(
        *tx, *keys_,
        {device_id, ok ? "command_acknowledged" : "command_failed", std::string(Name(before)),
         std::string(Name(c.state)), "device", now, c.id, detail}));
    if (ok && (c.type == CommandType::kErase || c.type == CommandType::kRetire)) {
      ASSIGN_OR_RETURN(DeviceRow row, MustLoadRow(*tx, *keys_, device_id));
      LostMachine lost(row.lost);
      if (auto t = lost.WipeAcknowledged(now)) {
        RETURN_IF_ERROR(
            internal::RecordEvent(*tx, *keys_, FromTransition(device_id, *t, "retired", c.id)));
        row.lost = lost.record();
        row.info.lost = lost.state();
        RETURN_IF_ERROR(Reevaluate(*tx, &row, now, "retired"));
        RETURN_IF_ERROR(internal::SaveDevice(*tx, *keys_, row));
      }
    }
    return tx->Commit();
  }
  return core::NotFound("device '" + device_id + "' has no command " + uuid);
}

}  // namespace custos::devices
