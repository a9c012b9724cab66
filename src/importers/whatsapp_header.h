// SPDX-License-Identifier: Apache-2.0
// The message header of a WhatsApp "Export chat" line, in every layout seen in the wild
// (docs/formats/whatsapp.md):
//
//   Android  d/m/yy, HH:MM - Name: text          iOS  [d/m/yy, HH:MM:SS] Name: text
//   dates    d/m/yy  m/d/yyyy  yyyy/mm/dd  d.m.yy  d-m-yyyy  13. 6. 2018.
//   times    HH:MM  HH:MM:SS  HH.MM  "klo HH.MM"  h:MM AM/PM, "a. m."/"p. m." (any case, dots,
//            spaces, U+00A0 or U+202F before the marker)
//   invisible U+200E/U+200F before '[' and anywhere between the header's parts
//
// The date's numbers are returned unresolved (a, b, c as written) because day/month order can
// only be decided from the whole file (WhatsAppDateOrder).
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "core/time.h"

namespace custos::importers::whatsapp {

struct Header {
  int a = 0, b = 0, c = 0;               // the date's three numbers, in written order
  bool year_first = false;               // `a` has 4 digits (yyyy/mm/dd)
  int year_digits = 0;                   // digits of the year (2 or 4)
  int hour = 0, minute = 0, second = 0;  // 24-hour clock (AM/PM applied)
  std::string_view rest;                 // after the header: "Name: text" or a system line
};

// Parses the header at the start of `line`; std::nullopt when the line does not start with
// one (then it continues the previous message).
std::optional<Header> ParseHeader(std::string_view line);

enum class DateOrder { kDayFirst, kMonthFirst, kYearFirst };

// Decides day/month order from all headers of a file: a first number > 12 means day first, a
// second number > 12 means month first; when neither occurs, the order under which the
// timestamps go backwards least often wins (day first on a tie).
class DateOrderGuesser {
 public:
  void Add(const Header& h);
  DateOrder Decide() const;

  // True when both a first and a second number > 12 were seen (mixed or corrupt file).
  bool contradictory() const { return day_evidence_ && month_evidence_; }

 private:
  bool year_first_ = false;
  bool day_evidence_ = false;
  bool month_evidence_ = false;
  std::int64_t prev_dm_ = 0, prev_md_ = 0;
  std::int64_t backwards_dm_ = 0, backwards_md_ = 0;
};

// The header's local time as microseconds (the caller subtracts the UTC offset), or
// std::nullopt when the date does not exist (31/02, month 13).
std::optional<core::Micros> HeaderTime(const Header& h, DateOrder order);

}  // namespace custos::importers::whatsapp
