// SPDX-License-Identifier: Apache-2.0
#include "archive/payload.h"

#include <nlohmann/json.hpp>

#include "archive/records.h"
#include "core/text.h"

namespace custos::archive {

using Json = nlohmann::json;

core::Result<model::Message> DecodeMessageRecord(std::string_view canonical_bytes) {
  try {
    const Json record = Json::parse(canonical_bytes);
    if (record.at("kind").get<std::string>() != "message") {
      return core::DataLoss("record " + std::to_string(record.at("id").get<std::int64_t>()) +
                            " is not a message");
    }
    const Json& j = record.at("body");
    model::Message m;
    m.id = j.at("message_id").get<std::int64_t>();
    m.source = j.at("source").get<std::string>();
    m.source_id = j.at("source_id").get<std::string>();
    m.channel = j.at("channel").get<std::string>();
    m.conversation = j.at("conversation").get<std::string>();
    m.from = j.at("from").get<std::string>();
    m.to = j.at("to").get<std::vector<std::string>>();
    ASSIGN_OR_RETURN(m.sent_at, core::ParseRfc3339(j.at("sent_at").get<std::string>()));
    ASSIGN_OR_RETURN(m.direction, model::ParseDirection(j.at("direction").get<std::string>()));
    m.text = j.at("text").get<std::string>();
    for (const Json& a : j.at("attachments")) {
      m.attachments.push_back({a.at("name").get<std::string>(), a.at("mime").get<std::string>(),
                               a.at("size").get<std::int64_t>(), a.at("sha256").get<std::string>(),
                               a.contains("url") ? a.at("url").get<std::string>() : ""});
    }
    ASSIGN_OR_RETURN(m.kind, model::ParseEventKind(j.at("event").get<std::string>()));
    if (j.contains("target")) {
      m.target_source_id = j.at("target").get<std::string>();
    }
    if (j.contains("reply_to")) {
      m.reply_to = j.at("reply_to").get<std::string>();
    }
    if (j.contains("forwarded_from")) {
      m.forwarded_from = j.at("forwarded_from").get<std::string>();
    }
    if (j.contains("principal")) {
      m.principal = j.at("principal").get<std::string>();
    }
    if (j.contains("device")) {
      m.device = j.at("device").get<std::string>();
    }
    return m;
  } catch (const Json::exception& e) {
    return core::DataLoss(std::string("stored message record is malformed: ") + e.what());
  }
}

namespace {

std::string DomainHash(const crypto::KeyRing& keys, std::string_view domain,
                       std::string_view value) {
  std::string input(domain);
  input.push_back('\x1f');
  input.append(value);
  return keys.IndexHash(input);
}

}  // namespace

std::string IdempotencyNamespace(std::string_view principal) {
  if (principal.empty()) {
    return "";
  }
  std::string out(principal);
  out.push_back('\x1e');
  return out;
}

std::string IdempotencyHash(const crypto::KeyRing& keys, std::string_view idempotency_key) {
  return DomainHash(keys, "idem", idempotency_key);
}

std::string IdentityHash(const crypto::KeyRing& keys, std::string_view handle) {
  return DomainHash(keys, "identity", NormaliseHandle(handle));
}

std::string ConversationHash(const crypto::KeyRing& keys, std::string_view channel,
                             std::string_view key) {
  std::string value(channel);
  value.push_back('\x1f');
  value.append(key);
  return DomainHash(keys, "conversation", value);
}

std::string TargetHash(const crypto::KeyRing& keys, std::string_view principal,
                       std::string_view source, std::string_view target_source_id) {
  std::string key = IdempotencyNamespace(principal);
  key.append(source);
  key.push_back('\x1f');
  key.append(target_source_id);
  return IdempotencyHash(keys, key);
}

std::string DeviceActorHash(const crypto::KeyRing& keys, std::string_view actor) {
  return "h:" + core::HexEncode(keys.IndexHash("device-actor\x1f" + std::string(actor)));
}

std::string AttachmentHash(const crypto::KeyRing& keys, std::string_view sha256_hex) {
  return DomainHash(keys, "attachment", sha256_hex);
}

std::string NormaliseHandle(std::string_view handle) {
  std::string h = core::ToLowerAscii(core::TrimAscii(handle));
  const bool phone_like = !h.empty() && (h[0] == '+' || (h[0] >= '0' && h[0] <= '9')) &&
                          h.find('@') == std::string::npos;
  if (!phone_like) {
    return h;
  }
  std::string out;
  for (char c : h) {
    if (c != ' ' && c != '-' && c != '.' && c != '(' && c != ')') {
      out.push_back(c);
    }
  }
  return out;
}

std::string RecordAad(std::string_view table, std::int64_t id) {
  return "custos/" + std::string(table) + "/" + std::to_string(id);
}

core::Result<std::string> OpenColumns(const crypto::KeyRing& keys, std::string_view table,
                                      std::int64_t aad_id, const storage::Row& row,
                                      std::size_t first_col) {
  crypto::Envelope env;
  env.key_version = static_cast<int>(row.Int(first_col));
  env.wrapped_key = row.Text(first_col + 1);
  env.ciphertext = row.Text(first_col + 2);
  auto plain = keys.OpenEnvelope(env, RecordAad(table, aad_id));
  if (!plain.has_value()) {
    core::Status s = plain.error();
    s.WithContext(std::string(table) + " " + std::to_string(aad_id));
    return s;
  }
  return std::move(plain).value();
}

core::Result<model::Message> MessageFromRow(const crypto::KeyRing& keys, const storage::Row& row) {
  const std::int64_t record_id = row.Int(5);
  if (row.IsNull(3)) {
    return core::FailedPrecondition("message " + std::to_string(row.Int(0)) +
                                    " was disposed of; only its leaf hash remains");
  }
  crypto::Envelope env{static_cast<int>(row.Int(1)), row.Text(2), row.Text(3)};
  auto plain = keys.OpenEnvelope(env, RecordPayloadAad(record_id));
  if (!plain.has_value()) {
    core::Status s = plain.error();
    s.WithContext("record " + std::to_string(record_id));
    return s;
  }
  ASSIGN_OR_RETURN(model::Message m, DecodeMessageRecord(*plain));
  m.id = row.Int(0);
  m.conversation_id = row.Int(4);
  m.record_id = record_id;
  return m;
}

}  // namespace custos::archive
