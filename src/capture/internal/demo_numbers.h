// SPDX-License-Identifier: Apache-2.0
// Numbers that a compliance policy should catch, generated for the demo data: payment card
// numbers from well-known test ranges with a valid Luhn check digit, and IBANs with valid
// ISO 13616 (mod-97) check digits. None belongs to a real account.
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "capture/internal/demo_rng.h"

namespace custos::capture::internal {

// True when the digits of `number` (spaces and dashes ignored) pass the Luhn check.
bool LuhnValid(std::string_view number);

// True when `iban` (spaces ignored) has valid mod-97 check digits.
bool IbanValid(std::string_view iban);

// A 16-digit card number from a test BIN (Visa 4111 11 / 4012 88, Mastercard 5555 55 /
// 5105 10), written with spaces, dashes or plain, as people type them.
std::string TestCardNumber(DemoRng& rng);

// A German, British, Dutch or Swiss IBAN with random bank and account numbers and correct
// check digits; grouped by four or compact.
std::string TestIban(DemoRng& rng);

}  // namespace custos::capture::internal
