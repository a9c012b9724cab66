// SPDX-License-Identifier: Apache-2.0
// International Bank Account Numbers: detector "iban" and its validators.
//
// Primary match: a country code of an IBAN country, two check digits and the rest of the
// country's fixed length, either unbroken ("DE89370400440532013000") or in groups of four
// separated by single spaces with a shorter last group ("DE89 3704 0044 0532 0130 00"), at word
// boundaries. Letters may be in either case.
// Validator: the length must be the one the SWIFT IBAN registry gives for the country (the
// 89 countries in iban.cc, including recent additions such as FK, HN, MN, NI, OM, SO, YE), the
// check digits must be 02-98 and the ISO 7064 mod-97-10 remainder of the rearranged string must
// be 1. The remainder is computed piecewise, one character at a time, so no big numbers are built.
// Confidence: the default table, but there is no plausible grade: medium when valid, high
// with a keyword such as "iban", "bank", "account", "konto", "compte" within 300 characters.
// Thread-safety: pure functions; the detector is immutable.
#pragma once

#include <string_view>

#include "policy/detectors/detector.h"

namespace custos::policy {

// The IBAN length for a two-letter uppercase country code, or 0 when the country has none.
int IbanLengthForCountry(std::string_view country);

// The mod-97-10 remainder of `iban` (letters and digits only, any case) after moving its first
// four characters to the end and replacing letters by 10..35; -1 on any other character.
int IbanMod97(std::string_view iban);

// True when `iban` (spaces allowed anywhere, any case) is a valid IBAN: known country, right
// length, check digits 02-98 and remainder 1.
bool IbanValid(std::string_view iban);

// The built-in detector; lives for the whole program.
const Detector& IbanDetector();

}  // namespace custos::policy
