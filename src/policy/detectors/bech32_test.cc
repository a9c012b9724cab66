// SPDX-License-Identifier: Apache-2.0
#include "policy/detectors/bech32.h"

#include <gtest/gtest.h>

namespace custos::policy {
namespace {

TEST(Bech32Decode, AcceptsBip173AndBip350ChecksumVectors) {
  for (const char* s : {"A12UEL5L", "a12uel5l", "abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw",
                        "split1checkupstagehandshakeupstreamerranterredcaperred2y9e3w"}) {
    const auto decoded = Bech32Decode(s);
    ASSERT_TRUE(decoded) << s;
    EXPECT_EQ(decoded->encoding, Bech32Encoding::kBech32) << s;
  }
  for (const char* s : {"A1LQFN3A", "a1lqfn3a", "abcdef1l7aum6echk45nj3s0wdvt2fg8x9yrzpqzd3ryx"}) {
    const auto decoded = Bech32Decode(s);
    ASSERT_TRUE(decoded) << s;
    EXPECT_EQ(decoded->encoding, Bech32Encoding::kBech32m) << s;
  }
  EXPECT_EQ(Bech32Decode("abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw")->hrp, "abcdef");
}

TEST(Bech32Decode, RejectsBrokenStrings) {
  EXPECT_FALSE(Bech32Decode("pzry9x0s0muk"));   // no separator
  EXPECT_FALSE(Bech32Decode("1pzry9x0s0muk"));  // empty prefix
  EXPECT_FALSE(Bech32Decode("x1b4n0q5v"));      // 'b' is not in the alphabet
  EXPECT_FALSE(Bech32Decode("li1dgmt3"));       // checksum too short
  EXPECT_FALSE(Bech32Decode("A1G7SGD8"));       // checksum computed over the uppercase prefix
  EXPECT_FALSE(Bech32Decode("a12UEL5L"));       // mixed case
  EXPECT_FALSE(Bech32Decode("a12uel5m"));       // one character changed
  EXPECT_FALSE(
      Bech32Decode("an84characterslonghumanreadablepartthatcontainsthenumber1andthe"
                   "excludedcharactersbio1569pvx"));  // longer than 90
}

TEST(SegwitDecode, DecodesMainnetAddressesOfEveryKind) {
  const auto p2wpkh = SegwitDecode("bc", "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4");
  ASSERT_TRUE(p2wpkh);
  EXPECT_EQ(p2wpkh->version, 0);
  EXPECT_EQ(p2wpkh->program.size(), 20u);
  EXPECT_EQ(p2wpkh->program[0], 0x75);
  EXPECT_TRUE(SegwitDecode("bc", "BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4"));
  const auto p2wsh =
      SegwitDecode("bc", "bc1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3qccfmv3");
  ASSERT_TRUE(p2wsh);
  EXPECT_EQ(p2wsh->program.size(), 32u);
  const auto taproot =
      SegwitDecode("bc", "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0");
  ASSERT_TRUE(taproot);
  EXPECT_EQ(taproot->version, 1);
  EXPECT_EQ(taproot->program[0], 0x79);
  const auto v16 = SegwitDecode("bc", "BC1SW50QGDZ25J");
  ASSERT_TRUE(v16);
  EXPECT_EQ(v16->version, 16);
  EXPECT_TRUE(SegwitDecode("bc", "bc1zw508d6qejxtdg4y5r3zarvaryvaxxpcs"));
}

TEST(SegwitDecode, RejectsWrongPrefixEncodingVersionAndProgram) {
  EXPECT_FALSE(SegwitDecode("bc", "tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx"));
  EXPECT_FALSE(SegwitDecode("bc", "ltc1qw508d6qejxtdg4y5r3zarvary0c5xw7kgmn4n9"));
  // Version 1 with a bech32 checksum, version 0 with a bech32m checksum.
  EXPECT_FALSE(
      SegwitDecode("bc", "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqh2y7hd"));
  EXPECT_FALSE(SegwitDecode("bc", "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kemeawh"));
  EXPECT_FALSE(SegwitDecode("bc", "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kqq7e2cw9"));  // 21 bytes
  EXPECT_FALSE(SegwitDecode("bc", "bc13w508d6qejxtdg4y5r3zarvary0c5xw7kxflzvg"));    // v17
  EXPECT_FALSE(SegwitDecode("bc", "bc1pqystr2wj"));                                  // 1 byte
  EXPECT_FALSE(SegwitDecode("bc", "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5"));
}

}  // namespace
}  // namespace custos::policy
