// SPDX-License-Identifier: Apache-2.0
// Normalise (app/ingest.h): required fields, limits, attachment content and the idempotency key.
#include <utility>

#include "app/ingest.h"
#include "archive/attachment_store.h"
#include "archive/message_store.h"
#include "core/text.h"
#include "crypto/crypto.h"

namespace custos::app {
namespace {

core::Status Reject(std::string* field, std::string_view name, std::string message) {
  *field = std::string(name);
  return core::InvalidArgument("field \"" + std::string(name) + "\": " + message);
}

// Attachments that carry their bytes: size and SHA-256 come from the bytes (computed here, on
// the submitting thread); declared values must agree.
core::Status NormaliseAttachmentContent(model::Message& m, std::string* field) {
  for (std::size_t i = 0; i < m.attachments.size(); ++i) {
    model::Attachment& a = m.attachments[i];
    if (!a.content) {
      continue;
    }
    const std::string at = "attachments[" + std::to_string(i) + "]";
    if (a.content->size() > archive::kMaxAttachmentBytes) {
      return Reject(field, at + ".content",
                    "is " + std::to_string(a.content->size()) + " bytes; the limit is " +
                        std::to_string(archive::kMaxAttachmentBytes));
    }
    const std::string sha = core::HexEncode(crypto::Sha256(*a.content));
    if (!a.sha256.empty() && a.sha256 != sha) {
      return Reject(field, at + ".sha256",
                    "does not match the content (its SHA-256 is " + sha + ")");
    }
    const auto size = static_cast<std::int64_t>(a.content->size());
    if (a.size != 0 && a.size != size) {
      return Reject(field, at + ".size",
                    "is " + std::to_string(a.size) + " but the content has " +
                        std::to_string(size) + " bytes");
    }
    a.sha256 = sha;
    a.size = size;
  }
  return core::Status::Ok();
}

}  // namespace

std::string_view IngestStatusName(IngestStatus s) {
  switch (s) {
    case IngestStatus::kAccepted:
      return "accepted";
    case IngestStatus::kDuplicate:
      return "duplicate";
    case IngestStatus::kRejected:
      return "rejected";
    case IngestStatus::kFailed:
      return "failed";
    case IngestStatus::kBlocked:
      return "blocked";
  }
  return "failed";
}

core::Status Normalise(model::Message& m, std::string* field) {
  for (const auto& [name, value] :
       {std::pair<std::string_view, const std::string*>{"source", &m.source},
        {"channel", &m.channel},
        {"conversation", &m.conversation},
        {"from", &m.from}}) {
    if (core::TrimAscii(*value).empty()) {
      return Reject(field, name, "is required");
    }
    if (!core::IsValidUtf8(*value)) {
      return Reject(field, name, "is not valid UTF-8");
    }
    if (value->size() > 1024) {
      return Reject(field, name, "is longer than 1024 bytes");
    }
  }
  m.channel = core::ToLowerAscii(m.channel);
  if (!model::IsKnownChannel(m.channel)) {
    return Reject(field, "channel",
                  "unknown channel \"" + std::string(core::TruncateUtf8(m.channel, 32)) +
                      "\" (known: " + std::string(model::KnownChannelsList()) + ")");
  }
  if (m.text.size() > model::kMaxTextBytes) {
    return Reject(field, "text",
                  "is " + std::to_string(m.text.size()) + " bytes; the limit is " +
                      std::to_string(model::kMaxTextBytes));
  }
  if (!core::IsValidUtf8(m.text)) {
    return Reject(field, "text", "is not valid UTF-8");
  }
  if (m.to.size() > model::kMaxRecipients) {
    return Reject(field, "to",
                  "has more than " + std::to_string(model::kMaxRecipients) + " recipients");
  }
  if (m.attachments.size() > model::kMaxAttachments) {
    return Reject(field, "attachments",
                  "has more than " + std::to_string(model::kMaxAttachments) + " entries");
  }
  RETURN_IF_ERROR(NormaliseAttachmentContent(m, field));
  const bool needs_target = m.kind == model::EventKind::kEdit ||
                            m.kind == model::EventKind::kDelete ||
                            m.kind == model::EventKind::kReaction;
  if (needs_target && m.target_source_id.empty()) {
    return Reject(
        field, "target",
        std::string(model::EventKindName(m.kind)) + " event needs the source_id of its message");
  }
  m.idempotency_key = archive::MessageIdempotencyKey(m);
  return core::Status::Ok();
}

}  // namespace custos::app
