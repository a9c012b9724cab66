// SPDX-License-Identifier: Apache-2.0
// The attachment part of `custos verify` (verifier.h): stored content and message links.
#include <map>
#include <optional>

#include "archive/attachment_store.h"
#include "archive/payload.h"
#include "archive/records.h"
#include "archive/sql/verify.h"
#include "archive/verifier_internal.h"
#include "core/text.h"
#include "crypto/crypto.h"

namespace custos::archive::internal {
namespace {

struct Content {
  std::string sha256;  // lowercase hex; empty when the content could not be checked
  std::int64_t size = 0;
  bool shredded = false;
};

std::string Subject(std::int64_t id) { return "attachment " + std::to_string(id); }

// The record of the first message linking attachment `id`, for naming it in a report; 0 when
// none links it.
core::Result<std::int64_t> FirstReferrer(storage::Transaction& tx, std::int64_t id) {
  ASSIGN_OR_RETURN(std::optional<std::int64_t> record, sql::FirstAttachmentReferrer(tx, id));
  return record.value_or(0);
}

// Pass 1: every stored content decrypts and hashes to the SHA-256 it is stored under.
core::Result<std::map<std::int64_t, Content>> CheckContents(storage::Transaction& tx,
                                                            const crypto::KeyRing& keys,
                                                            Problems& problems,
                                                            VerifyReport& report) {
  std::map<std::int64_t, Content> contents;
  std::vector<std::pair<std::int64_t, std::string>> bad;  // id, problem
  RETURN_IF_ERROR(sql::EachAttachmentContent(tx, [&](const storage::Row& r) {
    Content& c = contents[r.Int(0)];
    if (r.Int(5) != 0) {
      c.shredded = true;
      ++report.attachments_shredded;
      return true;
    }
    const std::string key = r.Text(1);
    crypto::Envelope env{static_cast<int>(r.Int(2)), r.Text(3), r.Text(4)};
    auto bytes = keys.OpenEnvelope(env, AttachmentAad(key));
    if (!bytes.has_value()) {
      bad.emplace_back(r.Int(0), "its content does not decrypt (" + bytes.error().message() + ")");
      return true;
    }
    ++report.attachments;
    const std::string hex = core::HexEncode(crypto::Sha256(*bytes));
    if (AttachmentHash(keys, hex) != key) {
      bad.emplace_back(r.Int(0), "its content does not hash to the SHA-256 it is stored under");
      return true;
    }
    c.sha256 = hex;
    c.size = static_cast<std::int64_t>(bytes->size());
    return true;
  }));
  for (const auto& [id, problem] : bad) {
    ASSIGN_OR_RETURN(const std::int64_t record_id, FirstReferrer(tx, id));
    std::string subject = Subject(id);
    if (record_id != 0) {
      subject += " (of record " + std::to_string(record_id) + ")";
    }
    problems.Add(std::move(subject), problem, record_id);
  }
  return contents;
}

}  // namespace

core::Status CheckAttachments(storage::Transaction& tx, const crypto::KeyRing& keys,
                              Problems& problems, VerifyReport& report) {
  ASSIGN_OR_RETURN(auto contents, CheckContents(tx, keys, problems, report));

  struct Link {
    std::int64_t message_id, attachment_id, record_id;
    bool disposed;
  };

  std::vector<Link> links;
  RETURN_IF_ERROR(sql::EachAttachmentLink(tx, [&links](const storage::Row& r) {
    links.push_back({r.Int(0), r.Int(1), r.Int(2), r.Int(3) != 0});
    return true;
  }));
  std::int64_t cached_record = 0;
  std::optional<model::Message> message;  // the decoded record `cached_record`
  for (const Link& l : links) {
    if (l.disposed) {
      continue;  // its content may rightly be shredded
    }
    const std::string subject = "message " + std::to_string(l.message_id);
    const auto c = contents.find(l.attachment_id);
    if (c == contents.end()) {
      problems.Add(subject,
                   "links attachment " + std::to_string(l.attachment_id) + ", which is missing",
                   l.record_id);
      continue;
    }
    if (c->second.shredded) {
      problems.Add(subject,
                   "links attachment " + std::to_string(l.attachment_id) +
                       ", whose content was destroyed while record " + std::to_string(l.record_id) +
                       " still lists it",
                   l.record_id);
      continue;
    }
    if (c->second.sha256.empty()) {
      continue;  // reported in pass 1
    }
    if (cached_record != l.record_id) {
      cached_record = l.record_id;
      message.reset();
      auto bytes = ReadCanonical(tx, keys, l.record_id);
      auto decoded = bytes.has_value() ? DecodeMessageRecord(*bytes)
                                       : core::Result<model::Message>(bytes.error());
      if (decoded.has_value()) {
        message = std::move(decoded).value();
      }
    }
    if (!message) {
      continue;  // the record itself is reported by the main pass
    }
    const model::Attachment* listed = nullptr;
    for (const model::Attachment& a : message->attachments) {
      if (core::ToLowerAscii(a.sha256) == c->second.sha256) {
        listed = &a;
      }
    }
    if (listed == nullptr) {
      problems.Add(subject,
                   "links attachment " + std::to_string(l.attachment_id) +
                       ", whose content (sha256 " + c->second.sha256 + ") record " +
                       std::to_string(l.record_id) + " does not list",
                   l.record_id);
    } else if (listed->size != c->second.size) {
      problems.Add(subject,
                   "its record lists attachment " + c->second.sha256 + " with size " +
                       std::to_string(listed->size) + ", but the stored content has " +
                       std::to_string(c->second.size) + " bytes",
                   l.record_id);
    }
  }
  return core::Status::Ok();
}

}  // namespace custos::archive::internal
