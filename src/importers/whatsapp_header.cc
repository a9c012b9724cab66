// SPDX-License-Identifier: Apache-2.0
#include "importers/whatsapp_header.h"

#include <cctype>
#include <string>

namespace custos::importers::whatsapp {
namespace {

// Reads the header left to right; every Skip* tolerates the invisible and no-break spaces
// WhatsApp sprinkles between the parts.
class Cursor {
 public:
  explicit Cursor(std::string_view s) : s_(s) {}

  bool AtEnd() const { return i_ >= s_.size(); }

  char Peek() const { return AtEnd() ? '\0' : s_[i_]; }

  std::string_view Rest() const { return s_.substr(i_); }

  void Advance(std::size_t n) { i_ += n; }

  // Skips spaces, U+00A0, U+202F, U+2009, U+200E and U+200F.
  void SkipSpaces() {
    for (;;) {
      if (Peek() == ' ' || Peek() == '\t') {
        ++i_;
      } else if (Rest().substr(0, 2) == "\xC2\xA0") {
        i_ += 2;
      } else if (Rest().substr(0, 3) == "\xE2\x80\xAF" || Rest().substr(0, 3) == "\xE2\x80\x8E" ||
                 Rest().substr(0, 3) == "\xE2\x80\x8F" || Rest().substr(0, 3) == "\xE2\x80\x89") {
        i_ += 3;
      } else {
        return;
      }
    }
  }

  bool Accept(char c) {
    if (Peek() == c) {
      ++i_;
      return true;
    }
    return false;
  }

  // 1..max_digits decimal digits; returns the value and the count in *digits.
  std::optional<int> Number(int max_digits, int* digits) {
    int value = 0;
    int n = 0;
    while (n < max_digits && std::isdigit(static_cast<unsigned char>(Peek())) != 0) {
      value = value * 10 + (Peek() - '0');
      ++i_;
      ++n;
    }
    if (n == 0 || std::isdigit(static_cast<unsigned char>(Peek())) != 0) {
      return std::nullopt;
    }
    *digits = n;
    return value;
  }

 private:
  std::string_view s_;
  std::size_t i_ = 0;
};

bool IsDateSep(char c) { return c == '/' || c == '.' || c == '-'; }

// "AM", "p. m.", "a.m.", "pm" (any case, spaces and dots ignored) -> 'a' or 'p'; "" -> ' ';
// anything else -> '\0'.
char AmPm(std::string_view text) {
  std::string t;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == ' ' || c == '.') {
      continue;
    }
    if (c == 0xC2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0xA0) {
      ++i;
      continue;
    }
    if (c == 0xE2 && text.substr(i, 3) == "\xE2\x80\xAF") {
      i += 2;
      continue;
    }
    t += static_cast<char>(std::tolower(c));
  }
  if (t.empty()) {
    return ' ';
  }
  if (t == "am" || t == "a") {
    return 'a';
  }
  if (t == "pm" || t == "p") {
    return 'p';
  }
  return '\0';
}

std::int64_t DaysFromCivil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

int DaysInMonth(int y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : kDays[m - 1];
}

}  // namespace

