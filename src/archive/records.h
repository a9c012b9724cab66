// SPDX-License-Identifier: Apache-2.0
// Records: every entry of the archive (docs/formats/records.md) is a row of `records` whose
// sealed payload is its canonical bytes, and leaf `id - 1` of the Merkle log.
//
// RecordAppender assigns ids within one write transaction (one per transaction: it reads the
// next id once). Thread-safety: belongs to the transaction's thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "archive/canonical.h"
#include "core/status.h"
#include "core/time.h"
#include "crypto/keyring.h"
#include "storage/database.h"

namespace custos::archive {

class RecordAppender {
 public:
  // kInternal (from storage) when the next id cannot be read.
  static core::Result<RecordAppender> Begin(storage::Transaction& tx, const crypto::KeyRing& keys);

  // The id the next Append will use.
  std::int64_t NextId() const { return next_id_; }

  // Encodes {at, body, id, kind, v} canonically, seals it, stores the row and appends its leaf
  // hash to the log. Returns the record id.
  core::Result<std::int64_t> Append(std::string_view kind, core::Micros at,
                                    CanonicalValue::Object body);

 private:
  RecordAppender(storage::Transaction& tx, const crypto::KeyRing& keys, std::int64_t next_id)
      : tx_(&tx), keys_(&keys), next_id_(next_id) {}

  storage::Transaction* tx_;
  const crypto::KeyRing* keys_;
  std::int64_t next_id_;
};

struct RecordInfo {
  std::int64_t id = 0;
  std::string kind;
  core::Micros created_at = 0;
  std::string leaf_hash;  // 32 raw bytes
  bool disposed = false;
};

// The record's metadata; nullopt when there is no such record.
core::Result<std::optional<RecordInfo>> GetRecordInfo(storage::Transaction& tx, std::int64_t id);

// The record's canonical bytes, decrypted. kNotFound when there is no such record;
// kFailedPrecondition when it was disposed of (crypto-shredded); kDataLoss when a tag fails.
core::Result<std::string> ReadCanonical(storage::Transaction& tx, const crypto::KeyRing& keys,
                                        std::int64_t id);

// The associated data a record's payload is sealed with.
std::string RecordPayloadAad(std::int64_t record_id);

}  // namespace custos::archive
