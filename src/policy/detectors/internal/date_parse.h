// SPDX-License-Identifier: Apache-2.0
// Finds written dates for the date-of-birth detector. Shapes (separator one of / - . and the
// same throughout a numeric date):
//   numeric       17/05/1990  05/17/1990  17.05.90  1990-05-17  1990/5/7
//   day month     17 May 1990  17. Mai 1990  1er mars 1990  17 de mayo de 1990  17-May-1990
//   month day     May 17, 1990  Sept. 3rd 1985
// Month names and common abbreviations in English, German, French and Spanish, matched with
// ASCII and Latin-1 case folding. Numeric day/month order is ambiguous; both readings are kept.
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace custos::policy::internal {

struct ParsedDate {
  int year = 0;
  bool four_digit_year = false;
  int month = 0;  // when the month is a name or the date is year-first; else 0
  int first = 0;  // numeric d/m/y or m/d/y: the two leading numbers in order
  int second = 0;
  int day = 0;          // when known (named month or year-first)
  std::size_t end = 0;  // one past the last character of the date
};

// Parses a date starting exactly at `pos` (which should be a word start); checks the shape only.
std::optional<ParsedDate> ParseDateAt(std::string_view text, std::size_t pos);

// True when year-month-day exists in the Gregorian calendar (month 1-12, leap years).
bool IsCalendarDate(int year, int month, int day);

// True when `date` names a real calendar day under at least one reading (d/m or m/d for
// numeric dates); two-digit years are read as 19yy or 20yy, whichever makes the date real.
bool IsRealDate(const ParsedDate& date);

}  // namespace custos::policy::internal
