// SPDX-License-Identifier: Apache-2.0
#include "policy/detectors/internal/date_parse.h"

#include <array>

#include "policy/detectors/internal/text_scan.h"

namespace custos::policy::internal {
namespace {

struct MonthName {
  std::string_view name;  // lowercase UTF-8
  int month;
};

// English, German, French and Spanish names and abbreviations; names shared by several
// languages ("april", "mai", "november") appear once.
constexpr auto kMonths = std::to_array<MonthName>({
    {"january", 1},   {"jan", 1},       {"januar", 1},     {"jänner", 1},     {"janvier", 1},
    {"janv", 1},      {"enero", 1},     {"ene", 1},        {"february", 2},   {"feb", 2},
    {"februar", 2},   {"février", 2},   {"fevrier", 2},    {"févr", 2},       {"fevr", 2},
    {"febrero", 2},   {"march", 3},     {"mar", 3},        {"märz", 3},       {"maerz", 3},
    {"mär", 3},       {"mars", 3},      {"marzo", 3},      {"april", 4},      {"apr", 4},
    {"avril", 4},     {"avr", 4},       {"abril", 4},      {"abr", 4},        {"may", 5},
    {"mai", 5},       {"mayo", 5},      {"june", 6},       {"jun", 6},        {"juni", 6},
    {"juin", 6},      {"junio", 6},     {"july", 7},       {"jul", 7},        {"juli", 7},
    {"juillet", 7},   {"juil", 7},      {"julio", 7},      {"august", 8},     {"aug", 8},
    {"août", 8},      {"aout", 8},      {"agosto", 8},     {"ago", 8},        {"september", 9},
    {"sep", 9},       {"sept", 9},      {"septembre", 9},  {"septiembre", 9}, {"setiembre", 9},
    {"october", 10},  {"oct", 10},      {"oktober", 10},   {"okt", 10},       {"octobre", 10},
    {"octubre", 10},  {"november", 11}, {"nov", 11},       {"novembre", 11},  {"noviembre", 11},
    {"december", 12}, {"dec", 12},      {"dezember", 12},  {"dez", 12},       {"décembre", 12},
    {"decembre", 12}, {"déc", 12},      {"diciembre", 12}, {"dic", 12},
});

constexpr std::string_view kNumericSeparators = "/-.";
constexpr std::string_view kJoiners = "/-.:";
constexpr std::array<std::string_view, 5> kOrdinals = {"st", "nd", "rd", "th", "er"};
constexpr int kDaysInMonth[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

// Reads 1..max_digits digits at `pos` into `value`; returns the end or 0.
std::size_t ReadNumber(std::string_view text, std::size_t pos, std::size_t max_digits, int& value) {
  const std::size_t end = SkipDigits(text, pos);
  if (end == pos || end - pos > max_digits) {
    return 0;
  }
  value = 0;
  for (std::size_t i = pos; i < end; ++i) {
    value = value * 10 + (text[i] - '0');
  }
  return end;
}

// Matches the longest month name at `pos` (plus a trailing '.'); returns the end or 0.
std::size_t ReadMonth(std::string_view text, std::size_t pos, int& month) {
  std::size_t best = 0;
  for (const MonthName& m : kMonths) {
    const std::size_t end = MatchFoldedAt(text, pos, m.name);
    if (end > best && WordEndAt(text, end)) {
      best = end;
      month = m.month;
    }
  }
  if (best != 0 && best < text.size() && text[best] == '.') {
    ++best;
  }
  return best;
}

// Skips spaces, commas and (when allowed) one dash; returns the new position.
std::size_t SkipGap(std::string_view text, std::size_t pos, bool allow_dash) {
  if (allow_dash && pos < text.size() && text[pos] == '-') {
    return pos + 1;
  }
  while (pos < text.size() && (text[pos] == ' ' || text[pos] == ',')) {
    ++pos;
  }
  return pos;
}

// Skips the Spanish connector "de " when present.
std::size_t SkipDe(std::string_view text, std::size_t pos) {
  const std::size_t end = MatchFoldedAt(text, pos, "de ");
  return end != 0 ? end : pos;
}

// Skips an ordinal suffix ("17th", "1er") or a German day dot ("17.").
std::size_t SkipOrdinal(std::string_view text, std::size_t pos) {
  if (pos < text.size() && text[pos] == '.') {
    return pos + 1;
  }
  for (std::string_view suffix : kOrdinals) {
    const std::size_t end = MatchFoldedAt(text, pos, suffix);
    if (end != 0 && WordEndAt(text, end)) {
      return end;
    }
  }
  return pos;
}

// Year with 2 or 4 digits at `pos`, ending the date; returns the end or 0.
std::size_t ReadYear(std::string_view text, std::size_t pos, ParsedDate& date) {
  const std::size_t end = ReadNumber(text, pos, 4, date.year);
  if (end == 0 || (end - pos != 2 && end - pos != 4) || !NumberEndAt(text, end, kJoiners)) {
    return 0;
  }
  date.four_digit_year = end - pos == 4;
  return end;
}

std::optional<ParsedDate> ParseNumeric(std::string_view text, std::size_t pos) {
  ParsedDate date;
  int lead = 0;
  const std::size_t lead_end = ReadNumber(text, pos, 4, lead);
  if (lead_end == 0 || lead_end >= text.size() ||
      kNumericSeparators.find(text[lead_end]) == std::string_view::npos) {
    return std::nullopt;
  }
  const char sep = text[lead_end];
  int middle = 0;
  const std::size_t middle_end = ReadNumber(text, lead_end + 1, 2, middle);
  if (middle_end == 0 || middle_end >= text.size() || text[middle_end] != sep) {
    return std::nullopt;
  }
  if (lead_end - pos == 4) {  // year first
    int day = 0;
    const std::size_t end = ReadNumber(text, middle_end + 1, 2, day);
    if (end == 0 || !NumberEndAt(text, end, kJoiners)) {
      return std::nullopt;
    }
    date.year = lead;
    date.four_digit_year = true;
    date.month = middle;
    date.day = day;
    date.end = end;
    return date;
  }
  if (lead_end - pos > 2) {
    return std::nullopt;
  }
  date.first = lead;
  date.second = middle;
  date.end = ReadYear(text, middle_end + 1, date);
  return date.end != 0 ? std::optional(date) : std::nullopt;
}

std::optional<ParsedDate> ParseDayMonth(std::string_view text, std::size_t pos) {
  ParsedDate date;
  std::size_t p = ReadNumber(text, pos, 2, date.day);
  if (p == 0) {
    return std::nullopt;
  }
  p = SkipOrdinal(text, p);
  const bool dashed = p < text.size() && text[p] == '-';
  const std::size_t gap = SkipGap(text, p, true);
  if (gap == p) {
    return std::nullopt;
  }
  p = SkipDe(text, gap);
  p = ReadMonth(text, p, date.month);
  if (p == 0) {
    return std::nullopt;
  }
  const std::size_t year_at = SkipDe(text, SkipGap(text, p, dashed));
  if (year_at == p) {
    return std::nullopt;
  }
  date.end = ReadYear(text, year_at, date);
  return date.end != 0 ? std::optional(date) : std::nullopt;
}

std::optional<ParsedDate> ParseMonthDay(std::string_view text, std::size_t pos) {
  ParsedDate date;
  std::size_t p = ReadMonth(text, pos, date.month);
  if (p == 0 || p >= text.size() || text[p] != ' ') {
    return std::nullopt;
  }
  p = ReadNumber(text, SkipGap(text, p, false), 2, date.day);
  if (p == 0) {
    return std::nullopt;
  }
  p = SkipOrdinal(text, p);
  const std::size_t year_at = SkipGap(text, p, false);
  if (year_at == p) {
    return std::nullopt;
  }
  date.end = ReadYear(text, year_at, date);
  return date.end != 0 && date.four_digit_year ? std::optional(date) : std::nullopt;
}

}  // namespace

std::optional<ParsedDate> ParseDateAt(std::string_view text, std::size_t pos) {
  if (pos >= text.size()) {
    return std::nullopt;
  }
  if (IsDigit(text[pos])) {
    if (auto numeric = ParseNumeric(text, pos)) {
      return numeric;
    }
    return ParseDayMonth(text, pos);
  }
  return ParseMonthDay(text, pos);
}

bool IsCalendarDate(int year, int month, int day) {
  if (month < 1 || month > 12 || day < 1) {
    return false;
  }
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  const int days = month == 2 && leap ? 29 : kDaysInMonth[month - 1];
  return day <= days;
}

bool IsRealDate(const ParsedDate& date) {
  auto real = [&](int month, int day) {
    if (date.four_digit_year) {
      return IsCalendarDate(date.year, month, day);
    }
    return IsCalendarDate(1900 + date.year, month, day) ||
           IsCalendarDate(2000 + date.year, month, day);
  };
  if (date.month != 0) {
    return real(date.month, date.day);
  }
  return real(date.second, date.first) || real(date.first, date.second);
}

}  // namespace custos::policy::internal
