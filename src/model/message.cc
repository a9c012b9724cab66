// SPDX-License-Identifier: Apache-2.0
#include "model/message.h"

#include <array>

namespace custos::model {
namespace {

constexpr std::array<std::string_view, 12> kChannels = {"whatsapp", "sms",      "mms",   "rcs",
                                                        "telegram", "imessage", "slack", "signal",
                                                        "wechat",   "teams",    "email", "voice"};

}  // namespace

std::string_view DirectionName(Direction d) {
  switch (d) {
    case Direction::kInbound:
      return "inbound";
    case Direction::kOutbound:
      return "outbound";
    case Direction::kInternal:
      return "internal";
  }
  return "inbound";
}

core::Result<Direction> ParseDirection(std::string_view s) {
  if (s == "inbound") {
    return Direction::kInbound;
  }
  if (s == "outbound") {
    return Direction::kOutbound;
  }
  if (s == "internal") {
    return Direction::kInternal;
  }
  return core::InvalidArgument("direction must be inbound, outbound or internal, not \"" +
                               std::string(s.substr(0, 32)) + "\"");
}

std::string_view EventKindName(EventKind k) {
  switch (k) {
    case EventKind::kMessage:
      return "message";
    case EventKind::kEdit:
      return "edit";
    case EventKind::kDelete:
      return "delete";
    case EventKind::kReaction:
      return "reaction";
    case EventKind::kJoin:
      return "join";
    case EventKind::kLeave:
      return "leave";
  }
  return "message";
}

core::Result<EventKind> ParseEventKind(std::string_view s) {
  for (EventKind k : {EventKind::kMessage, EventKind::kEdit, EventKind::kDelete,
                      EventKind::kReaction, EventKind::kJoin, EventKind::kLeave}) {
    if (EventKindName(k) == s) {
      return k;
    }
  }
  return core::InvalidArgument(
      "event must be one of message, edit, delete, reaction, join, "
      "leave, not \"" +
      std::string(s.substr(0, 32)) + "\"");
}

bool IsKnownChannel(std::string_view channel) {
  for (std::string_view c : kChannels) {
    if (c == channel) {
      return true;
    }
  }
  return false;
}

std::string_view KnownChannelsList() {
  return "whatsapp, sms, mms, rcs, telegram, imessage, slack, signal, wechat, teams, email, voice";
}

}  // namespace custos::model
