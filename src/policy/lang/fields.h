// SPDX-License-Identifier: Apache-2.0
// The message fields a condition can test (docs/policy-language.md §3.4): name, type, whether
// the field holds several values, and the words an enumerated field allows.
// Thread-safety: the table is immutable.
#pragma once

#include <span>
#include <string_view>

namespace custos::policy::lang {

enum class FieldId {
  kChannel,
  kDirection,
  kSender,
  kSenderGroup,
  kCounterpartyExternal,
  kCounterpartyDomain,
  kTimeWorkHours,
  kTimeHour,
  kTimeWeekday,
  kAttachmentMime,
  kAttachmentSize,
  kAttachmentName,
  kAttachmentCount,
  kMessageLength,
  kConversationParticipants,
};

enum class FieldType { kString, kWord, kInteger, kSize, kBool };

struct FieldInfo {
  FieldId id;
  std::string_view name;
  FieldType type;
  bool many;                                // one value per attachment or counterparty
  std::span<const std::string_view> words;  // kWord: the allowed values
};

// The field called `name` ("sender.group"), or nullptr.
const FieldInfo* FindField(std::string_view name);

const FieldInfo& GetField(FieldId id);

// "string", "word", "integer", "size", "boolean".
std::string_view FieldTypeName(FieldType type);

// The weekday words mon ... sun, Monday first.
std::span<const std::string_view> WeekdayWords();

}  // namespace custos::policy::lang
