// SPDX-License-Identifier: Apache-2.0
// Normalising identities: phone numbers to E.164 with libphonenumber (a default region for
// numbers written without a country code), e-mail addresses to lower case, other handles and
// display names trimmed. LookupKey() is what the directory matches on (case-folded).
// Thread-safety: pure functions (libphonenumber's singleton is thread-safe).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace custos::directory {

// "+447700900123" for "07700 900123" in region "GB"; nullopt when `raw` is not a valid number
// (or has letters other than an extension).
std::optional<std::string> PhoneToE164(std::string_view raw, std::string_view region);

// True when libphonenumber has metadata for `region` (ISO 3166-1 alpha-2, upper case: "GB").
bool IsKnownRegion(std::string_view region);

// True when `raw` is written like a phone number: digits, spaces, + - . ( ) only, 6+ digits.
bool LooksLikePhone(std::string_view raw);

// The identity as stored in a message: E.164 for phone-like strings that parse, lower case for
// e-mail addresses, otherwise `raw` trimmed (display names keep their case).
std::string NormaliseIdentity(std::string_view raw, std::string_view region);

// The key the directory matches on: NormaliseIdentity, then ASCII lower case.
std::string LookupKey(std::string_view raw, std::string_view region);

// The spellings of phone number `e164` that messages may carry, each as archive handles are
// compared (no spaces or punctuation): E.164, the digits without "+", the national form of its
// region ("07700900123"), and the WhatsApp JIDs (<digits>@s.whatsapp.net, <digits>@c.us).
// Empty when `e164` is not a valid number.
std::vector<std::string> PhoneSpellings(std::string_view e164);

// Whether E.164 number `e164` has the length of a full number of its country, not only of a
// local number dialled without its area code ("+44 7700 12" parses, but names nobody: a legal
// hold on it would silently cover nothing).
bool IsFullLengthNumber(std::string_view e164);

// A WhatsApp user JID ("447700900123@s.whatsapp.net", "...@c.us") or a tel:/sms:/whatsapp: URI
// as the phone number it names ("+447700900123"); nullopt for anything else.
std::optional<std::string> PhoneOfJidOrUri(std::string_view raw);

}  // namespace custos::directory
