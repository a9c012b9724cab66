// SPDX-License-Identifier: Apache-2.0
// The one JSON reader of custos: every request body and every imported JSON file is read through
// it, with limits on size, nesting depth and element count checked by a linear, non-recursive
// pre-scan BEFORE nlohmann-json builds a document. A document nested 50,000 deep would otherwise
// exhaust the stack of every recursive walk over it (dump, destruction, visitors), and a body of
// tiny elements ("[[],[],...]") costs some 20 times its size as a DOM.
// Errors are kInvalidArgument (malformed, wrong limits) or kResourceExhausted (a limit), and name
// the limit and the position (line, column, byte) where it was crossed.
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/status.h"

namespace custos::core {

struct JsonLimits {
  std::size_t max_bytes = std::size_t{1} << 20;
  int max_depth = 32;                 // containers open at once ({"a":[1]} is 2)
  std::size_t max_elements = 65'536;  // values of any kind, containers included
};

// Request bodies of the HTTP API (a route may declare a larger size; see http/routes.h).
inline constexpr JsonLimits kRequestJsonLimits{};
// One JSON file of an import (Slack day files, MDM exports, posture files): larger, still
// bounded (a 256 MiB file of small elements would be ~5 GB as a DOM).
inline constexpr JsonLimits kImportJsonLimits{std::size_t{256} << 20, 64, 8'000'000};

// Where a JSON text broke a limit or its syntax.
struct JsonPosition {
  std::size_t byte = 0;  // 0-based offset
  std::size_t line = 1;  // 1-based
  std::size_t column = 1;
};

// " at line L, column C (byte B)"
std::string DescribeJsonPosition(std::string_view text, std::size_t byte);

// The linear pre-scan alone: OK when `text` is within `limits` (it does not validate syntax).
// `what` names the input in the message ("request body", "users.json").
Status CheckJsonLimits(std::string_view text, const JsonLimits& limits, std::string_view what);

// Pre-scan, then parse. Malformed JSON is kInvalidArgument with the position; a number too
// large for a double too (never an exception).
Result<nlohmann::json> ParseJson(std::string_view text, const JsonLimits& limits,
                                 std::string_view what);
Result<nlohmann::ordered_json> ParseOrderedJson(std::string_view text, const JsonLimits& limits,
                                                std::string_view what);

}  // namespace custos::core
