// SPDX-License-Identifier: Apache-2.0
// Telephone numbers: detector "phone_number", validated with Google's libphonenumber.
//
// Primary match: 7 to 15 digits (the E.164 maximum) with an optional leading '+' and single
// separators between digit groups (space, '-', '.', '/', parentheses): "+44 20 7946 0958",
// "(415) 555-2671", "030/1234567". Never inside a longer number or a word.
// Validator: a number written with '+' must be a valid number for its country code
// (IsValidNumber: length and number ranges from libphonenumber's metadata) and grades valid.
// A number without '+' cannot be placed reliably; it grades plausible when it is a valid
// national number for a region its shape suggests: with a leading trunk 0 for GB, DE, FR, IT,
// NL or CH; ten digits for the US; nine digits starting 6-9 for Spain. Otherwise invalid.
// Confidence: international valid numbers are medium, high with a keyword ("phone", "call",
// "mobile", "whatsapp", "tel", ...) within 300 characters; national numbers are medium with a
// keyword and not reported without one ("536-90-4399" is a valid German number).
// Thread-safety: libphonenumber's PhoneNumberUtil is a thread-safe singleton; the detector is
// immutable.
#pragma once

#include <string_view>

#include "policy/detectors/detector.h"

namespace custos::policy {

// Grades one candidate as described above.
Validity PhoneNumberCheck(std::string_view number);

// The built-in detector; lives for the whole program.
const Detector& PhoneNumberDetector();

}  // namespace custos::policy
