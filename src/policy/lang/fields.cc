// SPDX-License-Identifier: Apache-2.0
#include "policy/lang/fields.h"

#include <cstdlib>

namespace custos::policy::lang {
namespace {

constexpr std::string_view kDirections[] = {"inbound", "outbound", "internal"};
constexpr std::string_view kWeekdays[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

const FieldInfo kFields[] = {
    {FieldId::kChannel, "channel", FieldType::kString, false, {}},
    {FieldId::kDirection, "direction", FieldType::kWord, false, kDirections},
    {FieldId::kSender, "sender", FieldType::kString, false, {}},
    {FieldId::kSenderGroup, "sender.group", FieldType::kString, false, {}},
    {FieldId::kCounterpartyExternal, "counterparty.external", FieldType::kBool, false, {}},
    {FieldId::kCounterpartyDomain, "counterparty.domain", FieldType::kString, true, {}},
    {FieldId::kTimeWorkHours, "time.work_hours", FieldType::kBool, false, {}},
    {FieldId::kTimeHour, "time.hour", FieldType::kInteger, false, {}},
    {FieldId::kTimeWeekday, "time.weekday", FieldType::kWord, false, kWeekdays},
    {FieldId::kAttachmentMime, "attachment.mime", FieldType::kString, true, {}},
    {FieldId::kAttachmentSize, "attachment.size", FieldType::kSize, true, {}},
    {FieldId::kAttachmentName, "attachment.name", FieldType::kString, true, {}},
    {FieldId::kAttachmentCount, "attachment.count", FieldType::kInteger, false, {}},
    {FieldId::kMessageLength, "message.length", FieldType::kInteger, false, {}},
    {FieldId::kConversationParticipants,
     "conversation.participants",
     FieldType::kInteger,
     false,
     {}},
};

}  // namespace

const FieldInfo* FindField(std::string_view name) {
  for (const FieldInfo& f : kFields) {
    if (f.name == name) {
      return &f;
    }
  }
  return nullptr;
}

const FieldInfo& GetField(FieldId id) {
  for (const FieldInfo& f : kFields) {
    if (f.id == id) {
      return f;
    }
  }
  std::abort();
}

std::string_view FieldTypeName(FieldType type) {
  switch (type) {
    case FieldType::kString:
      return "string";
    case FieldType::kWord:
      return "word";
    case FieldType::kInteger:
      return "integer";
    case FieldType::kSize:
      return "size";
    case FieldType::kBool:
      return "boolean";
  }
  return "value";
}

std::span<const std::string_view> WeekdayWords() { return kWeekdays; }

}  // namespace custos::policy::lang
