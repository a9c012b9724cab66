// SPDX-License-Identifier: Apache-2.0
#include "policy/detectors/ip_address.h"

#include <array>
#include <vector>

#include "policy/detectors/internal/text_scan.h"

namespace custos::policy {
namespace {

using internal::IsDigit;
using internal::IsHexDigit;

constexpr int kIpv4Parts = 4;
constexpr std::size_t kMaxOctetDigits = 3;
constexpr int kMaxOctet = 255;
constexpr int kIpv6Groups = 8;
constexpr std::size_t kMaxGroupDigits = 4;

constexpr std::array<std::string_view, 12> kKeywords = {
    "ip",       "ip address", "ipv4",   "ipv6",    "server", "host",
    "hostname", "address",    "subnet", "gateway", "vpn",    "firewall"};

bool IsIpv6Char(char c) { return IsHexDigit(c) || c == ':' || c == '.'; }

// Counts the groups of one side of "::" (or of a whole address without one); the last piece
// may be a dotted IPv4 address worth two groups when `allow_ipv4` is set.
bool CountGroups(std::string_view side, bool allow_ipv4, int& groups) {
  groups = 0;
  if (side.empty()) {
    return true;
  }
  std::size_t start = 0;
  while (true) {
    const std::size_t colon = side.find(':', start);
    const std::string_view piece = side.substr(start, colon - start);
    const bool last = colon == std::string_view::npos;
    if (last && allow_ipv4 && piece.find('.') != std::string_view::npos) {
      if (!Ipv4Valid(piece)) {
        return false;
      }
      groups += 2;
      return true;
    }
    if (piece.empty() || piece.size() > kMaxGroupDigits) {
      return false;
    }
    for (char c : piece) {
      if (!IsHexDigit(c)) {
        return false;
      }
    }
    ++groups;
    if (last) {
      return true;
    }
    start = colon + 1;
  }
}

class Ipv4 final : public Detector {
 public:
  Ipv4()
      : Detector(DetectorTraits{.name = "ipv4",
                                .keywords = kKeywords,
                                .keyword_window = kDefaultKeywordWindow,
                                .confidence = kDefaultConfidence,
                                .needs = kNeedDigit}) {}

  void FindCandidates(std::string_view text, std::vector<Span>& out) const override {
    std::size_t i = 0;
    while (i < text.size()) {
      if (!IsDigit(text[i])) {
        ++i;
        continue;
      }
      const std::size_t first_end = internal::SkipDigits(text, i);
      if (internal::NumberStartAt(text, i, ".")) {
        std::size_t pos = i;
        bool ok = true;
        for (int part = 0; ok && part < kIpv4Parts; ++part) {
          const std::size_t end = internal::SkipDigits(text, pos);
          ok = end > pos && end - pos <= kMaxOctetDigits;
          pos = end;
          if (ok && part + 1 < kIpv4Parts) {
            ok = pos + 1 < text.size() && text[pos] == '.';
            ++pos;
          }
        }
        if (ok && internal::NumberEndAt(text, pos, ".")) {
          out.push_back({i, pos});
        }
      }
      i = first_end;
    }
  }

  Validity Validate(std::string_view candidate) const override {
    return Ipv4Valid(candidate) ? Validity::kValid : Validity::kInvalid;
  }
};

class Ipv6 final : public Detector {
 public:
  Ipv6()
      : Detector(DetectorTraits{.name = "ipv6",
                                .keywords = kKeywords,
                                .keyword_window = kDefaultKeywordWindow,
                                .confidence = kDefaultConfidence,
                                .needs = kNeedColon}) {}

  void FindCandidates(std::string_view text, std::vector<Span>& out) const override {
    std::size_t i = 0;
    while (i < text.size()) {
      if (!IsIpv6Char(text[i])) {
        ++i;
        continue;
      }
      const std::size_t run_begin = i;
      std::size_t colons = 0;
      while (i < text.size() && IsIpv6Char(text[i])) {
        colons += text[i] == ':' ? 1 : 0;
        ++i;
      }
      if (colons < 2) {
        continue;
      }
      std::size_t begin = run_begin;
      std::size_t end = i;
      while (end > begin && text[end - 1] == '.') {
        --end;
      }
      if (end - begin >= 2 && text[end - 1] == ':' && text[end - 2] != ':') {
        --end;
      }
      if (end - begin >= 2 && text[begin] == ':' && text[begin + 1] != ':') {
        ++begin;  // "IP:2001:..." - the colon separates, so no boundary check on the left
      } else if (!internal::WordStartAt(text, begin)) {
        continue;
      }
      if (end > begin && internal::WordEndAt(text, end)) {
        out.push_back({begin, end});
      }
    }
  }

  Validity Validate(std::string_view candidate) const override {
    return Ipv6Valid(candidate) ? Validity::kValid : Validity::kInvalid;
  }
};

}  // namespace

bool Ipv4Valid(std::string_view address) {
  int parts = 0;
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = address.find('.', start);
    const std::string_view part = address.substr(start, dot - start);
    if (part.empty() || part.size() > kMaxOctetDigits || (part.size() > 1 && part[0] == '0')) {
      return false;
    }
    int value = 0;
    for (char c : part) {
      if (!IsDigit(c)) {
        return false;
      }
      value = value * 10 + (c - '0');
    }
    if (value > kMaxOctet || ++parts > kIpv4Parts) {
      return false;
    }
    if (dot == std::string_view::npos) {
      break;
    }
    start = dot + 1;
  }
  return parts == kIpv4Parts;
}

bool Ipv6Valid(std::string_view address) {
  const std::size_t gap = address.find("::");
  if (gap == std::string_view::npos) {
    int groups = 0;
    return CountGroups(address, true, groups) && groups == kIpv6Groups;
  }
  if (address.find("::", gap + 1) != std::string_view::npos) {
    return false;  // a second "::", or ":::"
  }
  int head = 0;
  int tail = 0;
  if (!CountGroups(address.substr(0, gap), false, head) ||
      !CountGroups(address.substr(gap + 2), true, tail)) {
    return false;
  }
  const int total = head + tail;
  return total >= 1 && total < kIpv6Groups;
}

const Detector& Ipv4Detector() {
  static const Ipv4* const detector = new Ipv4();
  return *detector;
}

const Detector& Ipv6Detector() {
  static const Ipv6* const detector = new Ipv6();
  return *detector;
}

}  // namespace custos::policy
