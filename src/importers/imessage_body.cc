// SPDX-License-Identifier: Apache-2.0
#include "importers/imessage_body.h"

#include <array>

#include "core/text.h"

namespace custos::importers {
namespace {

constexpr std::int64_t kAppleEpochUnixSeconds = 978'307'200;
constexpr std::int64_t kNanosAbove = 100'000'000'000'000;  // 1e14

}  // namespace

std::optional<std::string> TypedStreamText(std::string_view blob) {
  if (blob.find("streamtyped") == std::string_view::npos) {
    return std::nullopt;
  }
  std::size_t at = blob.find("NSString");
  std::size_t class_len = 8;
  if (at == std::string_view::npos) {
    at = blob.find("NSMutableString");
    class_len = 15;
  }
  if (at == std::string_view::npos) {
    return std::nullopt;
  }
  // After the class name: version and type bytes, then '+' (an inline C string follows).
  std::size_t p = at + class_len;
  const std::size_t plus = blob.find('+', p);
  if (plus == std::string_view::npos || plus - p > 8) {
    return std::nullopt;
  }
  p = plus + 1;
  if (p >= blob.size()) {
    return std::nullopt;
  }
  const auto byte = [&](std::size_t i) { return static_cast<std::uint8_t>(blob[i]); };
  std::uint64_t length = byte(p++);
  if (length == 0x81 || length == 0x82) {
    const std::size_t width = length == 0x81 ? 2 : 4;
    if (p + width > blob.size()) {
      return std::nullopt;
    }
    length = 0;
    for (std::size_t i = 0; i < width; ++i) {
      length |= static_cast<std::uint64_t>(byte(p + i)) << (8 * i);
    }
    p += width;
  } else if (length > 0x7F) {
    return std::nullopt;
  }
  if (p + length > blob.size()) {
    return std::nullopt;
  }
  std::string text(blob.substr(p, length));
  if (!core::IsValidUtf8(text)) {
    return std::nullopt;
  }
  return text;
}

core::Micros AppleTimeToMicros(std::int64_t date) {
  const bool nanos = date > kNanosAbove || date < -kNanosAbove;
  const core::Micros since_2001 = nanos ? date / 1000 : date * core::kMicrosPerSecond;
  return since_2001 + kAppleEpochUnixSeconds * core::kMicrosPerSecond;
}

std::string NormaliseHandle(std::string_view handle, std::string_view region) {
  const std::string_view t = core::TrimAscii(handle);
  if (t.find('@') != std::string_view::npos) {
    return core::ToLowerAscii(t);
  }
  std::string digits;
  const bool plus = !t.empty() && t.front() == '+';
  for (char c : t) {
    if (c >= '0' && c <= '9') {
      digits.push_back(c);
    } else if (c != ' ' && c != '-' && c != '.' && c != '(' && c != ')' && c != '+') {
      return std::string(t);  // not a phone number (a short code with letters, a chat id)
    }
  }
  if (digits.empty()) {
    return std::string(t);
  }
  if (plus) {
    return "+" + digits;
  }
  if (digits.starts_with("00")) {
    return "+" + digits.substr(2);
  }
  if (region == "GB" && digits.size() == 11 && digits.front() == '0') {
    return "+44" + digits.substr(1);
  }
  if ((region == "US" || region == "CA") && digits.size() == 10) {
    return "+1" + digits;
  }
  if ((region == "US" || region == "CA") && digits.size() == 11 && digits.front() == '1') {
    return "+" + digits;
  }
  return digits;
}

std::optional<std::string> TapbackName(std::int64_t type) {
  static constexpr std::array<std::string_view, 7> kNames = {
      "loved", "liked", "disliked", "laughed", "emphasized", "questioned", "emoji"};
  if (type >= 2000 && type <= 2006) {
    return std::string(kNames[static_cast<std::size_t>(type - 2000)]);
  }
  if (type >= 3000 && type <= 3006) {
    return "-" + std::string(kNames[static_cast<std::size_t>(type - 3000)]);
  }
  return std::nullopt;
}

std::string_view TapbackTargetGuid(std::string_view guid) {
  const std::size_t slash = guid.find('/');
  if (guid.starts_with("p:") && slash != std::string_view::npos) {
    return guid.substr(slash + 1);
  }
  if (guid.starts_with("bp:")) {
    return guid.substr(3);
  }
  return guid;
}

}  // namespace custos::importers
