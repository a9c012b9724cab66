// SPDX-License-Identifier: Apache-2.0
// Small, pure text helpers shared by every module: UTF-8 validation, ASCII case, hex, trimming.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace custos::core {

// True when `s` is well-formed UTF-8 (no overlongs, no surrogates, at most U+10FFFF).
bool IsValidUtf8(std::string_view s);

std::string ToLowerAscii(std::string_view s);

std::string_view TrimAscii(std::string_view s);

std::string HexEncode(std::string_view bytes);

// Splits on `sep`, keeping empty pieces.
std::vector<std::string_view> Split(std::string_view s, char sep);

// Truncates to at most `max_bytes` without cutting a UTF-8 sequence in half.
std::string_view TruncateUtf8(std::string_view s, std::size_t max_bytes);

}  // namespace custos::core
