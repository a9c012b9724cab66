// SPDX-License-Identifier: Apache-2.0
#include "policy/detectors/crypto_wallet.h"

#include <algorithm>
#include <array>
#include <string>

#include "policy/detectors/bech32.h"
#include "policy/detectors/checksum.h"
#include "policy/detectors/internal/text_scan.h"
#include "policy/detectors/keccak.h"

namespace custos::policy {
namespace {

using internal::IsAlnum;
using internal::IsHexDigit;

constexpr std::string_view kBase58Alphabet =
    "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
constexpr std::size_t kBase58Min = 26;
constexpr std::size_t kBase58Max = 35;
constexpr std::size_t kBase58CheckBytes = 25;  // version + 20-byte hash + 4-byte checksum
constexpr std::size_t kChecksumBytes = 4;
constexpr std::uint8_t kP2pkhVersion = 0x00;
constexpr std::uint8_t kP2shVersion = 0x05;
constexpr std::size_t kSegwitMin = 14;
constexpr std::size_t kSegwitMax = 74;
constexpr std::size_t kEthHexDigits = 40;
constexpr std::size_t kEthLength = kEthHexDigits + 2;

constexpr std::array<std::string_view, 11> kBitcoinKeywords = {
    "bitcoin", "btc",    "wallet",  "address", "crypto", "satoshi",
    "sats",    "segwit", "taproot", "send",    "receive"};

constexpr std::array<std::string_view, 12> kEthereumKeywords = {
    "ethereum", "eth",    "ether", "wallet", "address", "metamask",
    "erc20",    "erc-20", "usdt",  "usdc",   "crypto",  "send"};

bool StartsWithBc1(std::string_view s) {
  return s.size() >= 3 && internal::ToLower(s[0]) == 'b' && internal::ToLower(s[1]) == 'c' &&
         s[2] == '1';
}

class BitcoinAddress final : public Detector {
 public:
  BitcoinAddress()
      : Detector(DetectorTraits{.name = "bitcoin_address",
                                .keywords = kBitcoinKeywords,
                                .keyword_window = kDefaultKeywordWindow,
                                .confidence = kDefaultConfidence,
                                .needs = kNeedDigit}) {}

  void FindCandidates(std::string_view text, std::vector<Span>& out) const override {
    std::size_t i = 0;
    while (i < text.size()) {
      if (!IsAlnum(text[i])) {
        ++i;
        continue;
      }
      std::size_t end = i;
      while (end < text.size() && IsAlnum(text[end])) {
        ++end;
      }
      const std::size_t length = end - i;
      if (internal::WordStartAt(text, i) && internal::WordEndAt(text, end)) {
        const std::string_view token = text.substr(i, length);
        const bool base58 =
            (token[0] == '1' || token[0] == '3') && length >= kBase58Min && length <= kBase58Max;
        const bool segwit = StartsWithBc1(token) && length >= kSegwitMin && length <= kSegwitMax;
        if (base58 || segwit) {
          out.push_back({i, end});
        }
      }
      i = end;
    }
  }

  Validity Validate(std::string_view candidate) const override {
    const bool ok = StartsWithBc1(candidate) ? BitcoinSegwitAddressValid(candidate)
                                             : BitcoinBase58AddressValid(candidate);
    return ok ? Validity::kValid : Validity::kInvalid;
  }
};

class EthereumAddress final : public Detector {
 public:
  EthereumAddress()
      : Detector(DetectorTraits{.name = "ethereum_address",
                                .keywords = kEthereumKeywords,
                                .keyword_window = kDefaultKeywordWindow,
                                .confidence = kDefaultConfidence,
                                .needs = kNeedDigit}) {}

  void FindCandidates(std::string_view text, std::vector<Span>& out) const override {
    for (std::size_t i = text.find("0x"); i != std::string_view::npos; i = text.find("0x", i + 1)) {
      if (!internal::WordStartAt(text, i) || i + kEthLength > text.size() ||
          !internal::WordEndAt(text, i + kEthLength)) {
        continue;
      }
      const std::string_view hex = text.substr(i + 2, kEthHexDigits);
      if (std::all_of(hex.begin(), hex.end(), [](char c) { return IsHexDigit(c); })) {
        out.push_back({i, i + kEthLength});
      }
    }
  }

