// SPDX-License-Identifier: Apache-2.0
// Payment card numbers (PAN): detector "payment_card" and its validators.
//
// Primary match: 13 to 19 digits, either unbroken or in groups separated by one space or one
// dash (the same separator throughout); when grouped, the first group has 4 digits, middle
// groups 4 to 6 and the last 1 to 6 ("4111 1111 1111 1111", "3782-822463-10005"). Never part of
// a longer digit run, word, decimal number or line-broken sequence.
// Validator: the IIN must belong to a brand below and the length must be one the brand issues,
// and the Luhn check must pass. Anything else is invalid; there is no "plausible" grade, so the
// detector reports medium (valid) or high (valid + keyword such as "card", "visa", "cvv"
// within 300 characters) and never low.
// Brands: Visa 4 (13, 16, 19); Mastercard 51-55 and 2221-2720 (16); American Express 34, 37
// (15); Discover 6011, 644-649, 65 (16-19); JCB 3528-3589 (16-19); Diners Club 300-305, 3095,
// 36, 38, 39 (14-19); UnionPay 62, including the Discover co-branded 622126-622925 (16-19).
// Reserved test numbers (4111 1111 1111 1111 ...) are reported like any other number.
// Thread-safety: pure functions; the detector is immutable.
#pragma once

#include <optional>
#include <string_view>

#include "policy/detectors/detector.h"

namespace custos::policy {

enum class CardBrand { kVisa, kMastercard, kAmex, kDiscover, kJcb, kDiners, kUnionPay };

std::string_view CardBrandName(CardBrand brand);

// True when `digits` (ASCII digits only, at least 2) passes the Luhn mod-10 check.
bool LuhnValid(std::string_view digits);

// The brand whose IIN range and lengths contain `digits` (ASCII digits only), if any.
std::optional<CardBrand> CardBrandOf(std::string_view digits);

// The built-in detector; lives for the whole program.
const Detector& PaymentCardDetector();

}  // namespace custos::policy
