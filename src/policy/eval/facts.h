// SPDX-License-Identifier: Apache-2.0
// Facts: everything a condition can look at, for one message (docs/policy-language.md §3.4).
// The evaluator reads only Facts; `FactsFromMessage` derives them from a model::Message plus
// what the caller knows about people (the sender's group) and the pack's settings (internal
// domains, work hours). Inline pack tests build Facts directly.
//
// WorkHours turns a UTC time into local weekday/hour/minute of an IANA time zone (ICU).
// Thread-safety: plain values; WorkHours is immutable after construction and its const
// methods may be called concurrently.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/time.h"
#include "model/message.h"

namespace custos::policy {

struct AttachmentFacts {
  std::string name;
  std::string mime;
  std::int64_t size = 0;
};

struct Facts {
  std::string text;
  std::string channel = "whatsapp";
  model::Direction direction = model::Direction::kOutbound;
  std::string sender = "employee@internal.invalid";
  std::string sender_group;
  bool counterparty_external = true;
  std::vector<std::string> counterparty_domains;
  std::optional<core::Micros> sent_at;  // absent: time.hour and time.weekday are never true
  std::optional<bool> work_hours;       // set: overrides what sent_at and the pack's hours say
  std::vector<AttachmentFacts> attachments;
  std::int64_t participants = 2;
};

// Local time of day in a zone.
struct LocalTime {
  int weekday = 0;  // 0 = Monday ... 6 = Sunday
  int hour = 0;
  int minute = 0;
};

class WorkHours {
 public:
  // Monday to Friday, 08:00 to 18:00, UTC.
  WorkHours();

  // Sets the zone; false when ICU does not know `zone` (the zone is then unchanged).
  bool SetTimeZone(const std::string& zone);

  // `days`: bit i set = weekday i (0 = Monday). Minutes from midnight; end is exclusive; an
  // end before the start wraps past midnight.
  void Set(unsigned days, int start_minute, int end_minute);

  LocalTime ToLocal(core::Micros utc) const;

  bool Contains(core::Micros utc) const;

  const std::string& TimeZone() const { return zone_; }

 private:
  unsigned days_ = 0x1F;
  int start_ = 8 * 60;
  int end_ = 18 * 60;
  std::string zone_ = "UTC";
  struct Zone;                      // wraps icu::TimeZone; ICU stays out of headers
  std::shared_ptr<const Zone> tz_;  // null: UTC
};

// What the caller knows beyond the message.
struct MessageContext {
  std::string sender_group;                   // from the directory; "" when unknown
  std::vector<std::string> internal_domains;  // usually the pack's
};

// Facts of `message`: counterparties are the sender of an inbound message and the recipients
// of an outbound one (none for internal messages); a counterparty is internal only when it is
// an e-mail address in one of `context.internal_domains`. Participants are the distinct sender
// and recipients. Work hours are left to the pack (sent_at is set).
Facts FactsFromMessage(const model::Message& message, const MessageContext& context);

}  // namespace custos::policy
