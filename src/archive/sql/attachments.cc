// SPDX-License-Identifier: Apache-2.0
#include "archive/sql/attachments.h"

namespace custos::archive::sql {

using storage::Blob;

core::Result<std::optional<StoredAttachment>> FindAttachment(storage::Transaction& tx,
                                                             const std::string& content_hash) {
  ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT id, key_version, wrapped_key, payload,"
                                       " payload IS NULL FROM attachments WHERE content_hash = ?",
                                       {Blob{content_hash}}));
  if (rows.empty()) {
    return std::optional<StoredAttachment>();
  }
  const storage::Row& r = rows[0];
  return std::optional<StoredAttachment>(StoredAttachment{
      r.Int(0), crypto::Envelope{static_cast<int>(r.Int(1)), r.Text(2), r.Text(3)}, r.Int(4) != 0});
}

core::Status InsertAttachment(storage::Transaction& tx, const std::string& content_hash,
                              const crypto::Envelope& sealed, core::Micros created_at) {
  return tx.Execute(
      "INSERT INTO attachments (content_hash, key_version, wrapped_key, payload, created_at)"
      " VALUES (?, ?, ?, ?, ?)",
      {Blob{content_hash}, std::int64_t{sealed.key_version}, Blob{sealed.wrapped_key},
       Blob{sealed.ciphertext}, created_at});
}

core::Status RestoreAttachment(storage::Transaction& tx, std::int64_t id,
                               const crypto::Envelope& sealed) {
  return tx.Execute(
      "UPDATE attachments SET key_version = ?, wrapped_key = ?, payload = ?, shredded_at = NULL"
      " WHERE id = ?",
      {std::int64_t{sealed.key_version}, Blob{sealed.wrapped_key}, Blob{sealed.ciphertext}, id});
}

core::Result<bool> HasLiveAttachment(storage::Transaction& tx, const std::string& content_hash) {
  ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT 1 FROM attachments WHERE content_hash = ? AND"
                                       " payload IS NOT NULL",
                                       {Blob{content_hash}}));
  return !rows.empty();
}

core::Status LinkAttachment(storage::Transaction& tx, std::int64_t message_id,
                            const std::string& content_hash) {
  return tx.Execute(
      "INSERT OR IGNORE INTO message_attachments (message_id, attachment_id)"
      " SELECT ?, id FROM attachments WHERE content_hash = ? AND payload IS NOT NULL",
      {message_id, Blob{content_hash}});
}

core::Result<std::vector<std::int64_t>> UnreferencedAttachments(storage::Transaction& tx,
                                                                std::int64_t message_id) {
  ASSIGN_OR_RETURN(
      auto rows,
      tx.Query("SELECT a.id FROM message_attachments ma JOIN attachments a"
               " ON a.id = ma.attachment_id WHERE ma.message_id = ? AND a.payload IS NOT NULL"
               " AND NOT EXISTS (SELECT 1 FROM message_attachments o JOIN messages m"
               " ON m.id = o.message_id JOIN records r ON r.id = m.record_id"
               " WHERE o.attachment_id = a.id AND r.payload IS NOT NULL)",
               {message_id}));
  std::vector<std::int64_t> ids;
  ids.reserve(rows.size());
  for (const storage::Row& r : rows) {
    ids.push_back(r.Int(0));
  }
  return ids;
}

core::Status ShredAttachment(storage::Transaction& tx, std::int64_t id, core::Micros at) {
  return tx.Execute(
      "UPDATE attachments SET key_version = NULL, wrapped_key = NULL, payload = NULL,"
      " shredded_at = ? WHERE id = ?",
      {at, id});
}

}  // namespace custos::archive::sql
