// SPDX-License-Identifier: Apache-2.0
#include "policy/eval/facts.h"

#include <algorithm>
#include <set>

#include <unicode/timezone.h>
#include <unicode/unistr.h>

#include "core/text.h"

namespace custos::policy {

struct WorkHours::Zone {
  std::unique_ptr<icu::TimeZone> tz;
};

namespace {

constexpr core::Micros kMicrosPerMinute = 60 * core::kMicrosPerSecond;
constexpr std::int64_t kMinutesPerDay = 24 * 60;

std::string DomainOf(std::string_view handle) {
  const std::size_t at = handle.rfind('@');
  if (at == std::string_view::npos || at + 1 >= handle.size()) {
    return "";
  }
  return core::ToLowerAscii(handle.substr(at + 1));
}

}  // namespace

WorkHours::WorkHours() = default;

bool WorkHours::SetTimeZone(const std::string& zone) {
  if (zone == "UTC" || zone == "Etc/UTC") {
    zone_ = zone;
    tz_ = nullptr;
    return true;
  }
  std::unique_ptr<icu::TimeZone> tz(
      icu::TimeZone::createTimeZone(icu::UnicodeString::fromUTF8(zone)));
  if (!tz || *tz == icu::TimeZone::getUnknown()) {
    return false;
  }
  auto holder = std::make_shared<Zone>();
  holder->tz = std::move(tz);
  tz_ = std::move(holder);
  zone_ = zone;
  return true;
}

void WorkHours::Set(unsigned days, int start_minute, int end_minute) {
  days_ = days;
  start_ = start_minute;
  end_ = end_minute;
}

LocalTime WorkHours::ToLocal(core::Micros utc) const {
  std::int64_t offset_minutes = 0;
  if (tz_) {
    std::int32_t raw = 0;
    std::int32_t dst = 0;
    UErrorCode status = U_ZERO_ERROR;
    const UDate millis = static_cast<UDate>(utc / 1000);
    tz_->tz->getOffset(millis, false, raw, dst, status);
    if (U_SUCCESS(status)) {
      offset_minutes = (std::int64_t{raw} + dst) / 60'000;
    }
  }
  std::int64_t minutes = utc / kMicrosPerMinute + offset_minutes;
  if (utc < 0 && utc % kMicrosPerMinute != 0) {
    --minutes;
  }
  std::int64_t days = minutes / kMinutesPerDay;
  std::int64_t in_day = minutes % kMinutesPerDay;
  if (in_day < 0) {
    in_day += kMinutesPerDay;
    --days;
  }
  // 1970-01-01 was a Thursday (weekday 3 with Monday = 0).
  std::int64_t weekday = (days + 3) % 7;
  if (weekday < 0) {
    weekday += 7;
  }
  return LocalTime{static_cast<int>(weekday), static_cast<int>(in_day / 60),
                   static_cast<int>(in_day % 60)};
}

bool WorkHours::Contains(core::Micros utc) const {
  const LocalTime t = ToLocal(utc);
  const int minute = t.hour * 60 + t.minute;
  if (start_ <= end_) {
    return (days_ >> t.weekday & 1U) != 0 && minute >= start_ && minute < end_;
  }
  // Wraps past midnight: the early part belongs to the previous day's shift.
  if (minute >= start_) {
    return (days_ >> t.weekday & 1U) != 0;
  }
  const int previous = (t.weekday + 6) % 7;
  return minute < end_ && (days_ >> previous & 1U) != 0;
}

Facts FactsFromMessage(const model::Message& message, const MessageContext& context) {
  Facts facts;
  facts.text = message.text;
  facts.channel = core::ToLowerAscii(message.channel);
  facts.direction = message.direction;
  facts.sender = message.from;
  facts.sender_group = context.sender_group;
  facts.sent_at = message.sent_at;
  for (const model::Attachment& a : message.attachments) {
    facts.attachments.push_back(AttachmentFacts{a.name, core::ToLowerAscii(a.mime), a.size});
  }
  std::set<std::string> people(message.to.begin(), message.to.end());
  people.insert(message.from);
  facts.participants = static_cast<std::int64_t>(people.size());

  std::vector<std::string> counterparties;
  if (message.direction == model::Direction::kInbound) {
    counterparties.push_back(message.from);
  } else if (message.direction == model::Direction::kOutbound) {
    counterparties = message.to;
  }
  facts.counterparty_external = false;
  std::set<std::string> domains;
  for (const std::string& handle : counterparties) {
    const std::string domain = DomainOf(handle);
    if (!domain.empty()) {
      domains.insert(domain);
    }
    const bool internal = !domain.empty() && std::find(context.internal_domains.begin(),
                                                       context.internal_domains.end(),
                                                       domain) != context.internal_domains.end();
    facts.counterparty_external = facts.counterparty_external || !internal;
  }
  // An outbound message with no recorded recipients still leaves the firm.
  if (message.direction == model::Direction::kOutbound && counterparties.empty()) {
    facts.counterparty_external = true;
  }
  facts.counterparty_domains.assign(domains.begin(), domains.end());
  return facts;
}

}  // namespace custos::policy
