// SPDX-License-Identifier: Apache-2.0
#include "core/json_reader.h"

#include <algorithm>

namespace custos::core {

namespace {

std::string Label(std::string_view what) {
  return what.empty() ? std::string("JSON") : std::string(what);
}

// nlohmann's message without its "[json.exception.parse_error.101] parse error at line 1, ...:"
// prefix (the position is given by DescribeJsonPosition) and without an echo of the input.
std::string Reason(const std::string& what) {
  std::string reason = what;
  const std::size_t colon = reason.find(": ");
  if (reason.rfind("[json.exception.", 0) == 0 && colon != std::string::npos) {
    reason.erase(0, colon + 2);
  }
  const std::size_t last_read = reason.find("; last read:");
  if (last_read != std::string::npos) {
    reason.erase(last_read);
  }
  if (reason.size() > 160) {
    reason.resize(160);
  }
  return reason;
}

template <typename J>
Result<J> Parse(std::string_view text, const JsonLimits& limits, std::string_view what) {
  RETURN_IF_ERROR(CheckJsonLimits(text, limits, what));
  try {
    return J::parse(text.begin(), text.end());
  } catch (const typename J::parse_error& e) {
    const std::size_t byte = e.byte > 0 ? e.byte - 1 : 0;  // nlohmann counts from 1
    return InvalidArgument(Label(what) + ": malformed JSON" +
                           DescribeJsonPosition(text, std::min(byte, text.size())) + ": " +
                           Reason(e.what()));
  } catch (const typename J::exception& e) {  // a number too large for a double (out_of_range)
    return InvalidArgument(Label(what) + ": malformed JSON: " + Reason(e.what()));
  }
}

}  // namespace

std::string DescribeJsonPosition(std::string_view text, std::size_t byte) {
  byte = std::min(byte, text.size());
  std::size_t line = 1;
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < byte; ++i) {
    if (text[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  }
  return " at line " + std::to_string(line) + ", column " + std::to_string(byte - line_start + 1) +
         " (byte " + std::to_string(byte) + ")";
}

Status CheckJsonLimits(std::string_view text, const JsonLimits& limits, std::string_view what) {
  if (text.size() > limits.max_bytes) {
    return InvalidArgument(Label(what) + " is " + std::to_string(text.size()) +
                           " bytes, over the limit of " + std::to_string(limits.max_bytes) +
                           " bytes");
  }
  // Outside strings, every value but the first of a container follows a ',' and every container
  // opens with '{' or '[': elements <= commas + containers + 1.
  std::size_t elements = 1;
  int depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    switch (c) {
      case '"':
        in_string = true;
        break;
      case '{':
      case '[':
        if (++depth > limits.max_depth) {
          return InvalidArgument(Label(what) + ": JSON nested deeper than " +
                                 std::to_string(limits.max_depth) + " levels" +
                                 DescribeJsonPosition(text, i));
        }
        [[fallthrough]];
      case ',':
        if (++elements > limits.max_elements) {
          return InvalidArgument(Label(what) + ": JSON has more than " +
                                 std::to_string(limits.max_elements) + " elements" +
                                 DescribeJsonPosition(text, i));
        }
        break;
      case '}':
      case ']':
        depth = depth > 0 ? depth - 1 : 0;
        break;
      default:
        break;
    }
  }
  return Status::Ok();
}

Result<nlohmann::json> ParseJson(std::string_view text, const JsonLimits& limits,
                                 std::string_view what) {
  return Parse<nlohmann::json>(text, limits, what);
}

Result<nlohmann::ordered_json> ParseOrderedJson(std::string_view text, const JsonLimits& limits,
                                                std::string_view what) {
  return Parse<nlohmann::ordered_json>(text, limits, what);
}

}  // namespace custos::core
