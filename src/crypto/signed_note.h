// SPDX-License-Identifier: Apache-2.0
// Signed notes (c2sp.org/signed-note) with Ed25519 keys, as used for tree-head checkpoints.
//
// A note is UTF-8 text ending in a newline, a blank line, then one or more signature lines:
//   "— <key name> <base64(4-byte big-endian key id || 64-byte Ed25519 signature)>\n"
// (U+2014 em dash, space). The signature covers the text including its final newline. The key
// id is the first four bytes of SHA-256(name || "\n" || 0x01 || 32-byte public key). Keys are
// shared as strings in the Go golang.org/x/mod/sumdb/note encoding:
//   verifier key  "<name>+<8 hex digits key id>+<base64(0x01 || public key)>"
//   signer key    "PRIVATE+KEY+<name>+<8 hex digits key id>+<base64(0x01 || 32-byte seed)>"
// Key names are non-empty UTF-8 without Unicode spaces or '+'.
//
// Opening a note follows the spec: signatures from unknown keys (name and id not both matching
// a verifier) are ignored; a signature from a known key that fails rejects the whole note with
// kDataLoss; a note with no verified signature is rejected with kUnauthenticated.
// Thread-safety: all types are values; const methods are safe concurrently.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace custos::crypto {

inline constexpr std::size_t kEd25519PublicKeyBytes = 32;
inline constexpr std::size_t kEd25519SeedBytes = 32;
inline constexpr std::size_t kEd25519SignatureBytes = 64;

// SHA-256(name || "\n" || 0x01 || public_key)[:4] as a big-endian integer.
std::uint32_t NoteKeyId(std::string_view name, std::string_view public_key);

// True when `name` is a valid key name.
bool IsValidNoteKeyName(std::string_view name);

// An Ed25519 private key with its name. Holds secret material: never log KeyString().
class NoteSigner {
 public:
  // A fresh key from the CSPRNG. kInvalidArgument for an invalid name.
  static core::Result<NoteSigner> Generate(std::string name);

  // The key whose RFC 8032 private seed is `seed` (32 bytes).
  static core::Result<NoteSigner> FromSeed(std::string name, std::string_view seed);

  // Parses a signer key string; kInvalidArgument when malformed or when its key id does not
  // match the key.
  static core::Result<NoteSigner> FromKeyString(std::string_view signer_key);

  const std::string& Name() const { return name_; }

  std::uint32_t KeyId() const { return key_id_; }

  // 32 raw bytes.
  const std::string& PublicKey() const { return public_key_; }

  // The signer key string (secret).
  std::string KeyString() const;

  // The verifier key string for this key (public).
  std::string VerifierKey() const;

  // The 64-byte Ed25519 signature of `message`; kInternal if OpenSSL fails.
  core::Result<std::string> Sign(std::string_view message) const;

 private:
  std::string name_;
  std::string seed_;
  std::string public_key_;
  std::uint32_t key_id_ = 0;
};

// An Ed25519 public key with its name.
class NoteVerifier {
 public:
  // Parses a verifier key string; kInvalidArgument when malformed, of an algorithm other than
  // Ed25519, or when its key id does not match the key.
  static core::Result<NoteVerifier> FromVerifierKey(std::string_view verifier_key);

  const std::string& Name() const { return name_; }

  std::uint32_t KeyId() const { return key_id_; }

  const std::string& PublicKey() const { return public_key_; }

  std::string VerifierKey() const;

  // True when `signature` is a valid Ed25519 signature of `message` under this key.
  bool Verify(std::string_view message, std::string_view signature) const;

 private:
  std::string name_;
  std::string public_key_;
  std::uint32_t key_id_ = 0;
};

// One signature line.
struct NoteSignature {
  std::string name;
  std::uint32_t key_id = 0;
  std::string signature;  // raw bytes after the key id
};

struct Note {
  std::string text;                       // includes the final newline
  std::vector<NoteSignature> signatures;  // in note order
};

// Splits a note into text and signature lines and checks its syntax (UTF-8, no control
// characters but newline, text ending in newline, well-formed signature lines, at most 100 of
// them). Does not verify anything. kInvalidArgument with the reason when malformed.
core::Result<Note> ParseNote(std::string_view note);

// `text` followed by a blank line and one signature line per signer, in order.
// kInvalidArgument when `text` is empty, does not end in a newline, is not valid UTF-8 or
// holds control characters other than newline.
core::Result<std::string> SignNote(std::string_view text, std::span<const NoteSigner> signers);

// A note whose text was verified by at least one trusted key.
struct VerifiedNote {
  std::string text;
  std::vector<NoteSignature> verified;    // signatures by `verifiers`
  std::vector<NoteSignature> unverified;  // signatures by unknown keys, ignored
};

// Parses `note` and verifies it against `verifiers`. kInvalidArgument when malformed,
// kDataLoss when a signature by a known key does not verify (altered text or signature),
// kUnauthenticated when no known key signed it.
core::Result<VerifiedNote> OpenNote(std::string_view note, std::span<const NoteVerifier> verifiers);

}  // namespace custos::crypto
