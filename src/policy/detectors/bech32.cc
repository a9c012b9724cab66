// SPDX-License-Identifier: Apache-2.0
#include "policy/detectors/bech32.h"

#include <array>

#include "policy/detectors/internal/text_scan.h"

namespace custos::policy {
namespace {

constexpr std::size_t kMaxLength = 90;
constexpr std::size_t kChecksumLength = 6;
constexpr std::uint32_t kBech32Constant = 1;
constexpr std::uint32_t kBech32mConstant = 0x2bc830a3;
constexpr int kMaxWitnessVersion = 16;
constexpr std::size_t kMinProgram = 2;
constexpr std::size_t kMaxProgram = 40;
constexpr std::size_t kP2wpkhProgram = 20;
constexpr std::size_t kP2wshProgram = 32;
constexpr std::string_view kCharset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
constexpr std::array<std::uint32_t, 5> kGenerator = {0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd,
                                                     0x2a1462b3};

std::uint32_t PolymodStep(std::uint32_t chk, std::uint8_t value) {
  const std::uint32_t top = chk >> 25;
  chk = ((chk & 0x1ffffff) << 5) ^ value;
  for (std::size_t i = 0; i < kGenerator.size(); ++i) {
    if (((top >> i) & 1) != 0) {
      chk ^= kGenerator[i];
    }
  }
  return chk;
}

// Regroups 5-bit values into bytes; fails on leftover bits that are not zero padding.
std::optional<std::vector<std::uint8_t>> FiveToEight(const std::vector<std::uint8_t>& in,
                                                     std::size_t from) {
  std::vector<std::uint8_t> out;
  std::uint32_t acc = 0;
  unsigned bits = 0;
  for (std::size_t i = from; i < in.size(); ++i) {
    acc = (acc << 5) | in[i];
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<std::uint8_t>((acc >> bits) & 0xff));
    }
  }
  if (bits >= 5 || ((acc << (8 - bits)) & 0xff) != 0) {
    return std::nullopt;
  }
  return out;
}

}  // namespace

std::optional<Bech32String> Bech32Decode(std::string_view s) {
  if (s.size() > kMaxLength) {
    return std::nullopt;
  }
  bool lower = false;
  bool upper = false;
  for (char c : s) {
    if (c < 33 || c > 126) {
      return std::nullopt;
    }
    lower = lower || internal::IsLower(c);
    upper = upper || internal::IsUpper(c);
  }
  if (lower && upper) {
    return std::nullopt;
  }
  const std::size_t sep = s.rfind('1');
  if (sep == std::string_view::npos || sep == 0 || sep + 1 + kChecksumLength > s.size()) {
    return std::nullopt;
  }
  Bech32String out;
  for (std::size_t i = 0; i < sep; ++i) {
    out.hrp.push_back(internal::ToLower(s[i]));
  }
  std::uint32_t chk = 1;
  for (char c : out.hrp) {
    chk = PolymodStep(chk, static_cast<std::uint8_t>(static_cast<unsigned char>(c) >> 5));
  }
  chk = PolymodStep(chk, 0);
  for (char c : out.hrp) {
    chk = PolymodStep(chk, static_cast<std::uint8_t>(static_cast<unsigned char>(c) & 31));
  }
  for (std::size_t i = sep + 1; i < s.size(); ++i) {
    const std::size_t value = kCharset.find(internal::ToLower(s[i]));
    if (value == std::string_view::npos) {
      return std::nullopt;
    }
    out.data.push_back(static_cast<std::uint8_t>(value));
    chk = PolymodStep(chk, out.data.back());
  }
  if (chk == kBech32Constant) {
    out.encoding = Bech32Encoding::kBech32;
  } else if (chk == kBech32mConstant) {
    out.encoding = Bech32Encoding::kBech32m;
  } else {
    return std::nullopt;
  }
  out.data.resize(out.data.size() - kChecksumLength);
  return out;
}

std::optional<SegwitProgram> SegwitDecode(std::string_view hrp, std::string_view address) {
  const std::optional<Bech32String> decoded = Bech32Decode(address);
  if (!decoded || decoded->hrp != hrp || decoded->data.empty()) {
    return std::nullopt;
  }
  const int version = decoded->data[0];
  if (version > kMaxWitnessVersion) {
    return std::nullopt;
  }
  const Bech32Encoding wanted = version == 0 ? Bech32Encoding::kBech32 : Bech32Encoding::kBech32m;
  if (decoded->encoding != wanted) {
    return std::nullopt;
  }
  std::optional<std::vector<std::uint8_t>> program = FiveToEight(decoded->data, 1);
  if (!program || program->size() < kMinProgram || program->size() > kMaxProgram) {
    return std::nullopt;
  }
  if (version == 0 && program->size() != kP2wpkhProgram && program->size() != kP2wshProgram) {
    return std::nullopt;
  }
  return SegwitProgram{version, std::move(*program)};
}

}  // namespace custos::policy
