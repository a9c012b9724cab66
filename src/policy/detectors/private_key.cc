// SPDX-License-Identifier: Apache-2.0
// PEM private key blocks (see secrets.h).
#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "policy/detectors/internal/text_scan.h"
#include "policy/detectors/secrets.h"

namespace custos::policy {
namespace {

constexpr std::string_view kBegin = "-----BEGIN ";
constexpr std::string_view kEnd = "-----END ";
constexpr std::string_view kDashes = "-----";
constexpr std::size_t kMaxLabel = 64;
constexpr std::size_t kMinCompleteBody = 16;
constexpr std::size_t kMinTruncatedBody = 32;

constexpr std::array<std::string_view, 7> kKeywords = {"private key", "key",    "ssh",        "pem",
                                                       "rsa",         "secret", "credentials"};

bool IsBase64Char(char c) { return internal::IsAlnum(c) || c == '+' || c == '/' || c == '='; }

struct Header {
  std::string_view label;
  std::size_t end;  // one past the closing dashes
};

// Parses "-----BEGIN <label>-----" at `pos` when the label names a private key.
std::optional<Header> ParseHeader(std::string_view text, std::size_t pos) {
  if (text.substr(pos, kBegin.size()) != kBegin) {
    return std::nullopt;
  }
  const std::size_t label_begin = pos + kBegin.size();
  const std::size_t label_end = text.find(kDashes, label_begin);
  if (label_end == std::string_view::npos || label_end - label_begin > kMaxLabel) {
    return std::nullopt;
  }
  const std::string_view label = text.substr(label_begin, label_end - label_begin);
  for (char c : label) {
    if (!internal::IsUpper(c) && !internal::IsDigit(c) && c != ' ' && c != '#') {
      return std::nullopt;
    }
  }
  if (!label.ends_with("PRIVATE KEY") && label != "PGP PRIVATE KEY BLOCK") {
    return std::nullopt;
  }
  return Header{label, label_end + kDashes.size()};
}

std::string Footer(std::string_view label) {
  return std::string(kEnd) + std::string(label) + std::string(kDashes);
}

std::size_t CountBase64(std::string_view s) {
  std::size_t n = 0;
  for (char c : s) {
    n += IsBase64Char(c) ? 1 : 0;
  }
  return n;
}

// End of the key material after a header with no END line: whitespace-separated base64
// chunks of PEM line length, then at most one shorter chunk that closes a line; a blank line
// or any other word ends it ("...QQQ\n\nsorry, the rest did not paste").
std::size_t TruncatedBodyEnd(std::string_view text, std::size_t pos) {
  std::size_t end = pos;
  while (true) {
    int newlines = 0;
    while (pos < text.size() && internal::IsSpace(text[pos])) {
      newlines += text[pos] == '\n' ? 1 : 0;
      ++pos;
    }
    std::size_t chunk_end = pos;
    while (chunk_end < text.size() && IsBase64Char(text[chunk_end])) {
      ++chunk_end;
    }
    const bool whole_chunk = chunk_end >= text.size() || internal::IsSpace(text[chunk_end]);
    if (newlines >= 2 || chunk_end == pos || !whole_chunk) {
      return end;
    }
    if (chunk_end - pos < kMinCompleteBody) {
      const bool closes_line =
          chunk_end >= text.size() || text[chunk_end] == '\n' || text[chunk_end] == '\r';
      return closes_line ? chunk_end : end;
    }
    end = chunk_end;
    pos = chunk_end;
  }
}

class PrivateKey final : public Detector {
 public:
  PrivateKey()
      : Detector(DetectorTraits{.name = "private_key",
                                .keywords = kKeywords,
                                .keyword_window = kDefaultKeywordWindow,
                                .confidence = kSecretConfidence,
                                .needs = kNeedDash}) {}

  void FindCandidates(std::string_view text, std::vector<Span>& out) const override {
    for (std::size_t pos = text.find(kBegin); pos != std::string_view::npos;
         pos = text.find(kBegin, pos + 1)) {
      const std::optional<Header> header = ParseHeader(text, pos);
      if (!header) {
        continue;
      }
      const std::string footer = Footer(header->label);
      const std::size_t footer_at = text.find(footer, header->end);
      const std::size_t next_begin = text.find(kBegin, header->end);
      if (footer_at != std::string_view::npos && footer_at < next_begin) {
        out.push_back({pos, footer_at + footer.size()});
        continue;
      }
      out.push_back({pos, TruncatedBodyEnd(text, header->end)});
    }
  }

  Validity Validate(std::string_view candidate) const override {
    const std::optional<Header> header = ParseHeader(candidate, 0);
    if (!header) {
      return Validity::kInvalid;
    }
    const std::string footer = Footer(header->label);
    if (candidate.size() >= header->end + footer.size() && candidate.ends_with(footer)) {
      const std::string_view body =
          candidate.substr(header->end, candidate.size() - footer.size() - header->end);
      return CountBase64(body) >= kMinCompleteBody ? Validity::kValid : Validity::kInvalid;
    }
    const std::string_view body = candidate.substr(header->end);
    for (char c : body) {
      if (!IsBase64Char(c) && !internal::IsSpace(c)) {
        return Validity::kInvalid;
      }
    }
    return CountBase64(body) >= kMinTruncatedBody ? Validity::kPlausible : Validity::kInvalid;
  }

  // "-----BEGIN RSA PRIVATE KEY-----\n[1624 characters masked]\n-----END RSA PRIVATE KEY-----"
  std::string Mask(std::string_view candidate) const override {
    const std::optional<Header> header = ParseHeader(candidate, 0);
    if (!header) {
      return MaskAllButLast(candidate, 0);
    }
    const std::string footer = Footer(header->label);
    const bool complete =
        candidate.size() >= header->end + footer.size() && candidate.ends_with(footer);
    const std::size_t body_end = complete ? candidate.size() - footer.size() : candidate.size();
    std::size_t hidden = 0;
    for (char c : candidate.substr(header->end, body_end - header->end)) {
      hidden += internal::IsSpace(c) ? 0 : 1;
    }
    std::string out(candidate.substr(0, header->end));
    out += "\n[" + std::to_string(hidden) + " characters masked]";
    if (complete) {
      out += "\n" + footer;
    }
    return out;
  }
};

}  // namespace

const Detector& PrivateKeyDetector() {
  static const PrivateKey* const detector = new PrivateKey();
  return *detector;
}

}  // namespace custos::policy
