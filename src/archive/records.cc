// SPDX-License-Identifier: Apache-2.0
#include "archive/records.h"

#include "archive/merkle_log.h"
#include "archive/sql/records.h"
#include "crypto/merkle.h"

namespace custos::archive {

std::string RecordPayloadAad(std::int64_t record_id) {
  return "custos/record/" + std::to_string(record_id);
}

core::Result<RecordAppender> RecordAppender::Begin(storage::Transaction& tx,
                                                   const crypto::KeyRing& keys) {
  ASSIGN_OR_RETURN(const std::int64_t last, sql::MaxRecordId(tx));
  return RecordAppender(tx, keys, last + 1);
}

core::Result<std::int64_t> RecordAppender::Append(std::string_view kind, core::Micros at,
                                                  CanonicalValue::Object body) {
  const std::int64_t id = next_id_;
  const std::string bytes = EncodeRecord(id, kind, at, std::move(body));
  const std::string leaf = crypto::LeafHash(bytes);
  ASSIGN_OR_RETURN(crypto::Envelope env, keys_->SealEnvelope(bytes, RecordPayloadAad(id)));
  RETURN_IF_ERROR(sql::InsertRecord(*tx_, id, kind, at, leaf, env));
  RETURN_IF_ERROR(LogAppend(*tx_, static_cast<std::uint64_t>(id - 1), leaf));
  ++next_id_;
  return id;
}

core::Result<std::optional<RecordInfo>> GetRecordInfo(storage::Transaction& tx, std::int64_t id) {
  return sql::FindRecordInfo(tx, id);
}

core::Result<std::string> ReadCanonical(storage::Transaction& tx, const crypto::KeyRing& keys,
                                        std::int64_t id) {
  ASSIGN_OR_RETURN(std::optional<sql::SealedRecord> sealed, sql::FindSealedRecord(tx, id));
  if (!sealed) {
    ASSIGN_OR_RETURN(const std::int64_t n, sql::MaxRecordId(tx));
    return core::NotFound(
        "no record " + std::to_string(id) +
        (n == 0 ? ": the log is empty" : ": the log has records 1.." + std::to_string(n)));
  }
  if (sealed->disposed) {
    return core::FailedPrecondition("record " + std::to_string(id) +
                                    " was disposed of; only its leaf hash remains");
  }
  auto plain = keys.OpenEnvelope(sealed->envelope, RecordPayloadAad(id));
  if (!plain.has_value()) {
    core::Status s = plain.error();
    s.WithContext("record " + std::to_string(id));
    return s;
  }
  return std::move(plain).value();
}

}  // namespace custos::archive
