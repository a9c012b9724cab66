// SPDX-License-Identifier: Apache-2.0
#include "config/duration.h"

#include <charconv>

namespace custos::config {
namespace {

constexpr core::Micros kMicrosPerHour = 3'600 * core::kMicrosPerSecond;
constexpr core::Micros kMicrosPerDay = 24 * kMicrosPerHour;
constexpr std::int64_t kMonthsPerYear = 12;

struct CivilDate {
  std::int64_t year;
  std::int64_t month;  // 1..12
  std::int64_t day;    // 1..31
};

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant, "chrono-compatible
// low-level date algorithms").
std::int64_t DaysFromCivil(const CivilDate& d) {
  const std::int64_t y = d.month <= 2 ? d.year - 1 : d.year;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const std::int64_t yoe = y - era * 400;
  const std::int64_t mp = (d.month + 9) % 12;
  const std::int64_t doy = (153 * mp + 2) / 5 + d.day - 1;
  const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146'097 + doe - 719'468;
}

CivilDate CivilFromDays(std::int64_t z) {
  z += 719'468;
  const std::int64_t era = (z >= 0 ? z : z - 146'096) / 146'097;
  const std::int64_t doe = z - era * 146'097;
  const std::int64_t yoe = (doe - doe / 1'460 + doe / 36'524 - doe / 146'096) / 365;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  const std::int64_t day = doy - (153 * mp + 2) / 5 + 1;
  const std::int64_t month = mp < 10 ? mp + 3 : mp - 9;
  return {yoe + era * 400 + (month <= 2 ? 1 : 0), month, day};
}

bool IsLeapYear(std::int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

std::int64_t DaysInMonth(std::int64_t year, std::int64_t month) {
  constexpr std::int64_t kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && IsLeapYear(year) ? 29 : kDays[month - 1];
}

std::int64_t FloorDiv(std::int64_t a, std::int64_t b) {
  return a / b - ((a % b != 0 && (a < 0) != (b < 0)) ? 1 : 0);
}

// `t` moved by `months` calendar months (negative: back), day clamped, time of day kept.
core::Micros AddMonths(core::Micros t, std::int64_t months) {
  const std::int64_t days = FloorDiv(t, kMicrosPerDay);
  const core::Micros time_of_day = t - days * kMicrosPerDay;
  CivilDate d = CivilFromDays(days);
  const std::int64_t index = d.year * kMonthsPerYear + (d.month - 1) + months;
  d.year = FloorDiv(index, kMonthsPerYear);
  d.month = index - d.year * kMonthsPerYear + 1;
  if (d.day > DaysInMonth(d.year, d.month)) {
    d.day = DaysInMonth(d.year, d.month);
  }
  return DaysFromCivil(d) * kMicrosPerDay + time_of_day;
}

core::Micros Shift(const Duration& d, core::Micros t, std::int64_t sign) {
  switch (d.unit) {
    case DurationUnit::kSeconds:
      return t + sign * d.count * core::kMicrosPerSecond;
    case DurationUnit::kHours:
      return t + sign * d.count * kMicrosPerHour;
    case DurationUnit::kDays:
      return t + sign * d.count * kMicrosPerDay;
    case DurationUnit::kWeeks:
      return t + sign * d.count * 7 * kMicrosPerDay;
    case DurationUnit::kMonths:
      return AddMonths(t, sign * d.count);
    case DurationUnit::kYears:
      return AddMonths(t, sign * d.count * kMonthsPerYear);
  }
  return t;
}

}  // namespace

std::string Duration::Text() const {
  char unit_char = 'd';
  switch (unit) {
    case DurationUnit::kSeconds:
      unit_char = 's';
      break;
    case DurationUnit::kHours:
      unit_char = 'h';
      break;
    case DurationUnit::kDays:
      unit_char = 'd';
      break;
    case DurationUnit::kWeeks:
      unit_char = 'w';
      break;
    case DurationUnit::kMonths:
      unit_char = 'm';
      break;
    case DurationUnit::kYears:
      unit_char = 'y';
      break;
  }
  return std::to_string(count) + unit_char;
}

core::Micros Duration::Before(core::Micros t) const { return Shift(*this, t, -1); }

core::Micros Duration::After(core::Micros t) const { return Shift(*this, t, 1); }

core::Result<Duration> ParseDuration(std::string_view text) {
  const std::string shown(text.substr(0, 40));
  if (text.size() < 2) {
    return core::InvalidArgument(
        "invalid duration \"" + shown +
        "\": expected a count and a unit (y, m, w, d, h or s), e.g. \"7y\"");
  }
  Duration d;
  switch (text.back()) {
    case 's':
      d.unit = DurationUnit::kSeconds;
      break;
    case 'h':
      d.unit = DurationUnit::kHours;
      break;
    case 'd':
      d.unit = DurationUnit::kDays;
      break;
    case 'w':
      d.unit = DurationUnit::kWeeks;
      break;
    case 'm':
      d.unit = DurationUnit::kMonths;
      break;
    case 'y':
      d.unit = DurationUnit::kYears;
      break;
    default:
      return core::InvalidArgument("invalid duration \"" + shown +
                                   "\": the unit must be y, m, w, d, h or s");
  }
  const std::string_view digits = text.substr(0, text.size() - 1);
  auto r = std::from_chars(digits.data(), digits.data() + digits.size(), d.count);
  if (r.ec != std::errc() || r.ptr != digits.data() + digits.size() || digits[0] == '+' ||
      digits[0] == '-') {
    return core::InvalidArgument("invalid duration \"" + shown + "\": the count must be digits");
  }
  if (d.count < 1 || d.count > kMaxDurationCount) {
    return core::InvalidArgument("invalid duration \"" + shown + "\": the count must be 1 to " +
                                 std::to_string(kMaxDurationCount));
  }
  return d;
}

}  // namespace custos::config
