// SPDX-License-Identifier: Apache-2.0
// United Kingdom National Insurance numbers: detector "uk_nino" and its validator.
//
// Primary match: two letters, six digits and a suffix letter, either unbroken ("AB123456C")
// or with single spaces as HMRC prints them ("AB 12 34 56 C"), or with one space before the
// digits and one before the suffix ("AB 123456 C"); either case; at word boundaries.
// Validator (HMRC rules): first letter not D, F, I, Q, U or V; second letter not D, F, I, O, Q,
// U or V; prefix not BG, GB, KN, NK, NT, TN or ZZ (never allocated); suffix A, B, C or D.
// The published sample "QQ 12 34 56 C" is therefore invalid. There is no checksum: every match
// that follows the rules is valid, so the default table gives medium, high with a keyword
// ("national insurance", "nino", "ni number", ...) within 300 characters, and never low.
// Thread-safety: pure functions; the detector is immutable.
#pragma once

#include <string_view>

#include "policy/detectors/detector.h"

namespace custos::policy {

// True when `nino` (spaces allowed between the parts, any case) follows the rules above.
bool UkNinoValid(std::string_view nino);

// The built-in detector; lives for the whole program.
const Detector& UkNinoDetector();

}  // namespace custos::policy
