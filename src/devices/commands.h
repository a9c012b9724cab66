// SPDX-License-Identifier: Apache-2.0
// Device commands (lock, lost mode, retire, erase, posture query) and their state machine:
//
//   queued --sent--> sent --acknowledged--> acknowledged
//                         --failed--------> failed
//   queued | sent --(now >= expires_at)--> expired
//   queued --cancelled--> cancelled   (a lock / lost mode no longer wanted: the device was found)
//
// Platform limits (docs/devices.md) are checked before a command is queued: no erase or
// lost mode on personal / user-enrolled devices; Apple lost mode needs supervision; Android
// lost mode is company-owned only. Android commands expire after 10 minutes by default (the
// AMAPI default); Apple commands wait for the device's check-in up to 30 days.
// Thread-safety: value types; callers serialise access per command.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"
#include "core/time.h"
#include "devices/posture.h"

namespace custos::devices {

enum class CommandType { kLock, kLostMode, kRetire, kErase, kQueryPosture };
enum class CommandState { kQueued, kSent, kAcknowledged, kFailed, kExpired, kCancelled };
std::string_view Name(CommandType v);
std::string_view Name(CommandState v);
core::Result<CommandType> ParseCommandType(std::string_view s);
core::Result<CommandState> ParseCommandState(std::string_view s);

struct Command {
  std::int64_t id = 0;
  std::string device_id;
  CommandType type = CommandType::kLock;
  CommandState state = CommandState::kQueued;
  std::string uuid;  // sent to the device / NanoMDM (CommandUUID)
  std::string actor;
  core::Micros created_at = 0;
  core::Micros updated_at = 0;
  core::Micros expires_at = 0;
  std::string detail;  // failure reason, acknowledgement status

  bool terminal() const {
    return state == CommandState::kAcknowledged || state == CommandState::kFailed ||
           state == CommandState::kExpired || state == CommandState::kCancelled;
  }
};

struct DeviceFacts {
  Platform platform = Platform::kUnknown;
  Ownership ownership = Ownership::kUnknown;
  std::string management_mode;  // "user_enrollment", "supervised", "work_profile", ...
  Tri supervised = Tri::kUnknown;
};

// kFailedPrecondition naming the limit when `type` is not allowed on this device.
core::Status CheckPlatformLimits(CommandType type, const DeviceFacts& device);

// The default lifetime of a command on this platform.
core::Micros DefaultCommandLifetime(Platform platform);

// Builds a queued command (after CheckPlatformLimits).
core::Result<Command> NewCommand(std::string device_id, CommandType type, const DeviceFacts& dev,
                                 std::string actor, std::string uuid, core::Micros now);

// State transitions; each refuses (kFailedPrecondition) from a state it does not leave, and
// expires the command first when its time is up.
core::Status MarkSent(Command* c, core::Micros now);
core::Status MarkAcknowledged(Command* c, core::Micros now, std::string detail = "");
core::Status MarkFailed(Command* c, core::Micros now, std::string reason);
// Cancels a queued command (never delivered); refuses any other state.
core::Status MarkCancelled(Command* c, core::Micros now, std::string reason);
// Moves a queued or sent command past expires_at to expired; returns whether it did.
bool ExpireIfDue(Command* c, core::Micros now);

}  // namespace custos::devices
