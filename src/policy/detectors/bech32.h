// SPDX-License-Identifier: Apache-2.0
// Bech32 (BIP-173) and Bech32m (BIP-350) strings, and segwit addresses built on them.
// Used by the "bitcoin_address" detector (crypto_wallet.h) to validate "bc1..." addresses.
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace custos::policy {

enum class Bech32Encoding { kBech32, kBech32m };

struct Bech32String {
  std::string hrp;                 // lowercase human-readable part
  std::vector<std::uint8_t> data;  // 5-bit values, checksum removed
  Bech32Encoding encoding = Bech32Encoding::kBech32;
};

// Decodes `s` when it is a well-formed bech32 or bech32m string: at most 90 characters, all
// lower or all upper case, printable ASCII, a non-empty prefix before the last '1', at least
// six data characters from the bech32 alphabet and a checksum that matches either constant.
std::optional<Bech32String> Bech32Decode(std::string_view s);

struct SegwitProgram {
  int version = 0;                    // witness version 0-16
  std::vector<std::uint8_t> program;  // 2-40 bytes
};

// Decodes a segwit address for the human-readable part `hrp` ("bc" for Bitcoin mainnet):
// version 0 must use bech32 with a 20- or 32-byte program, versions 1-16 must use bech32m;
// the 5-to-8-bit conversion must leave only zero padding. nullopt otherwise.
std::optional<SegwitProgram> SegwitDecode(std::string_view hrp, std::string_view address);

}  // namespace custos::policy
