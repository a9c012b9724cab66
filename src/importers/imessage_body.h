// SPDX-License-Identifier: Apache-2.0
// Pure helpers of the iMessage importer (docs/formats/imessage.md): the text inside an
// `attributedBody` typedstream blob, the edit history in a `message_summary_info` binary plist,
// Apple-epoch times, handle normalisation and tapback codes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/time.h"

namespace custos::importers {

// The NSString of an NSAttributedString archived with NSArchiver ("streamtyped"), as macOS
// Ventura and later store message text when `message.text` is NULL. nullopt when the blob is not
// a typedstream or its string is truncated or not UTF-8.
std::optional<std::string> TypedStreamText(std::string_view blob);

// One version of an edited body part: when it was written (Unix micros) and its text.
struct EditedVersion {
  core::Micros at = 0;
  std::string text;
};

// What `message_summary_info` (a binary plist dictionary, macOS Ventura and later) says about a
// message: "ec" maps each edited body part ("0", "1", ...) to its versions, oldest first, each
// {d: Apple-epoch date, t: typedstream text}; "rp" lists the parts that were unsent.
struct MessageSummary {
  std::vector<std::vector<EditedVersion>> edited_parts;  // in part order; versions oldest first
  std::vector<std::int64_t> unsent_parts;
};

// nullopt when `blob` is not a well-formed binary plist ("bplist00") whose root is a dictionary.
// Bounded: nesting depth, object count and every offset are checked against the blob.
std::optional<MessageSummary> ParseMessageSummary(std::string_view blob);

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
