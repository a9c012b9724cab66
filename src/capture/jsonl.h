// SPDX-License-Identifier: Apache-2.0
// The canonical message interchange format (docs/formats/message-jsonl.md): one JSON object
// per line. This codec turns a line into a model::Message and back; it is used by
// `custos import jsonl`, `custos export jsonl` and POST /api/v1/messages.
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"
#include "model/message.h"

namespace custos::capture {

// An input error located precisely: the field at fault ("" when the JSON itself is broken).
struct DecodeError {
  std::string field;
  std::string message;
};

// Decodes one JSON object in the canonical format. On failure returns kInvalidArgument whose
// message reads `field "sent_at": invalid RFC 3339 timestamp ...` and fills `*error`.
core::Result<model::Message> DecodeMessage(std::string_view json, DecodeError* error = nullptr);

// Encodes a message as one line of canonical JSON (no trailing newline). Fields appear in a
// fixed order; events carry edited_of / deleted_of / reaction_to / event.
std::string EncodeMessage(const model::Message& message);

}  // namespace custos::capture
