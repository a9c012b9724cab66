// SPDX-License-Identifier: Apache-2.0
// United States Social Security numbers: detector "us_ssn" and its validator.
//
// Primary match: AAA-GG-SSSS or AAA GG SSSS (one separator, used twice) or nine unbroken
// digits, never inside a longer number, word or dotted/dashed sequence.
// Validator (SSA numbering rules): area not 000, 666 or 900-999; group not 00; serial not
// 0000; not all one digit; not a number known to be invalid or published as a sample
// (078-05-1120, 219-09-9999, 123-45-6789). Formatted numbers grade valid, unbroken ones
// plausible. There is no checksum, so confidence follows Purview's U.S. SSN definition
// rather than the default table:
//   formatted + keyword ("ssn", "social security", ...) within 300 characters: high
//   unbroken + keyword: medium
//   formatted, no keyword: low
//   unbroken, no keyword: not reported (nine digits alone are too common)
// Thread-safety: pure functions; the detector is immutable.
#pragma once

#include <string_view>

#include "policy/detectors/detector.h"

namespace custos::policy {

// True when `ssn` (with or without consistent '-' or ' ' separators) follows the numbering
// rules above.
bool UsSsnValid(std::string_view ssn);

// The built-in detector; lives for the whole program.
const Detector& UsSsnDetector();

}  // namespace custos::policy
