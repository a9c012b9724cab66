// SPDX-License-Identifier: Apache-2.0
#include "archive/sql/verify.h"

namespace custos::archive::sql {

core::Status EachRecordInRange(storage::Transaction& tx, std::int64_t a, std::int64_t b,
                               const VerifyRowFn& fn) {
  return tx.QueryEach(
      "SELECT id, kind, created_at, leaf_hash, key_version, wrapped_key, payload,"
      " payload IS NULL FROM records WHERE id > ? AND id <= ?",
      {a, b}, fn);
}

core::Status EachMerkleNodeInRange(storage::Transaction& tx, std::int64_t level, std::int64_t first,
                                   std::int64_t last, const VerifyRowFn& fn) {
  return tx.QueryEach(
      "SELECT idx, hash FROM merkle_nodes WHERE level = ? AND idx >= ? AND idx <= ?",
      {level, first, last}, fn);
}

core::Result<std::optional<std::pair<std::int64_t, std::int64_t>>> FindMerkleNodeBeyond(
    storage::Transaction& tx, std::int64_t level, std::int64_t bound) {
  ASSIGN_OR_RETURN(auto rows, bound > 0 ? tx.Query("SELECT level, idx FROM merkle_nodes"
                                                   " WHERE level = ? AND idx >= ? LIMIT 1",
                                                   {level, bound})
                                        : tx.Query("SELECT level, idx FROM merkle_nodes"
                                                   " WHERE level >= ? OR level < 0 OR idx < 0"
                                                   " LIMIT 1",
                                                   {level}));
  if (rows.empty()) {
    return std::optional<std::pair<std::int64_t, std::int64_t>>();
  }
  return std::optional<std::pair<std::int64_t, std::int64_t>>({rows[0].Int(0), rows[0].Int(1)});
}

core::Result<std::optional<std::int64_t>> FindRecordBelowFirstLeaf(storage::Transaction& tx) {
  ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT id FROM records WHERE id < 1 LIMIT 1"));
  if (rows.empty()) {
    return std::optional<std::int64_t>();
  }
  return std::optional<std::int64_t>(rows[0].Int(0));
}

core::Result<std::optional<std::pair<std::int64_t, std::int64_t>>> FindMessageBeyondLog(
    storage::Transaction& tx, std::int64_t size) {
  ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT id, record_id FROM messages"
                                       " WHERE record_id < 1 OR record_id > ? ORDER BY id"
                                       " LIMIT 1",
                                       {size}));
  if (rows.empty()) {
    return std::optional<std::pair<std::int64_t, std::int64_t>>();
  }
  return std::optional<std::pair<std::int64_t, std::int64_t>>({rows[0].Int(0), rows[0].Int(1)});
}

core::Result<std::optional<std::int64_t>> FirstAttachmentReferrer(storage::Transaction& tx,
                                                                  std::int64_t id) {
  ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT MIN(m.record_id) FROM message_attachments ma"
                                       " JOIN messages m ON m.id = ma.message_id"
                                       " WHERE ma.attachment_id = ?",
                                       {id}));
  if (rows.empty() || rows[0].IsNull(0)) {
    return std::optional<std::int64_t>();
  }
  return std::optional<std::int64_t>(rows[0].Int(0));
}

core::Status EachAttachmentContent(storage::Transaction& tx, const VerifyRowFn& fn) {
  return tx.QueryEach(
      "SELECT id, content_hash, key_version, wrapped_key, payload, payload IS NULL"
      " FROM attachments ORDER BY id",
      {}, fn);
}

core::Status EachAttachmentLink(storage::Transaction& tx, const VerifyRowFn& fn) {
  return tx.QueryEach(
      "SELECT ma.message_id, ma.attachment_id, m.record_id, r.payload IS NULL"
      " FROM message_attachments ma JOIN messages m ON m.id = ma.message_id"
      " JOIN records r ON r.id = m.record_id ORDER BY m.record_id, ma.attachment_id",
      {}, fn);
}

}  // namespace custos::archive::sql
