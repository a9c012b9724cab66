// SPDX-License-Identifier: Apache-2.0
// The one pass over a message that most evaluations need: most chat messages are pure ASCII,
// and for them this pass alone yields the text view (a lower-case copy), tells whether blanks
// need collapsing and whether the folded view could differ, and gives the detectors' text
// profile — 16 bytes at a time with SSE2 where available.
// Thread-safety: pure function.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace custos::policy::eval {

struct AsciiPass {
  bool ascii = true;               // no byte >= 0x80; the other members are only set when true
  bool simple_blanks = true;       // no control character and no two spaces in a row
  std::size_t single_letters = 0;  // one-letter words (a letter between non-alphanumerics)
  std::uint8_t profile = 0;        // TextProfile bits of the text (detectors/detector.h)
};

// Scans `in`; when it is ASCII, `lower` receives its lower-case copy (same length).
AsciiPass ScanAscii(std::string_view in, std::string& lower);

}  // namespace custos::policy::eval
