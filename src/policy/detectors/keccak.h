// SPDX-License-Identifier: Apache-2.0
// Keccak-256 as Ethereum uses it (the original Keccak submission padding, 0x01), needed for
// EIP-55 address checksums. OpenSSL 3.0 in Debian bookworm only offers SHA3-256, which runs the
// same Keccak-f[1600] permutation with the FIPS 202 padding (0x06) and so gives other digests.
// This is a small, portable implementation for checksums over short inputs, not a general
// cryptographic API: it is not constant-time and is not meant for secrets.
// Thread-safety: pure functions.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace custos::policy {

using Digest256 = std::array<std::uint8_t, 32>;

// The padding byte that separates the two standards on the same sponge.
enum class KeccakPadding : std::uint8_t {
  kKeccak = 0x01,  // Ethereum's Keccak-256
  kSha3 = 0x06,    // FIPS 202 SHA3-256
};

// The 256-bit sponge (rate 136 bytes) over `data` with the given padding.
Digest256 KeccakSponge256(std::string_view data, KeccakPadding padding);

// Ethereum Keccak-256 of `data`.
inline Digest256 Keccak256(std::string_view data) {
  return KeccakSponge256(data, KeccakPadding::kKeccak);
}

}  // namespace custos::policy
