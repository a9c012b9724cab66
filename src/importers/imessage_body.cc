// SPDX-License-Identifier: Apache-2.0
#include "importers/imessage_body.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>

#include "core/text.h"

namespace custos::importers {
namespace {

constexpr std::int64_t kAppleEpochUnixSeconds = 978'307'200;
constexpr std::int64_t kNanosAbove = 100'000'000'000'000;  // 1e14

// A code point of the Basic Multilingual Plane as UTF-8 (U+FFFD for a lone surrogate).
void AppendBmpUtf8(std::string& out, std::uint32_t c) {
  if (c >= 0xD800 && c <= 0xDFFF) {
    c = 0xFFFD;
  }
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}

// A value of a binary plist, as far as message_summary_info needs one.
struct PlistNode {
  enum class Kind { kOther, kInt, kReal, kString, kData, kArray, kDict };
  Kind kind = Kind::kOther;
  std::int64_t integer = 0;
  double real = 0;
  std::string bytes;             // kString (UTF-8) or kData
  std::vector<PlistNode> items;  // kArray: the items; kDict: key, value, key, value, ...

  const PlistNode* Find(std::string_view key) const {
    for (std::size_t i = 0; kind == Kind::kDict && i + 1 < items.size(); i += 2) {
      if (items[i].kind == Kind::kString && items[i].bytes == key) {
        return &items[i + 1];
      }
    }
    return nullptr;
  }
};

// Reads "bplist00": objects through the offset table named by the 32-byte trailer.
class BinaryPlist {
 public:
  explicit BinaryPlist(std::string_view b) : b_(b) {}

  std::optional<PlistNode> Root() {
    constexpr std::size_t kTrailer = 32;
    if (b_.size() < 8 + kTrailer || !b_.starts_with("bplist00")) {
      return std::nullopt;
    }
    const std::size_t t = b_.size() - kTrailer;
    offset_size_ = Byte(t + 6);
    ref_size_ = Byte(t + 7);
    const auto count = UInt(t + 8, 8);
    const auto top = UInt(t + 16, 8);
    const auto table = UInt(t + 24, 8);
    if (!count || !top || !table || offset_size_ < 1 || offset_size_ > 8 || ref_size_ < 1 ||
        ref_size_ > 8 || *table > t || *count > (t - *table) / offset_size_ || *top >= *count) {
      return std::nullopt;
    }
    count_ = *count;
    table_ = *table;
    return Object(*top, 0);
  }

 private:
  static constexpr int kMaxDepth = 16;
  static constexpr int kMaxObjects = 4096;

  std::uint8_t Byte(std::size_t at) const { return static_cast<std::uint8_t>(b_[at]); }

  // A big-endian unsigned integer of `n` bytes at `at`, when it lies inside the blob.
  std::optional<std::uint64_t> UInt(std::uint64_t at, std::size_t n) const {
    if (n > 8 || at > b_.size() || n > b_.size() - at) {
      return std::nullopt;
    }
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < n; ++i) {
      v = v << 8 | Byte(at + i);
    }
    return v;
  }

