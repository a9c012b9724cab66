// SPDX-License-Identifier: Apache-2.0
#include "importers/sms_backup_entities.h"

#include <optional>

namespace custos::importers {
namespace {

// The longest reference we ever need to look at: "&#x" + 8 digits + ";" fits in 16; longer
// digit runs are not surrogates and pass through untouched.
constexpr std::size_t kMaxRefLen = 16;

enum class Parse { kRef, kNotRef, kIncomplete };

struct Ref {
  std::uint32_t value = 0;
  std::size_t length = 0;
};

// Parses a numeric character reference at the start of `s`.
Parse ParseRef(std::string_view s, Ref& ref) {
  if (s.empty()) {
    return Parse::kIncomplete;  // the buffer ends here: what follows is not known yet
  }
  if (s[0] != '&') {
    return Parse::kNotRef;
  }
  if (s.size() < 2) {
    return Parse::kIncomplete;
  }
  if (s[1] != '#') {
    return Parse::kNotRef;
  }
  std::size_t i = 2;
  bool hex = false;
  if (i < s.size() && (s[i] == 'x' || s[i] == 'X')) {
    hex = true;
    ++i;
  }
  const std::size_t digits_start = i;
  std::uint64_t value = 0;
  for (; i < s.size() && i < kMaxRefLen; ++i) {
    const char c = s[i];
    int d = -1;
    if (c >= '0' && c <= '9') {
      d = c - '0';
    } else if (hex && c >= 'a' && c <= 'f') {
      d = c - 'a' + 10;
    } else if (hex && c >= 'A' && c <= 'F') {
      d = c - 'A' + 10;
    } else {
      break;
    }
    value = value * (hex ? 16 : 10) + static_cast<std::uint64_t>(d);
  }
  if (i == s.size()) {
    return i < kMaxRefLen ? Parse::kIncomplete : Parse::kNotRef;
  }
  if (s[i] != ';' || i == digits_start || value > 0x10FFFF) {
    return Parse::kNotRef;
  }
  ref.value = static_cast<std::uint32_t>(value);
  ref.length = i + 1;
  return Parse::kRef;
}

bool IsHigh(std::uint32_t u) { return u >= 0xD800 && u <= 0xDBFF; }

bool IsLow(std::uint32_t u) { return u >= 0xDC00 && u <= 0xDFFF; }

}  // namespace

void SurrogateEntityFilter::Feed(std::string_view chunk, bool final, std::string& out) {
  std::string joined;
  std::string_view buf = chunk;
  if (!carry_.empty()) {
    joined = std::move(carry_);
    joined.append(chunk);
    carry_.clear();
    buf = joined;
  }
  out.reserve(out.size() + buf.size());
  std::size_t i = 0;
  std::size_t copied = 0;  // buf[copied, i) is pending plain output
  while (i < buf.size()) {
    const std::size_t amp = buf.find_first_of("&\n", i);
    if (amp == std::string_view::npos) {
      break;
    }
    if (buf[amp] == '\n') {
      ++line_;
      i = amp + 1;
      continue;
    }
    Ref first;
    const Parse p = ParseRef(buf.substr(amp), first);
    if (p == Parse::kIncomplete && !final) {
      out.append(buf.substr(copied, amp - copied));
      carry_.assign(buf.substr(amp));
      return;
    }
    if (p != Parse::kRef || !(IsHigh(first.value) || IsLow(first.value))) {
      i = amp + 1;
      continue;
    }
    out.append(buf.substr(copied, amp - copied));
    std::uint32_t code = 0xFFFD;
    std::size_t consumed = first.length;
    if (IsHigh(first.value)) {
      Ref second;
      const Parse q = ParseRef(buf.substr(amp + first.length), second);
      if (q == Parse::kIncomplete && !final) {
        carry_.assign(buf.substr(amp));
        return;
      }
      if (q == Parse::kRef && IsLow(second.value)) {
        code = 0x10000 + ((first.value - 0xD800) << 10) + (second.value - 0xDC00);
        consumed += second.length;
      }
    }
    if (code == 0xFFFD) {
      on_lone_(line_, first.value);
    }
    out.append("&#").append(std::to_string(code)).append(";");
    i = amp + consumed;
    copied = i;
  }
  out.append(buf.substr(copied));
}

}  // namespace custos::importers
