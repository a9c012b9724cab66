// SPDX-License-Identifier: Apache-2.0
// Finds where a JSON text is broken, for error messages that name a field. Used by the JSONL
// codec only after a fast parse has failed, so it costs nothing on good input.
// Thread-safety: a pure function.
#pragma once

#include <string>
#include <string_view>

namespace custos::capture::internal {

struct JsonErrorLocation {
  // The path of the value being read when the parser failed ("text", "to[1]",
  // "attachments[0].name"), or "" when the error is in the structure or in a field name.
  std::string field;
  // A short reason, without nlohmann's prefixes or echo of the input.
  std::string message;
};

// Precondition: `json` does not parse. Locates the first error.
JsonErrorLocation LocateJsonError(std::string_view json);

}  // namespace custos::capture::internal
