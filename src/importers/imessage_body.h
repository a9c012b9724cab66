// SPDX-License-Identifier: Apache-2.0
// Pure helpers of the iMessage importer (docs/formats/imessage.md): the text inside an
// `attributedBody` typedstream blob, Apple-epoch times, handle normalisation and tapback codes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/time.h"

namespace custos::importers {

// The NSString of an NSAttributedString archived with NSArchiver ("streamtyped"), as macOS
// Ventura and later store message text when `message.text` is NULL. nullopt when the blob is not
// a typedstream or its string is truncated or not UTF-8.
std::optional<std::string> TypedStreamText(std::string_view blob);

// message.date: seconds (before High Sierra) or nanoseconds since 2001-01-01 UTC, to Unix
// microseconds. Values above 1e14 in magnitude are nanoseconds.
core::Micros AppleTimeToMicros(std::int64_t date);

// A handle as entered by the user ("(555) 010-0199", "00447700900123", "Bob@Example.com") in
// a stable form: phones without punctuation, "00" to "+", national numbers of `region` (GB, US,
// CA) with their country code; e-mails lowercased. Full E.164 checking is the directory's job.
std::string NormaliseHandle(std::string_view handle, std::string_view region);

// associated_message_type 2000-2006 (add) and 3000-3006 (remove) to "loved", "-loved", ...;
// nullopt for anything that is not a tapback.
std::optional<std::string> TapbackName(std::int64_t associated_message_type);

// "p:0/GUID" or "bp:GUID" to "GUID".
std::string_view TapbackTargetGuid(std::string_view associated_message_guid);

}  // namespace custos::importers
