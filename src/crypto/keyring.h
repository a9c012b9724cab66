// SPDX-License-Identifier: Apache-2.0
// The key ring: key-encryption keys (KEKs, versioned; the highest is current) and the keyed
// index key, kept in one file created with mode 0600. Envelope encryption: each record gets a
// fresh data key, sealed under the current KEK; the record is sealed under the data key.
// Rotation adds a KEK; old versions stay so old records remain readable.
//
// File format (text, one item per line, each ending in "\n"; single spaces between fields):
//   custos-keyring 1
//   kek <version> <base64 32 bytes>      (one or more; versions are distinct positive integers)
//   index <base64 32 bytes>              (exactly one)
// The file is only ever published whole: written to a 0600 temporary file, fsynced, then linked
// (creation) or renamed (rotation) into place, and the directory fsynced. Keys are never logged
// and never appear in error messages.
//
// Envelope binding: both seals use the associated data `aad || uint32_be(key_version)`, so a
// record cannot be opened under another key version or another record's aad.
// Thread-safety: const methods are safe concurrently; Rotate() needs external exclusion.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "core/status.h"
#include "crypto/crypto.h"

namespace custos::crypto {

// A record sealed with envelope encryption.
struct Envelope {
  int key_version = 0;      // the KEK that wraps `wrapped_key`
  std::string wrapped_key;  // Seal(KEK, data key, aad)
  std::string ciphertext;   // Seal(data key, plaintext, aad)
};

class KeyRing {
 public:
  // Loads the key file at `path`, creating it (mode 0600, with fresh random keys) when absent.
  // kInvalidArgument naming the file and line when it is malformed; kPermissionDenied when
  // group or others have any access to it; kInternal on I/O failure. When another process
  // creates the file concurrently, its keys are loaded instead.
  static core::Result<KeyRing> LoadOrCreate(const std::string& path);

  // As LoadOrCreate, but kNotFound when the file does not exist.
  static core::Result<KeyRing> Load(const std::string& path);

  int CurrentVersion() const { return current_version_; }

  // The 32-byte key for keyed hashes in indexes (HMAC-SHA-256).
  const std::string& IndexKey() const { return index_key_; }

  // HMAC-SHA-256 under the index key, 32 raw bytes.
  std::string IndexHash(std::string_view data) const;

  // Seals `plaintext` under a fresh data key wrapped by the current KEK. `aad` binds the
  // record (its id and kind); the key version is bound into both seals as well.
  core::Result<Envelope> SealEnvelope(std::string_view plaintext, std::string_view aad) const;

  // kNotFound for an unknown key version; kDataLoss when a tag fails.
  core::Result<std::string> OpenEnvelope(const Envelope& envelope, std::string_view aad) const;

  // Adds KEK version CurrentVersion()+1 and rewrites the file atomically (write, fsync, rename).
  // On failure (kInternal) the ring in memory and the file both stay as they were.
  core::Status Rotate();

 private:
  // Fills this ring from file contents; kInvalidArgument "<path>:<line>: <reason>".
  core::Status Parse(std::string_view contents);

  // The file contents for this ring.
  std::string Serialize() const;

  std::string path_;
  std::map<int, std::string> keks_;
  int current_version_ = 0;
  std::string index_key_;
  std::shared_ptr<const HmacSha256Key> index_hasher_;  // keyed with index_key_
};

}  // namespace custos::crypto
