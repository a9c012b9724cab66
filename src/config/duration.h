// SPDX-License-Identifier: Apache-2.0
// Durations as people write them in configuration: a positive count and a unit, "7y", "6m",
// "90d", "2w", "12h", "30s" (seconds: for schedules; "m" is months). Years and months are calendar
// units (a month back from 31 March is the last day of February); days are 24 hours of UTC (custos
// time has no leap seconds). Thread-safety: a plain value type and pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.h"
#include "core/time.h"

namespace custos::config {

enum class DurationUnit { kHours, kDays, kWeeks, kMonths, kYears, kSeconds };

struct Duration {
  std::int64_t count = 0;
  DurationUnit unit = DurationUnit::kDays;

  // The text form, e.g. "7y"; ParseDuration(d.Text()) == d.
  std::string Text() const;

  // The instant this duration before `t`, and after `t` (calendar arithmetic for y and m, with
  // the day clamped to the end of a shorter month; the time of day is kept).
  core::Micros Before(core::Micros t) const;
  core::Micros After(core::Micros t) const;

  bool operator==(const Duration&) const = default;
};

inline constexpr std::int64_t kMaxDurationCount = 99'999;

// Parses "<count><unit>" with unit y (years), m (months), w (weeks), d (days), h (hours) or s
// (seconds) and
// 1 <= count <= kMaxDurationCount. kInvalidArgument saying what is wrong otherwise.
core::Result<Duration> ParseDuration(std::string_view text);

}  // namespace custos::config
