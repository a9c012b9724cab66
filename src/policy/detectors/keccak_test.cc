// SPDX-License-Identifier: Apache-2.0
#include "policy/detectors/keccak.h"

#include <string>

#include <gtest/gtest.h>

#include "core/text.h"
#include "policy/detectors/checksum.h"

namespace custos::policy {
namespace {

std::string Hex(const Digest256& digest) {
  return core::HexEncode(
      std::string_view(reinterpret_cast<const char*>(digest.data()), digest.size()));
}

TEST(Keccak256, MatchesEthereumTestVectors) {
  EXPECT_EQ(Hex(Keccak256("")), "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
  EXPECT_EQ(Hex(Keccak256("abc")),
            "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45");
  EXPECT_EQ(Hex(Keccak256("The quick brown fox jumps over the lazy dog")),
            "4d741b6f1eb29cb2a9b9911c82f56fa8d73b04959d3d9d222895df6c0b28aa15");
}

// The same permutation with FIPS 202 padding must give SHA3-256; the lengths around the
// 136-byte rate exercise multi-block absorption and padding in the last byte of a block.
TEST(KeccakSponge256, WithSha3PaddingMatchesFips202) {
  EXPECT_EQ(Hex(KeccakSponge256("", KeccakPadding::kSha3)),
            "a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a");
  EXPECT_EQ(Hex(KeccakSponge256("abc", KeccakPadding::kSha3)),
            "3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532");
  EXPECT_EQ(Hex(KeccakSponge256(std::string(135, 'a'), KeccakPadding::kSha3)),
            "8094bb53c44cfb1e67b7c30447f9a1c33696d2463ecc1d9c92538913392843c9");
  EXPECT_EQ(Hex(KeccakSponge256(std::string(136, 'a'), KeccakPadding::kSha3)),
            "3fc5559f14db8e453a0a3091edbd2bc25e11528d81c66fa570a4efdcc2695ee1");
  EXPECT_EQ(Hex(KeccakSponge256(std::string(137, 'a'), KeccakPadding::kSha3)),
            "f8d6846cedd2ccfadf15c5879ef95af724d799eed7391fb1c91f95344e738614");
  EXPECT_EQ(Hex(KeccakSponge256(std::string(300, 'a'), KeccakPadding::kSha3)),
            "8a5720b2ca0cae7b89ad399c5daab22c29f5c72bcf30ab81e807d9bda95b4580");
}

TEST(Sha256Digest, MatchesFips180Vectors) {
  EXPECT_EQ(Hex(Sha256Digest("")),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Hex(Sha256Digest("abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Hex(DoubleSha256Digest("hello")),
            "9595c9df90075148eb06860365df33584b75bff782a510c6cd4883a419833d50");
}

}  // namespace
}  // namespace custos::policy
