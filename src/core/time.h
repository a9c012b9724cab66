// SPDX-License-Identifier: Apache-2.0
// Time in custos: microseconds since the Unix epoch (UTC) as a plain integer, a Clock seam so
// tests can drive time, and RFC 3339 parsing and formatting.
// Thread-safety: SystemClock is safe to share; the functions are pure.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"

namespace custos::core {

// Microseconds since 1970-01-01T00:00:00Z.
using Micros = std::int64_t;

inline constexpr Micros kMicrosPerSecond = 1'000'000;

// The instants RFC 3339 can write: 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z, in seconds.
inline constexpr std::int64_t kMinUnixSeconds = -62'135'596'800;
inline constexpr std::int64_t kMaxUnixSeconds = 253'402'300'799;

// `seconds` since the Unix epoch as Micros; nullopt outside [kMinUnixSeconds, kMaxUnixSeconds]
// (so a wild value from an import never overflows).
constexpr std::optional<Micros> SecondsToMicros(std::int64_t seconds) {
  if (seconds < kMinUnixSeconds || seconds > kMaxUnixSeconds) {
    return std::nullopt;
  }
  return seconds * kMicrosPerSecond;
}

class Clock {
 public:
  virtual ~Clock() = default;
  // The current time; never decreases for SystemClock within one process run in practice.
  virtual Micros Now() const = 0;
};

class SystemClock final : public Clock {
 public:
  Micros Now() const override;
};

// Steady (monotonic) microseconds, for measuring durations only.
Micros SteadyNowMicros();

// Parses an RFC 3339 date-time ("2024-03-01T09:30:00Z", "2024-03-01T09:30:00.25+02:00").
// Accepts 't'/'z' in lower case and a space instead of 'T' (RFC 3339 §5.6 note). Fractions
// beyond microseconds are truncated. Returns kInvalidArgument naming what is wrong.
Result<Micros> ParseRfc3339(std::string_view text);

// Formats as UTC with a 'Z' suffix; the fraction is omitted when zero, otherwise 3 or 6 digits.
std::string FormatRfc3339(Micros t);

}  // namespace custos::core
