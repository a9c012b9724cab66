// SPDX-License-Identifier: Apache-2.0
// Dates of birth: detector "date_of_birth".
//
// Primary match: a written date (internal/date_parse.h: numeric d/m/y, m/d/y, y-m-d, and day
// or month first with month names in English, German, French and Spanish), at word and number
// boundaries.
// Validator: the date must exist in the calendar under at least one reading (31/02 never does;
// 02/03 may be either order). A four-digit year from 1900 to 2099 grades valid; a two-digit
// year grades plausible; anything else is invalid.
// A date alone is not a date of birth, so the detector needs a keyword within 50 characters
// (before or after): "DOB", "D.O.B", "date of birth", "birth date", "born", "né", "née",
// "geboren", "Geburtsdatum", "fecha de nacimiento", "date de naissance", ...
//   valid + keyword: high; plausible + keyword: medium; no keyword: not reported.
// Thread-safety: pure functions; the detector is immutable.
#pragma once

#include <string_view>

#include "policy/detectors/detector.h"

namespace custos::policy {

inline constexpr std::size_t kDateOfBirthWindow = 50;

// The built-in detector; lives for the whole program.
const Detector& DateOfBirthDetector();

}  // namespace custos::policy
