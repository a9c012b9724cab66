// SPDX-License-Identifier: Apache-2.0
// E-mail addresses: detector "email" and its validator.
//
// Primary match: around each '@', the longest run of local-part characters to the left
// (letters, digits and . _ % + -) and of domain characters to the right (letters, digits,
// '.', '-'), with leading dots and trailing dots or hyphens trimmed so that sentence
// punctuation is not taken in ("mail me at a.b@example.com." finds "a.b@example.com").
// Only ASCII addresses are found; quoted local parts and IP-literal domains are not.
// Validator: local part 1-64 characters, not starting or ending with '.', no ".."; domain at
// most 253 characters with at least two labels of 1-63 letters, digits or hyphens, none
// starting or ending with '-'; the top-level label is at least two letters or an "xn--" label.
// Every valid address grades valid: medium alone, high with a keyword such as "email",
// "e-mail", "mail" or "contact" within 300 characters (the address itself does not count).
// Thread-safety: pure functions; the detector is immutable.
#pragma once

#include <string_view>

#include "policy/detectors/detector.h"

namespace custos::policy {

// True when `address` is a syntactically valid address by the rules above.
bool EmailValid(std::string_view address);

// The built-in detector; lives for the whole program.
const Detector& EmailDetector();

}  // namespace custos::policy
