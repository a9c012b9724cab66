// SPDX-License-Identifier: Apache-2.0
#include "devices/commands.h"

#include <array>

#include "devices/internal/json_get.h"

namespace custos::devices {
namespace {

constexpr std::array<std::string_view, 5> kTypes = {"lock", "lost_mode", "retire", "erase",
                                                    "query_posture"};
constexpr std::array<std::string_view, 6> kStates = {"queued", "sent",    "acknowledged",
                                                     "failed", "expired", "cancelled"};
constexpr core::Micros kMinute = 60 * core::kMicrosPerSecond;

bool UserEnrolled(const DeviceFacts& d) {
  return d.ownership == Ownership::kPersonal || d.management_mode == "user_enrollment" ||
         d.management_mode == "work_profile";
}

core::Status Refuse(const Command& c, std::string_view event) {
  return core::FailedPrecondition("command " + std::to_string(c.id) + ": cannot mark " +
                                  std::string(event) + " from state " + std::string(Name(c.state)));
}

}  // namespace

std::string_view Name(CommandType v) { return kTypes[static_cast<std::size_t>(v)]; }

std::string_view Name(CommandState v) { return kStates[static_cast<std::size_t>(v)]; }

core::Result<CommandType> ParseCommandType(std::string_view s) {
  return internal::ParseIndexed<CommandType>(kTypes, s, "command type");
}

core::Result<CommandState> ParseCommandState(std::string_view s) {
  return internal::ParseIndexed<CommandState>(kStates, s, "command state");
}

core::Status CheckPlatformLimits(CommandType type, const DeviceFacts& d) {
  if (type == CommandType::kErase && UserEnrolled(d)) {
    return core::FailedPrecondition(
        "erase is not allowed on a personal or user-enrolled device (use retire)");
  }
  if (type == CommandType::kLostMode) {
    if (UserEnrolled(d)) {
      return core::FailedPrecondition(
          "lost mode is not allowed on a personal or user-enrolled device (use lock or retire)");
    }
    if ((d.platform == Platform::kIos || d.platform == Platform::kIpados) &&
        d.supervised != Tri::kTrue) {
      return core::FailedPrecondition("Apple lost mode needs a supervised device");
    }
    if (d.platform == Platform::kAndroid && d.ownership != Ownership::kCorporate) {
      return core::FailedPrecondition("Android lost mode is for company-owned devices only");
    }
  }
  return core::Status::Ok();
}

core::Micros DefaultCommandLifetime(Platform platform) {
  return platform == Platform::kAndroid ? 10 * kMinute : 30 * 24 * 60 * kMinute;
}

core::Result<Command> NewCommand(std::string device_id, CommandType type, const DeviceFacts& dev,
                                 std::string actor, std::string uuid, core::Micros now) {
  RETURN_IF_ERROR(CheckPlatformLimits(type, dev));
  Command c;
  c.device_id = std::move(device_id);
  c.type = type;
  c.uuid = std::move(uuid);
  c.actor = std::move(actor);
  c.created_at = now;
  c.updated_at = now;
  c.expires_at = now + DefaultCommandLifetime(dev.platform);
  return c;
}

bool ExpireIfDue(Command* c, core::Micros now) {
  if ((c->state == CommandState::kQueued || c->state == CommandState::kSent) &&
      now >= c->expires_at) {
    c->state = CommandState::kExpired;
    c->updated_at = now;
    c->detail = "expired before acknowledgement";
    return true;
  }
  return false;
}

core::Status MarkSent(Command* c, core::Micros now) {
  ExpireIfDue(c, now);
  if (c->state != CommandState::kQueued) {
    return Refuse(*c, "sent");
  }
  c->state = CommandState::kSent;
  c->updated_at = now;
  return core::Status::Ok();
}

core::Status MarkAcknowledged(Command* c, core::Micros now, std::string detail) {
  ExpireIfDue(c, now);
  if (c->state != CommandState::kSent) {
    return Refuse(*c, "acknowledged");
  }
  c->state = CommandState::kAcknowledged;
  c->updated_at = now;
  c->detail = std::move(detail);
  return core::Status::Ok();
}

core::Status MarkFailed(Command* c, core::Micros now, std::string reason) {
  ExpireIfDue(c, now);
  if (c->state != CommandState::kSent && c->state != CommandState::kQueued) {
    return Refuse(*c, "failed");
  }
  c->state = CommandState::kFailed;
  c->updated_at = now;
  c->detail = std::move(reason);
  return core::Status::Ok();
}

core::Status MarkCancelled(Command* c, core::Micros now, std::string reason) {
  if (c->state != CommandState::kQueued) {
    return Refuse(*c, "cancelled");
  }
  c->state = CommandState::kCancelled;
  c->updated_at = now;
  c->detail = std::move(reason);
  return core::Status::Ok();
}

}  // namespace custos::devices
