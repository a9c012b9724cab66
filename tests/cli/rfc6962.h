// SPDX-License-Identifier: Apache-2.0
// An independent checker for what custos publishes, for end-to-end tests: RFC 6962 / RFC 9162
// Merkle hashing and proof verification, and C2SP signed-note checkpoints with Ed25519 keys in
// Go's sumdb/note format, written from the specifications over OpenSSL directly. It shares no
// code with custos (src/crypto), so a custos bug cannot hide itself by agreeing with itself.
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace custos::testing::rfc6962 {

std::string Sha256(std::string_view data);        // 32 raw bytes
std::string LeafHash(std::string_view leaf);      // SHA-256(0x00 || leaf)
std::string Hex(std::string_view bytes);          // lower-case
std::string Unhex(std::string_view hex);          // "" when malformed
std::string Base64Decode(std::string_view text);  // "" when malformed

// RFC 9162 §2.1.3.2: `proof` leads from leaf `index` with `leaf_hash` to `root` in a tree of
// `size` leaves, with no hash to spare.
bool VerifyInclusion(std::uint64_t index, std::uint64_t size, const std::string& leaf_hash,
                     const std::vector<std::string>& proof, const std::string& root);

// RFC 9162 §2.1.4.2: the tree of `size2` leaves with `root2` extends the one of `size1`.
bool VerifyConsistency(std::uint64_t size1, std::uint64_t size2,
                       const std::vector<std::string>& proof, const std::string& root1,
                       const std::string& root2);

struct Checkpoint {
  std::string origin;
  std::uint64_t size = 0;
  std::string root;  // 32 raw bytes
};

// Opens a signed checkpoint note with a verifier key "<name>+<hex key id>+<base64(0x01||key)>":
// a signature line by that name and key id must carry a valid Ed25519 signature over the body,
// and the origin must be the key's name. nullopt otherwise.
std::optional<Checkpoint> OpenCheckpoint(std::string_view note, std::string_view verifier_key);

}  // namespace custos::testing::rfc6962
