// SPDX-License-Identifier: Apache-2.0
#include "capture/internal/demo_attachments.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>

#include "capture/demo.h"
#include "core/text.h"
#include "crypto/crypto.h"

namespace custos::capture {
namespace {

constexpr std::string_view kPdfHeader = "%PDF-1.7\n%\xE2\xE3\xCF\xD3\n";
constexpr std::string_view kPdfTrailer = "\n%%EOF\n";
constexpr std::string_view kJpegHeader{"\xFF\xD8\xFF\xE0\x00\x10JFIF\x00\x01\x01\x00", 15};
constexpr std::string_view kJpegTrailer = "\xFF\xD9";

constexpr std::size_t kBlockBytes = 64 << 10;

// FNV-1a, to turn a seed string into generator state.
std::uint64_t Fnv1a(std::string_view s) {
  std::uint64_t h = 0xCBF29CE484222325ULL;
  for (char c : s) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001B3ULL;
  }
  return h;
}

}  // namespace

std::string DemoAttachmentContent(std::string_view seed, std::string_view mime, std::int64_t size) {
  const bool pdf = mime == "application/pdf";
  const std::string_view header = pdf ? kPdfHeader : kJpegHeader;
  const std::string_view trailer = pdf ? kPdfTrailer : kJpegTrailer;
  const auto n = static_cast<std::size_t>(size < 0 ? 0 : size);
  // One block of pseudo-random bytes, repeated: cheap to make and to hash, unique per seed.
  std::string block(std::min(n, kBlockBytes) + sizeof(std::uint64_t), '\0');
  internal::DemoRng rng(Fnv1a(seed));
  for (std::size_t at = 0; at < block.size() - sizeof(std::uint64_t); at += sizeof(std::uint64_t)) {
    const std::uint64_t word = rng.Next();
    for (std::size_t i = 0; i < sizeof word; ++i) {
      block[at + i] = static_cast<char>(word >> (8 * i));  // little-endian on every host
    }
  }
  block.resize(std::min(n, kBlockBytes));
  std::string out;
  out.reserve(n);
  while (out.size() < n) {
    out.append(block, 0, std::min(block.size(), n - out.size()));
  }
  out.resize(n);
  if (n >= header.size() + trailer.size()) {
    out.replace(0, header.size(), header);
    out.replace(n - trailer.size(), trailer.size(), trailer);
  }
  return out;
}

namespace internal {
namespace {

constexpr std::array<std::string_view, 7> kPdfNames = {
    "Term_Sheet_{company}.pdf",    "Portfolio_Review_Q3_2026.pdf",
    "Factsheet_Global_Equity.pdf", "Trade_Confirmation_{n}.pdf",
    "KYC_Checklist.pdf",           "Suitability_Report_2026.pdf",
    "Account_Opening_Form.pdf"};

constexpr std::array<std::string_view, 3> kJpegNames = {"IMG_{date}_{clock}.jpg", "signed_page.jpg",
                                                        "passport_scan.jpg"};

std::string Replace(std::string text, std::string_view slot, std::string_view value) {
  const std::size_t at = text.find(slot);
  if (at != std::string::npos) {
    text.replace(at, slot.size(), value);
  }
  return text;
}

}  // namespace

model::Attachment MakeDemoAttachment(DemoRng& rng, std::string_view source_id, core::Micros sent_at,
                                     std::string_view company) {
  model::Attachment a;
  const bool pdf = rng.Below(3) != 0;
  if (pdf) {
    a.mime = "application/pdf";
    a.name = rng.Pick(kPdfNames);
    a.size = rng.Between(48'000, 2'400'000);
  } else {
    a.mime = "image/jpeg";
    a.name = rng.Pick(kJpegNames);
    a.size = rng.Between(180'000, 4'200'000);
  }
  std::string first_word(company.substr(0, company.find(' ')));
  a.name = Replace(a.name, "{company}", first_word.empty() ? "Client" : first_word);
  a.name = Replace(a.name, "{n}", std::to_string(rng.Between(100'000, 999'999)));
  const std::string stamp = core::FormatRfc3339(sent_at);  // 2026-10-05T08:31:12Z
  a.name = Replace(a.name, "{date}", stamp.substr(0, 4) + stamp.substr(5, 2) + stamp.substr(8, 2));
  a.name =
      Replace(a.name, "{clock}", stamp.substr(11, 2) + stamp.substr(14, 2) + stamp.substr(17, 2));
  const std::string seed = std::string(source_id) + "/" + a.name;
  a.sha256 = core::HexEncode(crypto::Sha256(DemoAttachmentContent(seed, a.mime, a.size)));
  return a;
}

}  // namespace internal
}  // namespace custos::capture
