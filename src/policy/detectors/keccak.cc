// SPDX-License-Identifier: Apache-2.0
#include "policy/detectors/keccak.h"

#include <cstddef>

namespace custos::policy {
namespace {

constexpr std::size_t kLanes = 25;
constexpr std::size_t kRounds = 24;
constexpr std::size_t kRateBytes = 136;  // 1600 - 2 * 256 bits
constexpr std::size_t kLaneBytes = 8;

constexpr std::array<std::uint64_t, kRounds> kRoundConstants = {
    0x0000000000000001ULL, 0x0000000000008082ULL, 0x800000000000808AULL, 0x8000000080008000ULL,
    0x000000000000808BULL, 0x0000000080000001ULL, 0x8000000080008081ULL, 0x8000000000008009ULL,
    0x000000000000008AULL, 0x0000000000000088ULL, 0x0000000080008009ULL, 0x000000008000000AULL,
    0x000000008000808BULL, 0x800000000000008BULL, 0x8000000000008089ULL, 0x8000000000008003ULL,
    0x8000000000008002ULL, 0x8000000000000080ULL, 0x000000000000800AULL, 0x800000008000000AULL,
    0x8000000080008081ULL, 0x8000000000008080ULL, 0x0000000080000001ULL, 0x8000000080008008ULL,
};

// Rotation offsets r[x + 5y] of the rho step.
constexpr std::array<unsigned, kLanes> kRotations = {
    0, 1, 62, 28, 27, 36, 44, 6, 55, 20, 3, 10, 43, 25, 39, 41, 45, 15, 21, 8, 18, 2, 61, 56, 14,
};

constexpr std::uint64_t Rotl(std::uint64_t v, unsigned n) {
  return n == 0 ? v : (v << n) | (v >> (64 - n));
}

// Keccak-f[1600] on the state a[x + 5y].
void Permute(std::array<std::uint64_t, kLanes>& a) {
  for (std::size_t round = 0; round < kRounds; ++round) {
    // theta
    std::array<std::uint64_t, 5> c{};
    for (std::size_t x = 0; x < 5; ++x) {
      c[x] = a[x] ^ a[x + 5] ^ a[x + 10] ^ a[x + 15] ^ a[x + 20];
    }
    for (std::size_t x = 0; x < 5; ++x) {
      const std::uint64_t d = c[(x + 4) % 5] ^ Rotl(c[(x + 1) % 5], 1);
      for (std::size_t y = 0; y < 5; ++y) {
        a[x + 5 * y] ^= d;
      }
    }
    // rho and pi: B[y, 2x + 3y] = rot(A[x, y], r[x, y])
    std::array<std::uint64_t, kLanes> b{};
    for (std::size_t x = 0; x < 5; ++x) {
      for (std::size_t y = 0; y < 5; ++y) {
        b[y + 5 * ((2 * x + 3 * y) % 5)] = Rotl(a[x + 5 * y], kRotations[x + 5 * y]);
      }
    }
    // chi
    for (std::size_t x = 0; x < 5; ++x) {
      for (std::size_t y = 0; y < 5; ++y) {
        a[x + 5 * y] = b[x + 5 * y] ^ (~b[(x + 1) % 5 + 5 * y] & b[(x + 2) % 5 + 5 * y]);
      }
    }
    // iota
    a[0] ^= kRoundConstants[round];
  }
}

// XORs one full block of kRateBytes into the state, little-endian per lane.
void AbsorbBlock(std::array<std::uint64_t, kLanes>& state, const std::uint8_t* block) {
  for (std::size_t lane = 0; lane < kRateBytes / kLaneBytes; ++lane) {
    std::uint64_t v = 0;
    for (std::size_t k = 0; k < kLaneBytes; ++k) {
      v |= static_cast<std::uint64_t>(block[lane * kLaneBytes + k]) << (8 * k);
    }
    state[lane] ^= v;
  }
}

}  // namespace

Digest256 KeccakSponge256(std::string_view data, KeccakPadding padding) {
  std::array<std::uint64_t, kLanes> state{};
  std::array<std::uint8_t, kRateBytes> block{};
  std::size_t offset = 0;
  while (data.size() - offset >= kRateBytes) {
    for (std::size_t k = 0; k < kRateBytes; ++k) {
      block[k] = static_cast<std::uint8_t>(data[offset + k]);
    }
    AbsorbBlock(state, block.data());
    Permute(state);
    offset += kRateBytes;
  }
  // Last, partial block with pad10*1 and the domain bits.
  block.fill(0);
  const std::size_t rest = data.size() - offset;
  for (std::size_t k = 0; k < rest; ++k) {
    block[k] = static_cast<std::uint8_t>(data[offset + k]);
  }
  block[rest] ^= static_cast<std::uint8_t>(padding);
  block[kRateBytes - 1] ^= 0x80;
  AbsorbBlock(state, block.data());
  Permute(state);

  Digest256 out{};
  for (std::size_t k = 0; k < out.size(); ++k) {
    out[k] = static_cast<std::uint8_t>(state[k / kLaneBytes] >> (8 * (k % kLaneBytes)));
  }
  return out;
}

}  // namespace custos::policy
