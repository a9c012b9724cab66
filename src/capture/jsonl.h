// SPDX-License-Identifier: Apache-2.0
// The canonical message interchange format (docs/formats/message-jsonl.md): one JSON object
// per line. This codec turns a line into a model::Message and back; it is used by
// `custos import jsonl`, `custos export jsonl` and POST /api/v1/messages.
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "core/status.h"
#include "model/message.h"

namespace custos::capture {

// The largest encoded message (one line) the codec accepts. Text is limited separately to
// model::kMaxTextBytes; this bounds the JSON around it (escapes, recipients, attachments).
inline constexpr std::size_t kMaxLineBytes = std::size_t{16} << 20;

// The largest identifier-like string: source, source_id, channel, conversation, from, each
// entry of to, the event target ids, attachment name and MIME type.
inline constexpr std::size_t kMaxFieldBytes = 1024;

// An input error located precisely: the field at fault ("" when the JSON itself is broken).
// Nested fields are written as paths: "to[2]", "attachments[0].sha256".
struct DecodeError {
  std::string field;
  std::string message;
};

// Decodes one JSON object in the canonical format. On failure returns kInvalidArgument whose
// message reads `field "sent_at": invalid RFC 3339 timestamp ...` (or just the message when
// the field is "") and fills `*error` when given. Unknown fields are ignored. The result's
// id and idempotency_key are left empty (the archive and the ingest service set them).
core::Result<model::Message> DecodeMessage(std::string_view json, DecodeError* error = nullptr);

// Encodes a message as one line of canonical JSON (no trailing newline). Fields appear in a
// fixed order; events carry edited_of / deleted_of / reaction_to / event. Non-ASCII text is
// written as UTF-8, not escaped; invalid UTF-8 (which DecodeMessage never produces) is
// replaced by U+FFFD. DecodeMessage(EncodeMessage(m)) reproduces m (id and key aside).
std::string EncodeMessage(const model::Message& message);

}  // namespace custos::capture
