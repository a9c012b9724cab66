// SPDX-License-Identifier: Apache-2.0
#include "core/time.h"

#include <chrono>
#include <cstdio>

namespace custos::core {
namespace {

// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm).
std::int64_t DaysFromCivil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

void CivilFromDays(std::int64_t z, std::int64_t* y, unsigned* m, unsigned* d) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = static_cast<std::int64_t>(yoe) + era * 400 + (*m <= 2 ? 1 : 0);
}

bool IsLeap(std::int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

unsigned DaysInMonth(std::int64_t y, unsigned m) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeap(y) ? 29 : kDays[m - 1];
}

class Cursor {
 public:
  explicit Cursor(std::string_view text) : text_(text) {}

  bool Digits(int n, int* out) {
    int v = 0;
    for (int i = 0; i < n; ++i) {
      if (pos_ >= text_.size() || text_[pos_] < '0' || text_[pos_] > '9') {
        return false;
      }
      v = v * 10 + (text_[pos_++] - '0');
    }
    *out = v;
    return true;
  }

  bool Char(char c) {
    if (pos_ < text_.size() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }

  bool AnyOf(std::string_view set) {
    if (pos_ < text_.size() && set.find(text_[pos_]) != std::string_view::npos) {
      ++pos_;
      return true;
    }
    return false;
  }

  bool AtDigit() const { return pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9'; }

  char Take() { return text_[pos_++]; }

  bool Done() const { return pos_ >= text_.size(); }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
};

Status Bad(std::string_view text, std::string_view why) {
  return InvalidArgument("invalid RFC 3339 timestamp \"" + std::string(text.substr(0, 64)) +
                         "\": " + std::string(why));
}

}  // namespace

Micros SystemClock::Now() const {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Micros SteadyNowMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

Result<Micros> ParseRfc3339(std::string_view text) {
  Cursor c(text);
  int year = 0;
  int month = 0;
  int day = 0;
  int hour = 0;
  int minute = 0;
  int second = 0;
  if (!c.Digits(4, &year) || !c.Char('-') || !c.Digits(2, &month) || !c.Char('-') ||
      !c.Digits(2, &day)) {
    return Bad(text, "expected YYYY-MM-DD");
  }
  if (!c.AnyOf("Tt ")) {
    return Bad(text, "expected 'T' between date and time");
  }
  if (!c.Digits(2, &hour) || !c.Char(':') || !c.Digits(2, &minute) || !c.Char(':') ||
      !c.Digits(2, &second)) {
    return Bad(text, "expected hh:mm:ss");
  }
  if (month < 1 || month > 12) {
    return Bad(text, "month out of range");
  }
  if (day < 1 || static_cast<unsigned>(day) > DaysInMonth(year, static_cast<unsigned>(month))) {
    return Bad(text, "day out of range");
  }
  if (hour > 23 || minute > 59 || second > 60) {
    return Bad(text, "time of day out of range");
  }
  Micros fraction = 0;
  if (c.Char('.')) {
    if (!c.AtDigit()) {
      return Bad(text, "expected digits after '.'");
    }
    int digits = 0;
    while (c.AtDigit()) {
      const int d = c.Take() - '0';
      if (digits < 6) {
        fraction = fraction * 10 + d;
      }
      ++digits;
    }
    for (int i = digits; i < 6; ++i) {
      fraction *= 10;
    }
  }
  int offset_seconds = 0;
  if (!c.AnyOf("Zz")) {
    int sign = 0;
    if (c.Char('+')) {
      sign = 1;
    } else if (c.Char('-')) {
      sign = -1;
    } else {
      return Bad(text, "missing time zone ('Z' or +hh:mm)");
    }
    int oh = 0;
    int om = 0;
    if (!c.Digits(2, &oh) || !c.Char(':') || !c.Digits(2, &om) || oh > 23 || om > 59) {
      return Bad(text, "bad time zone offset");
    }
    offset_seconds = sign * (oh * 3600 + om * 60);
  }
  if (!c.Done()) {
    return Bad(text, "trailing characters");
  }
  if (second == 60) {
    second = 59;  // A leap second maps onto the last representable second.
  }
  const std::int64_t days =
      DaysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  const std::int64_t secs = days * 86400 + hour * 3600 + minute * 60 + second - offset_seconds;
  return secs * kMicrosPerSecond + fraction;
}

std::string FormatRfc3339(Micros t) {
  std::int64_t secs = t / kMicrosPerSecond;
  std::int64_t frac = t % kMicrosPerSecond;
  if (frac < 0) {
    frac += kMicrosPerSecond;
    secs -= 1;
  }
  std::int64_t days = secs / 86400;
  std::int64_t rem = secs % 86400;
  if (rem < 0) {
    rem += 86400;
    days -= 1;
  }
  std::int64_t y = 0;
  unsigned m = 0;
  unsigned d = 0;
  CivilFromDays(days, &y, &m, &d);
  char buf[64];
  const int hh = static_cast<int>(rem / 3600);
  const int mm = static_cast<int>(rem % 3600 / 60);
  const int ss = static_cast<int>(rem % 60);
  int n = std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02d:%02d:%02d",
                        static_cast<long long>(y), m, d, hh, mm, ss);
  if (frac != 0) {
    if (frac % 1000 == 0) {
      n += std::snprintf(buf + n, sizeof buf - static_cast<std::size_t>(n), ".%03lld",
                         static_cast<long long>(frac / 1000));
    } else {
      n += std::snprintf(buf + n, sizeof buf - static_cast<std::size_t>(n), ".%06lld",
                         static_cast<long long>(frac));
    }
  }
  std::snprintf(buf + n, sizeof buf - static_cast<std::size_t>(n), "Z");
  return buf;
}

}  // namespace custos::core
