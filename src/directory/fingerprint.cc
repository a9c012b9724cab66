// SPDX-License-Identifier: Apache-2.0
#include "directory/fingerprint.h"

#include "core/text.h"
#include "core/time.h"
#include "crypto/crypto.h"

namespace custos::directory {
namespace {

constexpr std::int64_t kDay = 86'400LL * core::kMicrosPerSecond;

// Length of an invisible mark starting at `s[i]` (UTF-8), 0 when there is none.
std::size_t InvisibleAt(std::string_view s, std::size_t i) {
  const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[i + k]); };
  if (i + 2 < s.size() && b(0) == 0xE2 && b(1) == 0x80 &&
      (b(2) == 0x8E || b(2) == 0x8F || (b(2) >= 0xAA && b(2) <= 0xAE))) {
    return 3;  // U+200E, U+200F, U+202A..U+202E
  }
  if (i + 2 < s.size() && b(0) == 0xE2 && b(1) == 0x81 && b(2) >= 0xA6 && b(2) <= 0xA9) {
    return 3;  // U+2066..U+2069
  }
  if (i + 2 < s.size() && b(0) == 0xEF && b(1) == 0xBB && b(2) == 0xBF) {
    return 3;  // U+FEFF
  }
  return 0;
}

bool IsSpaceAt(std::string_view s, std::size_t i, std::size_t* len) {
  const auto c = static_cast<unsigned char>(s[i]);
  if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
    *len = 1;
    return true;
  }
  if (c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0xA0) {
    *len = 2;  // U+00A0
    return true;
  }
  if (c == 0xE2 && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x80 &&
      static_cast<unsigned char>(s[i + 2]) == 0xAF) {
    *len = 3;  // U+202F
    return true;
  }
  return false;
}

}  // namespace

std::int64_t FingerprintPrecision(std::string_view channel) {
  return channel == "whatsapp" ? 60 * core::kMicrosPerSecond : core::kMicrosPerSecond;
}

std::string FingerprintText(std::string_view text) {
  std::string out;
  bool space = false;
  for (std::size_t i = 0; i < text.size();) {
    if (const std::size_t n = InvisibleAt(text, i); n > 0) {
      i += n;
      continue;
    }
    std::size_t len = 0;
    if (IsSpaceAt(text, i, &len)) {
      space = !out.empty();
      i += len;
      continue;
    }
    if (space) {
      out.push_back(' ');
      space = false;
    }
    out.push_back(text[i++]);
  }
  return out;
}

std::string Fingerprinter::Next(const model::Message& m) {
  const std::int64_t precision = FingerprintPrecision(m.channel);
  const std::int64_t slot = m.sent_at >= 0 ? m.sent_at / precision : -((-m.sent_at) / precision);
  std::string basis = m.channel;
  for (const std::string_view part :
       {std::string_view(m.conversation), std::string_view(m.from), model::EventKindName(m.kind)}) {
    basis.push_back('\x1f');
    basis.append(part);
  }
  basis += '\x1f' + std::to_string(slot) + '\x1f' + std::to_string(m.attachments.size()) + '\x1f' +
           FingerprintText(m.text);
  const std::string digest = core::HexEncode(crypto::Sha256(basis)).substr(0, 32);
  const std::int64_t horizon = slot - kDay / precision;
  if (!counts_.empty() && counts_.begin()->first < horizon) {
    counts_.erase(counts_.begin(), counts_.lower_bound(horizon));
  }
  const int n = counts_[slot][digest]++;
  return "fp1-" + digest + (n > 0 ? "-" + std::to_string(n) : "");
}

}  // namespace custos::directory
