// SPDX-License-Identifier: Apache-2.0
#include "policy/detectors/crypto_wallet.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace custos::policy {
namespace {

std::string OnlyMatch(const Detector& detector, std::string_view text) {
  const auto hits = detector.Scan(text);
  if (hits.size() != 1) {
    return "";
  }
  return std::string(text.substr(hits[0].begin, hits[0].end - hits[0].begin));
}

TEST(Base58Decode, KeepsLeadingZerosAndRejectsForeignCharacters) {
  const auto genesis = Base58Decode("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa", 25);
  ASSERT_TRUE(genesis);
  ASSERT_EQ(genesis->size(), 25u);
  EXPECT_EQ((*genesis)[0], 0x00);
  EXPECT_EQ((*genesis)[1], 0x62);
  EXPECT_EQ((*genesis)[24], 0x93);
  EXPECT_EQ(Base58Decode("111", 25)->size(), 3u);
  EXPECT_EQ(Base58Decode("", 25)->size(), 0u);
  EXPECT_FALSE(Base58Decode("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfN0", 25));  // '0'
  EXPECT_FALSE(Base58Decode("Il", 25));
  EXPECT_FALSE(Base58Decode("zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz", 25));  // too big
}

TEST(BitcoinBase58AddressValid, AcceptsP2pkhAndP2shAddresses) {
  EXPECT_TRUE(BitcoinBase58AddressValid("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa"));
  EXPECT_TRUE(BitcoinBase58AddressValid("1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2"));
  EXPECT_TRUE(BitcoinBase58AddressValid("1BgGZ9tcN4rm9KBzDn7KprQz87SZ26SAMH"));
  EXPECT_TRUE(BitcoinBase58AddressValid("3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy"));
  EXPECT_TRUE(BitcoinBase58AddressValid("3LRW7jeCvQCRdPF8S3yUCfRAx4eqXFmdcr"));
  EXPECT_TRUE(BitcoinBase58AddressValid("1111111111111111111114oLvT2"));
}

TEST(BitcoinBase58AddressValid, RejectsBadChecksumsOtherVersionsAndLengths) {
  EXPECT_FALSE(BitcoinBase58AddressValid("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb"));
  EXPECT_FALSE(BitcoinBase58AddressValid("1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN3"));
  EXPECT_FALSE(BitcoinBase58AddressValid("mrCDrCybB6J1vRfbwM5hemdJz73FwDBC8r"));  // testnet
  EXPECT_FALSE(BitcoinBase58AddressValid("QLbz7JHiBTspS962RLKV8GndWFwjA5K66"));   // version 1
  EXPECT_FALSE(BitcoinBase58AddressValid("1A1zP1eP5QGefi2DMPTfTL5SL"));
}

TEST(BitcoinAddressDetector, FindsBase58AndSegwitAddressesInText) {
  const Detector& d = BitcoinAddressDetector();
  EXPECT_EQ(OnlyMatch(d, "send to 1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2."),
            "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2");
  EXPECT_EQ(OnlyMatch(d, "(3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy)"),
            "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy");
  EXPECT_EQ(OnlyMatch(d, "addr:\nbc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4\n"),
            "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4");
  EXPECT_EQ(OnlyMatch(d, "BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4"),
            "BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4");
  EXPECT_EQ(OnlyMatch(d, "tr bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0 ok"),
            "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0");
}

TEST(BitcoinAddressDetector, IgnoresAlteredAddressesAndTokensInsideWords) {
  const Detector& d = BitcoinAddressDetector();
  EXPECT_TRUE(d.Scan("1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN3").empty());
  EXPECT_TRUE(d.Scan("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5").empty());
  EXPECT_TRUE(d.Scan("x1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2").empty());
  EXPECT_TRUE(d.Scan("1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2_").empty());
  EXPECT_TRUE(d.Scan("abc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4").empty());
  EXPECT_TRUE(d.Scan("tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx").empty());
  EXPECT_TRUE(d.Scan("1stPlaceWinnerAnnouncedToday2024").empty());
}

TEST(BitcoinAddressDetector, ConfidenceIsHighOnlyWithASupportingWord) {
  const Detector& d = BitcoinAddressDetector();
  const auto alone = d.Scan("1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2");
  ASSERT_EQ(alone.size(), 1u);
  EXPECT_EQ(alone[0].confidence, Confidence::kMedium);
  EXPECT_EQ(alone[0].masked_text, "******************************NVN2");
  EXPECT_EQ(d.Scan("my BTC wallet: 1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2")[0].confidence,
            Confidence::kHigh);
}

TEST(Eip55Check, GradesTheEip55TestVectors) {
  for (const char* address :
       {"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
        "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB", "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
        "0x52908400098527886E0F7030069857D2E4169EE7", "0x8617E340B3D01FA5F11F306F4090FD50E238070D",
        "0xde709f2102306220921060314715629080e2fb77",
        "0x27b1fdb04752bbc536007a920d24acb045561c26"}) {
    EXPECT_EQ(Eip55Check(address), Validity::kValid) << address;
  }
}

TEST(Eip55Check, SingleCaseIsPlausibleAndWrongMixedCaseIsInvalid) {
  EXPECT_EQ(Eip55Check("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed"), Validity::kPlausible);
  EXPECT_EQ(Eip55Check("0x5AAEB6053F3E94C9B9A09F33669435E7EF1BEAED"), Validity::kPlausible);
  EXPECT_EQ(Eip55Check("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD"), Validity::kInvalid);
  EXPECT_EQ(Eip55Check("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAe"), Validity::kInvalid);
  EXPECT_EQ(Eip55Check("0X5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"), Validity::kInvalid);
  EXPECT_EQ(Eip55Check("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeg"), Validity::kInvalid);
}

TEST(EthereumAddressDetector, FindsAddressesAndGradesThemByChecksum) {
  const Detector& d = EthereumAddressDetector();
  EXPECT_EQ(OnlyMatch(d, "pay 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed."),
            "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed");
  const auto checked = d.Scan("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed");
  ASSERT_EQ(checked.size(), 1u);
  EXPECT_EQ(checked[0].confidence, Confidence::kMedium);
  const auto with_word = d.Scan("my MetaMask: 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed");
  ASSERT_EQ(with_word.size(), 1u);
  EXPECT_EQ(with_word[0].confidence, Confidence::kHigh);
  const auto lower = d.Scan("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed");
  ASSERT_EQ(lower.size(), 1u);
  EXPECT_EQ(lower[0].confidence, Confidence::kLow);
  EXPECT_EQ(d.Scan("eth 0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed")[0].confidence,
            Confidence::kMedium);
}

TEST(EthereumAddressDetector, IgnoresAlteredAddressesAndOtherHexRuns) {
  const Detector& d = EthereumAddressDetector();
  EXPECT_TRUE(d.Scan("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD").empty());
  EXPECT_TRUE(d.Scan("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed00").empty());
  EXPECT_TRUE(d.Scan("a0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed").empty());
  EXPECT_TRUE(d.Scan("0x5aaeb6053f3e94c9b9a09f33669435e7ef1bea").empty());
  EXPECT_TRUE(d.Scan("tx 0x" + std::string(64, 'a')).empty());
}

}  // namespace
}  // namespace custos::policy
