// SPDX-License-Identifier: Apache-2.0
#include "archive/attachment_store.h"

#include "archive/payload.h"
#include "archive/sql/attachments.h"
#include "core/text.h"
#include "crypto/crypto.h"

namespace custos::archive {
namespace {

bool IsHexSha256(std::string_view s) {
  if (s.size() != 2 * crypto::kSha256Bytes) {
    return false;
  }
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      return false;
    }
  }
  return true;
}

}  // namespace

std::string AttachmentAad(std::string_view content_hash) {
  return "custos/attachment/" + core::HexEncode(content_hash);
}

core::Result<model::Attachment> AttachmentStore::Put(std::string_view bytes, std::string_view mime,
                                                     std::string_view name) {
  ASSIGN_OR_RETURN(auto tx, db_->Begin(storage::TxMode::kWrite));
  ASSIGN_OR_RETURN(model::Attachment a, Put(*tx, bytes, mime, name));
  RETURN_IF_ERROR(tx->Commit());
  return a;
}

core::Result<model::Attachment> AttachmentStore::Put(storage::Transaction& tx,
                                                     std::string_view bytes, std::string_view mime,
                                                     std::string_view name) {
  if (bytes.size() > kMaxAttachmentBytes) {
    return core::InvalidArgument("attachment \"" + std::string(name.substr(0, 80)) + "\" has " +
                                 std::to_string(bytes.size()) + " bytes; the limit is " +
                                 std::to_string(kMaxAttachmentBytes));
  }
  model::Attachment a{std::string(name), std::string(mime), static_cast<std::int64_t>(bytes.size()),
                      core::HexEncode(crypto::Sha256(bytes))};
  const std::string key = AttachmentHash(*keys_, a.sha256);
  ASSIGN_OR_RETURN(std::optional<sql::StoredAttachment> stored, sql::FindAttachment(tx, key));
  if (stored && !stored->shredded) {
    return a;  // stored already (dedup)
  }
  ASSIGN_OR_RETURN(crypto::Envelope env, keys_->SealEnvelope(bytes, AttachmentAad(key)));
  if (!stored) {
    RETURN_IF_ERROR(sql::InsertAttachment(tx, key, env, clock_->Now()));
  } else {  // shredded earlier and supplied again
    RETURN_IF_ERROR(sql::RestoreAttachment(tx, stored->id, env));
  }
  return a;
}

core::Result<std::string> AttachmentStore::Get(std::string_view sha256) const {
  const std::string hex = core::ToLowerAscii(sha256);
  if (!IsHexSha256(hex)) {
    return core::InvalidArgument("\"" + std::string(sha256.substr(0, 80)) +
                                 "\" is not a SHA-256 in hex (64 hex digits)");
  }
  const std::string key = AttachmentHash(*keys_, hex);
  ASSIGN_OR_RETURN(auto tx, db_->Begin(storage::TxMode::kRead));
  ASSIGN_OR_RETURN(std::optional<sql::StoredAttachment> stored, sql::FindAttachment(*tx, key));
  if (!stored) {
    return core::NotFound("no attachment content with sha256 " + hex);
  }
  if (stored->shredded) {
    return core::FailedPrecondition("attachment " + hex +
                                    " was disposed of (crypto-shredded) at the end of retention");
  }
  auto bytes = keys_->OpenEnvelope(stored->envelope, AttachmentAad(key));
  if (!bytes.has_value()) {
    core::Status s = bytes.error();
    s.WithContext("attachment " + hex);
    return s;
  }
  if (core::HexEncode(crypto::Sha256(*bytes)) != hex) {
    return core::DataLoss("attachment " + hex + ": its content does not hash to its sha256");
  }
  return std::move(bytes).value();
}

core::Result<bool> AttachmentStore::Has(std::string_view sha256) const {
  const std::string key = AttachmentHash(*keys_, core::ToLowerAscii(sha256));
  ASSIGN_OR_RETURN(auto tx, db_->Begin(storage::TxMode::kRead));
  return sql::HasLiveAttachment(*tx, key);
}

core::Status LinkAttachments(storage::Transaction& tx, const crypto::KeyRing& keys,
                             std::int64_t message_id,
                             const std::vector<model::Attachment>& attachments) {
  for (const model::Attachment& a : attachments) {
    const std::string key = AttachmentHash(keys, core::ToLowerAscii(a.sha256));
    RETURN_IF_ERROR(sql::LinkAttachment(tx, message_id, key));
  }
  return core::Status::Ok();
}

core::Result<std::int64_t> ShredUnreferencedAttachments(storage::Transaction& tx,
                                                        std::int64_t message_id, core::Micros at) {
  ASSIGN_OR_RETURN(std::vector<std::int64_t> ids, sql::UnreferencedAttachments(tx, message_id));
  for (const std::int64_t id : ids) {
    RETURN_IF_ERROR(sql::ShredAttachment(tx, id, at));
  }
  return static_cast<std::int64_t>(ids.size());
}

}  // namespace custos::archive
