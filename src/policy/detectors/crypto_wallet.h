// SPDX-License-Identifier: Apache-2.0
// Crypto-currency wallet addresses: detectors "bitcoin_address" and "ethereum_address".
//
// bitcoin_address primary match, at word boundaries:
//   - a base58 token starting with '1' (P2PKH) or '3' (P2SH), 26-35 characters;
//   - a segwit token starting with "bc1" in either case, 14-74 characters.
// bitcoin_address validator: base58check - the token decodes to 25 bytes, version 0x00 or
// 0x05, and the last four bytes equal the first four of the double SHA-256 of the first 21
// (checksum.h); segwit - BIP-173/BIP-350 via bech32.h with the "bc" prefix. Testnet and other
// coins are not reported.
//
// ethereum_address primary match: "0x" and exactly 40 hex digits at word boundaries.
// ethereum_address validator (EIP-55): letters whose case matches the Keccak-256 checksum are
// valid; all lower or all upper case that does not match carries no checksum (plausible);
// mixed case that does not match is a mistyped or altered address (invalid).
//
// Confidence follows the default table: a checked address is medium alone and high with a
// keyword ("bitcoin", "btc", "wallet", "eth", "metamask", ...) within 300 characters; an
// Ethereum address without case checksum is low, medium with a keyword.
// Thread-safety: pure functions; the detectors are immutable.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "policy/detectors/detector.h"

namespace custos::policy {

// Decodes base58 (Bitcoin alphabet); leading '1's become leading zero bytes. nullopt on a
// character outside the alphabet or when the result would exceed `max_bytes`.
std::optional<std::vector<std::uint8_t>> Base58Decode(std::string_view text, std::size_t max_bytes);

// True for a valid mainnet P2PKH or P2SH base58check address.
bool BitcoinBase58AddressValid(std::string_view address);

// True for a valid mainnet segwit address ("bc1...").
bool BitcoinSegwitAddressValid(std::string_view address);

// Grades "0x" + 40 hex digits by EIP-55, as described above.
Validity Eip55Check(std::string_view address);

// The built-in detectors; they live for the whole program.
const Detector& BitcoinAddressDetector();

const Detector& EthereumAddressDetector();

}  // namespace custos::policy