  std::optional<PlistNode> Object(std::uint64_t ref, int depth) {
    if (depth > kMaxDepth || ++objects_ > kMaxObjects || ref >= count_) {
      return std::nullopt;
    }
    const auto off = UInt(table_ + ref * offset_size_, offset_size_);
    if (!off || *off >= table_) {
      return std::nullopt;
    }
    std::size_t p = static_cast<std::size_t>(*off);
    const std::uint8_t marker = Byte(p++);
    const int type = marker >> 4;
    std::uint64_t n = marker & 0x0F;
    PlistNode node;
    if (type == 0x1 || type == 0x2) {  // int, real: 2^n bytes
      if (n > 3) {
        return std::nullopt;
      }
      const auto raw = UInt(p, std::size_t{1} << n);
      if (!raw) {
        return std::nullopt;
      }
      if (type == 0x1) {
        node.kind = PlistNode::Kind::kInt;
        node.integer = static_cast<std::int64_t>(*raw);
      } else if (n == 3) {
        node.kind = PlistNode::Kind::kReal;
        std::memcpy(&node.real, &*raw, sizeof(double));
      }
      return node;
    }
    if (type != 0x4 && type != 0x5 && type != 0x6 && type != 0xA && type != 0xD) {
      return node;  // null, bool, date, uid, ...: not needed here
    }
    if (n == 0x0F) {  // the length follows as an int object
      const std::uint8_t int_marker = p < b_.size() ? Byte(p++) : 0;
      const auto len = UInt(p, std::size_t{1} << (int_marker & 0x03));
      if ((int_marker & 0xF0) != 0x10 || !len) {
        return std::nullopt;
      }
      p += std::size_t{1} << (int_marker & 0x03);
      n = *len;
    }
    if (p > table_) {
      return std::nullopt;
    }
    const std::uint64_t width = type == 0x6   ? 2
                                : type == 0xA ? ref_size_
                                : type == 0xD ? 2 * ref_size_
                                              : 1;
    if (n > (table_ - p) / width) {
      return std::nullopt;
    }
    if (type == 0x4 || type == 0x5) {
      node.kind = type == 0x4 ? PlistNode::Kind::kData : PlistNode::Kind::kString;
      node.bytes = std::string(b_.substr(p, n));
      return node;
    }
    if (type == 0x6) {  // UTF-16BE; only the BMP is needed for keys
      node.kind = PlistNode::Kind::kString;
      for (std::uint64_t i = 0; i < n; ++i) {
        AppendBmpUtf8(node.bytes, static_cast<std::uint32_t>(*UInt(p + 2 * i, 2)));
      }
      return node;
    }
    node.kind = type == 0xA ? PlistNode::Kind::kArray : PlistNode::Kind::kDict;
    const std::uint64_t refs = type == 0xA ? n : 2 * n;
    for (std::uint64_t i = 0; i < refs; ++i) {
      // A dict lists its keys, then its values; keep them as key, value pairs.
      const std::uint64_t slot = type == 0xA ? i : (i % 2 == 0 ? i / 2 : n + i / 2);
      const auto child_ref = UInt(p + slot * ref_size_, ref_size_);
      if (!child_ref) {
        return std::nullopt;
      }
      std::optional<PlistNode> child = Object(*child_ref, depth + 1);
      if (!child) {
        return std::nullopt;
      }
      node.items.push_back(std::move(*child));
    }
    return node;
  }

  std::string_view b_;
  std::size_t offset_size_ = 0;
  std::size_t ref_size_ = 0;
  std::uint64_t count_ = 0;
  std::uint64_t table_ = 0;
  int objects_ = 0;
};

std::int64_t PlistInt(const PlistNode* n) {
  if (n == nullptr) {
    return 0;
  }
  return n->kind == PlistNode::Kind::kReal ? static_cast<std::int64_t>(n->real) : n->integer;
}

}  // namespace

std::optional<MessageSummary> ParseMessageSummary(std::string_view blob) {
  std::optional<PlistNode> root = BinaryPlist(blob).Root();
  if (!root || root->kind != PlistNode::Kind::kDict) {
    return std::nullopt;
  }
  MessageSummary out;
  if (const PlistNode* ec = root->Find("ec"); ec != nullptr) {
    std::vector<std::pair<std::int64_t, const PlistNode*>> parts;
    for (std::size_t i = 0; ec->kind == PlistNode::Kind::kDict && i + 1 < ec->items.size();
         i += 2) {
      std::int64_t part = 0;
      for (char c : ec->items[i].bytes) {
        part = c >= '0' && c <= '9' && part < 1'000'000 ? part * 10 + (c - '0') : part;
      }
      parts.emplace_back(part, &ec->items[i + 1]);
    }
    std::sort(parts.begin(), parts.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    for (const auto& [part, versions] : parts) {
      std::vector<EditedVersion> history;
      for (const PlistNode& v : versions->items) {
        const PlistNode* t = v.Find("t");
        history.push_back(
            EditedVersion{AppleTimeToMicros(PlistInt(v.Find("d"))),
                          t != nullptr ? TypedStreamText(t->bytes).value_or("") : std::string()});
      }
      if (!history.empty()) {
        out.edited_parts.push_back(std::move(history));
      }
    }
  }
  if (const PlistNode* rp = root->Find("rp");
      rp != nullptr && rp->kind == PlistNode::Kind::kArray) {
    for (const PlistNode& part : rp->items) {
      out.unsent_parts.push_back(part.integer);
    }
  }
  return out;
}

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
  if (nanos) {
    return date / 1000 + kAppleEpochUnixSeconds * core::kMicrosPerSecond;
  }
  // Seconds: a damaged value beyond what RFC 3339 can write is held at its limit (no overflow).
  const std::int64_t unix_seconds = std::clamp(date, core::kMinUnixSeconds - kAppleEpochUnixSeconds,
                                               core::kMaxUnixSeconds - kAppleEpochUnixSeconds) +
                                    kAppleEpochUnixSeconds;
  return *core::SecondsToMicros(unix_seconds);
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