  Validity Validate(std::string_view candidate) const override { return Eip55Check(candidate); }
};

}  // namespace

std::optional<std::vector<std::uint8_t>> Base58Decode(std::string_view text,
                                                      std::size_t max_bytes) {
  std::size_t zeros = 0;
  while (zeros < text.size() && text[zeros] == '1') {
    ++zeros;
  }
  std::vector<std::uint8_t> bytes;  // big-endian, without the leading zero bytes
  for (std::size_t i = zeros; i < text.size(); ++i) {
    const std::size_t value = kBase58Alphabet.find(text[i]);
    if (value == std::string_view::npos) {
      return std::nullopt;
    }
    std::uint32_t carry = static_cast<std::uint32_t>(value);
    for (auto it = bytes.rbegin(); it != bytes.rend(); ++it) {
      carry += 58U * *it;
      *it = static_cast<std::uint8_t>(carry & 0xff);
      carry >>= 8;
    }
    while (carry != 0) {
      bytes.insert(bytes.begin(), static_cast<std::uint8_t>(carry & 0xff));
      carry >>= 8;
    }
    if (zeros + bytes.size() > max_bytes) {
      return std::nullopt;
    }
  }
  if (zeros > max_bytes) {
    return std::nullopt;
  }
  bytes.insert(bytes.begin(), zeros, 0);
  return bytes;
}

bool BitcoinBase58AddressValid(std::string_view address) {
  if (address.size() < kBase58Min || address.size() > kBase58Max) {
    return false;
  }
  const auto bytes = Base58Decode(address, kBase58CheckBytes);
  if (!bytes || bytes->size() != kBase58CheckBytes) {
    return false;
  }
  const std::uint8_t version = (*bytes)[0];
  if (version != kP2pkhVersion && version != kP2shVersion) {
    return false;
  }
  const std::size_t payload = kBase58CheckBytes - kChecksumBytes;
  const Digest256 digest =
      DoubleSha256Digest(std::string_view(reinterpret_cast<const char*>(bytes->data()), payload));
  return std::equal(digest.begin(), digest.begin() + kChecksumBytes, bytes->begin() + payload);
}

bool BitcoinSegwitAddressValid(std::string_view address) {
  return SegwitDecode("bc", address).has_value();
}

Validity Eip55Check(std::string_view address) {
  if (address.size() != kEthLength || address[0] != '0' || address[1] != 'x') {
    return Validity::kInvalid;
  }
  const std::string_view hex = address.substr(2);
  bool lower = false;
  bool upper = false;
  std::string folded;
  folded.reserve(hex.size());
  for (char c : hex) {
    if (!IsHexDigit(c)) {
      return Validity::kInvalid;
    }
    lower = lower || internal::IsLower(c);
    upper = upper || internal::IsUpper(c);
    folded.push_back(internal::ToLower(c));
  }
  const Digest256 hash = Keccak256(folded);
  for (std::size_t i = 0; i < hex.size(); ++i) {
    if (internal::IsDigit(hex[i])) {
      continue;
    }
    const unsigned nibble = (i % 2 == 0) ? (hash[i / 2] >> 4) : (hash[i / 2] & 0x0f);
    if ((nibble >= 8) != internal::IsUpper(hex[i])) {
      // One case throughout carries no checksum; mixed case that disagrees is altered.
      return lower && upper ? Validity::kInvalid : Validity::kPlausible;
    }
  }
  return Validity::kValid;
}

const Detector& BitcoinAddressDetector() {
  static const BitcoinAddress* const detector = new BitcoinAddress();
  return *detector;
}

const Detector& EthereumAddressDetector() {
  static const EthereumAddress* const detector = new EthereumAddress();
  return *detector;
}

}  // namespace custos::policy
