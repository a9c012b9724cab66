// SPDX-License-Identifier: Apache-2.0
#include "archive/records.h"

#include "archive/merkle_log.h"
#include "crypto/merkle.h"

namespace custos::archive {

std::string RecordPayloadAad(std::int64_t record_id) {
  return "custos/record/" + std::to_string(record_id);
}

core::Result<RecordAppender> RecordAppender::Begin(storage::Transaction& tx,
                                                   const crypto::KeyRing& keys) {
  ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT COALESCE(MAX(id), 0) FROM records"));
  return RecordAppender(tx, keys, rows[0].Int(0) + 1);
}

core::Result<std::int64_t> RecordAppender::Append(std::string_view kind, core::Micros at,
                                                  CanonicalValue::Object body) {
  const std::int64_t id = next_id_;
  const std::string bytes = EncodeRecord(id, kind, at, std::move(body));
  const std::string leaf = crypto::LeafHash(bytes);
  ASSIGN_OR_RETURN(crypto::Envelope env, keys_->SealEnvelope(bytes, RecordPayloadAad(id)));
  RETURN_IF_ERROR(tx_->Execute(
      "INSERT INTO records (id, kind, created_at, leaf_hash, key_version, wrapped_key, payload)"
      " VALUES (?, ?, ?, ?, ?, ?, ?)",
      {id, std::string(kind), at, storage::Blob{leaf}, std::int64_t{env.key_version},
       storage::Blob{env.wrapped_key}, storage::Blob{env.ciphertext}}));
  RETURN_IF_ERROR(LogAppend(*tx_, static_cast<std::uint64_t>(id - 1), leaf));
  ++next_id_;
  return id;
}

core::Result<std::optional<RecordInfo>> GetRecordInfo(storage::Transaction& tx, std::int64_t id) {
  ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT id, kind, created_at, leaf_hash, payload IS NULL"
                                       " FROM records WHERE id = ?",
                                       {id}));
  if (rows.empty()) {
    return std::optional<RecordInfo>();
  }
  const storage::Row& r = rows[0];
  return std::optional<RecordInfo>(
      RecordInfo{r.Int(0), r.Text(1), r.Int(2), r.Text(3), r.Int(4) != 0});
}

core::Result<std::string> ReadCanonical(storage::Transaction& tx, const crypto::KeyRing& keys,
                                        std::int64_t id) {
  ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT key_version, wrapped_key, payload, payload IS NULL"
                                       " FROM records WHERE id = ?",
                                       {id}));
  if (rows.empty()) {
    ASSIGN_OR_RETURN(auto last, tx.Query("SELECT coalesce(max(id), 0) FROM records"));
    const std::int64_t n = last[0].Int(0);
    return core::NotFound(
        "no record " + std::to_string(id) +
        (n == 0 ? ": the log is empty" : ": the log has records 1.." + std::to_string(n)));
  }
  if (rows[0].Int(3) != 0) {
    return core::FailedPrecondition("record " + std::to_string(id) +
                                    " was disposed of; only its leaf hash remains");
  }
  crypto::Envelope env{static_cast<int>(rows[0].Int(0)), rows[0].Text(1), rows[0].Text(2)};
  auto plain = keys.OpenEnvelope(env, RecordPayloadAad(id));
  if (!plain.has_value()) {
    core::Status s = plain.error();
    s.WithContext("record " + std::to_string(id));
    return s;
  }
  return std::move(plain).value();
}

}  // namespace custos::archive