std::optional<Header> ParseHeader(std::string_view line) {
  Cursor c(line);
  Header h;
  c.SkipSpaces();
  const bool bracket = c.Accept('[');
  c.SkipSpaces();
  int da = 0, db = 0, dc = 0;
  const auto a = c.Number(4, &da);
  if (!a || !IsDateSep(c.Peek())) {
    return std::nullopt;
  }
  const char sep = c.Peek();
  c.Advance(1);
  c.SkipSpaces();
  const auto b = c.Number(2, &db);
  if (!b || c.Peek() != sep) {
    return std::nullopt;
  }
  c.Advance(1);
  c.SkipSpaces();
  const auto year = c.Number(4, &dc);
  const bool valid = da == 4 ? dc <= 2 : da <= 2 && (dc == 2 || dc == 4);
  if (!year || !valid) {
    return std::nullopt;
  }
  c.Accept('.');
  c.SkipSpaces();
  c.Accept(',');
  c.SkipSpaces();
  if (c.Rest().substr(0, 3) == "klo") {
    c.Advance(3);
    c.SkipSpaces();
  }
  int dh = 0, dm = 0, ds = 0;
  const auto hour = c.Number(2, &dh);
  if (!hour || (c.Peek() != ':' && c.Peek() != '.')) {
    return std::nullopt;
  }
  const char tsep = c.Peek();
  c.Advance(1);
  const auto minute = c.Number(2, &dm);
  if (!minute || dm != 2) {
    return std::nullopt;
  }
  int second = 0;
  if (c.Peek() == tsep) {
    c.Advance(1);
    const auto s = c.Number(2, &ds);
    if (!s || ds != 2) {
      return std::nullopt;
    }
    second = *s;
  }
  // The AM/PM marker runs to ']' (iOS) or to the " - " before the name (Android).
  const std::string_view rest = c.Rest();
  std::size_t end = 0;
  std::size_t body = 0;
  if (bracket) {
    end = rest.find(']');
    body = end + 1;
  } else {
    end = rest.find('-');
    body = end + 1;
  }
  if (end == std::string_view::npos || end > 16) {
    return std::nullopt;
  }
  const char ampm = AmPm(rest.substr(0, end));
  if (ampm == '\0') {
    return std::nullopt;
  }
  int h24 = *hour;
  if (ampm != ' ') {
    if (h24 > 12) {
      return std::nullopt;
    }
    if (ampm == 'a' && h24 == 12) {
      h24 = 0;
    } else if (ampm == 'p' && h24 < 12) {
      h24 += 12;
    }
  }
  if (h24 > 23 || *minute > 59 || second > 59) {
    return std::nullopt;
  }
  Cursor after(rest.substr(body));
  after.SkipSpaces();
  h.a = *a;
  h.b = *b;
  h.c = *year;
  h.year_first = da == 4;
  h.year_digits = h.year_first ? 4 : dc;
  h.hour = h24;
  h.minute = *minute;
  h.second = second;
  h.rest = after.Rest();
  return h;
}

void DateOrderGuesser::Add(const Header& h) {
  if (h.year_first) {
    year_first_ = true;
    return;
  }
  day_evidence_ = day_evidence_ || h.a > 12;
  month_evidence_ = month_evidence_ || h.b > 12;
  const std::int64_t tod = h.hour * 3600 + h.minute * 60 + h.second;
  const std::int64_t dm = ((std::int64_t{h.c} * 13 + h.b) * 32 + h.a) * 86400 + tod;
  const std::int64_t md = ((std::int64_t{h.c} * 13 + h.a) * 32 + h.b) * 86400 + tod;
  backwards_dm_ += dm < prev_dm_ ? 1 : 0;
  backwards_md_ += md < prev_md_ ? 1 : 0;
  prev_dm_ = dm;
  prev_md_ = md;
}

DateOrder DateOrderGuesser::Decide() const {
  if (year_first_) {
    return DateOrder::kYearFirst;
  }
  if (day_evidence_ != month_evidence_) {
    return day_evidence_ ? DateOrder::kDayFirst : DateOrder::kMonthFirst;
  }
  return backwards_md_ < backwards_dm_ ? DateOrder::kMonthFirst : DateOrder::kDayFirst;
}

std::optional<core::Micros> HeaderTime(const Header& h, DateOrder order) {
  int y = 0, m = 0, d = 0;
  switch (order) {
    case DateOrder::kYearFirst:
      y = h.a, m = h.b, d = h.c;
      break;
    case DateOrder::kDayFirst:
      y = h.c, m = h.b, d = h.a;
      break;
    case DateOrder::kMonthFirst:
      y = h.c, m = h.a, d = h.b;
      break;
  }
  if (h.year_digits == 2) {
    y += 2000;
  }
  if (m < 1 || m > 12 || d < 1 || d > DaysInMonth(y, m)) {
    return std::nullopt;
  }
  const std::int64_t days = DaysFromCivil(y, static_cast<unsigned>(m), static_cast<unsigned>(d));
  return (days * 86400 + h.hour * 3600 + h.minute * 60 + h.second) * core::kMicrosPerSecond;
}

}  // namespace custos::importers::whatsapp
