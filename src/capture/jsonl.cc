// SPDX-License-Identifier: Apache-2.0
#include "capture/jsonl.h"

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "capture/internal/json_error_locator.h"
#include "core/json_reader.h"
#include "core/text.h"
#include "core/time.h"
#include "crypto/crypto.h"

namespace custos::capture {
namespace {

using Json = nlohmann::json;

constexpr std::size_t kSha256HexChars = 64;
// A canonical message is flat (attachments and recipients one level down): these bound a
// hostile line before a document is built.
constexpr core::JsonLimits kMessageJsonLimits{kMaxLineBytes, 32, 262'144};

// The three event fields that name the message an event is about, and the kind each implies.
struct TargetField {
  const char* name;
  model::EventKind kind;
};

constexpr TargetField kTargetFields[] = {
    {"edited_of", model::EventKind::kEdit},
    {"deleted_of", model::EventKind::kDelete},
    {"reaction_to", model::EventKind::kReaction},
};

std::string TypeName(const Json& value) {
  if (value.is_number_integer()) {
    return "an integer";
  }
  if (value.is_number_float()) {
    return "a fractional number";
  }
  const std::string name = value.type_name();
  return (name == "object" || name == "array") ? "an " + name : "a " + name;
}

bool IsLowerHex(std::string_view s) {
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      return false;
    }
  }
  return true;
}

// Reads fields out of one JSON object; the first problem wins and is kept with its field.
class Reader {
 public:
  // Returns the failure; `field` is a path such as "attachments[0].size".
  core::Status Fail(std::string field, std::string message) {
    std::string text = field.empty() ? message : "field \"" + field + "\": " + message;
    error_ = DecodeError{std::move(field), std::move(message)};
    return core::InvalidArgument(std::move(text));
  }

  const DecodeError& error() const { return error_; }

  // A string member. Absent or null: nullopt, or an error when `required`. Otherwise checked
  // for type, UTF-8, emptiness (when `non_empty`) and length.
  core::Result<std::optional<std::string>> String(const Json& obj, const std::string& path,
                                                  const char* name, bool required, bool non_empty,
                                                  std::size_t max_bytes) {
    const auto it = obj.find(name);
    if (it == obj.end() || it->is_null()) {
      if (required) {
        return Fail(path, "is required");
      }
      return std::optional<std::string>();
    }
    return StringValue(*it, path, non_empty, max_bytes);
  }

  core::Result<std::optional<std::string>> StringValue(const Json& value, const std::string& path,
                                                       bool non_empty, std::size_t max_bytes) {
    if (!value.is_string()) {
      return Fail(path, "must be a string, not " + TypeName(value));
    }
    const auto& s = value.get_ref<const std::string&>();
    if (s.size() > max_bytes) {
      return Fail(path, "is " + std::to_string(s.size()) + " bytes, over the limit of " +
                            std::to_string(max_bytes));
    }
    if (!core::IsValidUtf8(s)) {
      return Fail(path, "is not valid UTF-8");
    }
    if (non_empty && core::TrimAscii(s).empty()) {
      return Fail(path, "must not be empty");
    }
    return std::optional<std::string>(s);
  }

 private:
  DecodeError error_;
};

core::Status DecodeAttachment(Reader& r, const Json& value, const std::string& path,
                              model::Attachment* out) {
  if (!value.is_object()) {
    return r.Fail(path, "must be an object {name, mime, size, sha256}, not " + TypeName(value));
  }
  ASSIGN_OR_RETURN(auto name, r.String(value, path + ".name", "name", true, false, kMaxFieldBytes));
  ASSIGN_OR_RETURN(auto mime, r.String(value, path + ".mime", "mime", true, true, kMaxFieldBytes));
  ASSIGN_OR_RETURN(auto url, r.String(value, path + ".url", "url", false, true, kMaxFieldBytes));
  out->url = url ? std::move(*url) : std::string();
  // content_base64: the bytes themselves; size and sha256 may then be left out (the ingest
  // service computes them, and checks them when given).
  if (const auto b64 = value.find("content_base64"); b64 != value.end() && !b64->is_null()) {
    if (!b64->is_string()) {
      return r.Fail(path + ".content_base64", "must be a base64 string, not " + TypeName(*b64));
    }
    core::Result<std::string> bytes = crypto::Base64Decode(b64->get<std::string>());
    if (!bytes.has_value()) {
      return r.Fail(path + ".content_base64", "is not valid base64");
    }
    out->content = std::move(bytes).value();
  }
  const bool computed = out->content.has_value();
  const auto size = value.find("size");
  if (size == value.end() || size->is_null()) {
    if (!computed) {
      return r.Fail(path + ".size", "is required");
    }
  } else if (!size->is_number_integer()) {
    return r.Fail(path + ".size", "must be an integer, not " + TypeName(*size));
  } else if (size->is_number_unsigned()
                 ? size->get<std::uint64_t>() >
                       std::uint64_t{std::numeric_limits<std::int64_t>::max()}
                 : size->get<std::int64_t>() < 0) {
    return r.Fail(path + ".size", "must be between 0 and 2^63-1");
  } else {
    out->size = size->get<std::int64_t>();
  }
  ASSIGN_OR_RETURN(auto sha,
                   r.String(value, path + ".sha256", "sha256", !computed, false, kMaxFieldBytes));
  if (sha && (sha->size() != kSha256HexChars || !IsLowerHex(*sha))) {
    return r.Fail(path + ".sha256", "must be 64 lowercase hexadecimal digits");
  }
  out->name = std::move(*name);
  out->mime = std::move(*mime);
  out->sha256 = sha ? std::move(*sha) : std::string();
  return core::Status::Ok();
}

// to, attachments: optional arrays.
core::Status DecodeArrays(Reader& r, const Json& obj, model::Message* m) {
  if (const auto to = obj.find("to"); to != obj.end() && !to->is_null()) {
    if (!to->is_array()) {
      return r.Fail("to", "must be an array of strings, not " + TypeName(*to));
    }
    if (to->size() > model::kMaxRecipients) {
      return r.Fail("to", "has " + std::to_string(to->size()) + " recipients, over the limit of " +
                              std::to_string(model::kMaxRecipients));
    }
    for (std::size_t i = 0; i < to->size(); ++i) {
      ASSIGN_OR_RETURN(auto handle, r.StringValue((*to)[i], "to[" + std::to_string(i) + "]", true,
                                                  kMaxFieldBytes));
      m->to.push_back(std::move(*handle));
    }
  }
  if (const auto att = obj.find("attachments"); att != obj.end() && !att->is_null()) {
    if (!att->is_array()) {
      return r.Fail("attachments", "must be an array of objects, not " + TypeName(*att));
    }
    if (att->size() > model::kMaxAttachments) {
      return r.Fail("attachments", "has " + std::to_string(att->size()) +
                                       " entries, over the limit of " +
                                       std::to_string(model::kMaxAttachments));
    }
    m->attachments.resize(att->size());
    for (std::size_t i = 0; i < att->size(); ++i) {
      RETURN_IF_ERROR(DecodeAttachment(r, (*att)[i], "attachments[" + std::to_string(i) + "]",
                                       &m->attachments[i]));
    }
  }
  return core::Status::Ok();
}

// edited_of / deleted_of / reaction_to / event.
core::Status DecodeEvent(Reader& r, const Json& obj, model::Message* m) {
  const char* target_field = nullptr;
  for (const TargetField& f : kTargetFields) {
    ASSIGN_OR_RETURN(auto target, r.String(obj, f.name, f.name, false, true, kMaxFieldBytes));
    if (!target) {
      continue;
    }
    if (target_field != nullptr) {
      return r.Fail(f.name, std::string("cannot be combined with ") + target_field);
    }
    target_field = f.name;
    m->kind = f.kind;
    m->target_source_id = std::move(*target);
  }
  ASSIGN_OR_RETURN(auto event, r.String(obj, "event", "event", false, true, kMaxFieldBytes));
  if (!event) {
    return core::Status::Ok();
  }
  const auto kind = model::ParseEventKind(*event);
  if (!kind) {
    return r.Fail("event", kind.error().message());
  }
  if (target_field != nullptr && *kind != m->kind) {
    return r.Fail("event", "\"" + *event + "\" contradicts " + target_field);
  }
  if (target_field == nullptr) {
    for (const TargetField& f : kTargetFields) {
      if (f.kind == *kind) {
        return r.Fail(f.name, std::string("is required when event is \"") + *event + "\"");
      }
    }
  }
  m->kind = *kind;
  return core::Status::Ok();
}

core::Result<model::Message> DecodeObject(Reader& r, const Json& obj) {
  model::Message m;
  ASSIGN_OR_RETURN(auto source, r.String(obj, "source", "source", true, true, kMaxFieldBytes));
  ASSIGN_OR_RETURN(auto source_id,
                   r.String(obj, "source_id", "source_id", false, false, kMaxFieldBytes));
  ASSIGN_OR_RETURN(auto channel, r.String(obj, "channel", "channel", true, true, kMaxFieldBytes));
  // value(), not *: required, so always set; GCC 12 -O2 cannot see that through the optional.
  const std::string channel_text = channel.value();
  std::string lower_channel = core::ToLowerAscii(channel_text);
  if (!model::IsKnownChannel(lower_channel)) {
    return r.Fail("channel", "unknown channel \"" +
                                 std::string(core::TruncateUtf8(channel_text, 32)) +
                                 "\" (known: " + std::string(model::KnownChannelsList()) + ")");
  }
  ASSIGN_OR_RETURN(auto conversation,
                   r.String(obj, "conversation", "conversation", true, true, kMaxFieldBytes));
  ASSIGN_OR_RETURN(auto from, r.String(obj, "from", "from", true, true, kMaxFieldBytes));
  ASSIGN_OR_RETURN(auto sent_at, r.String(obj, "sent_at", "sent_at", true, true, kMaxFieldBytes));
  const auto time = core::ParseRfc3339(*sent_at);
  if (!time) {
    return r.Fail("sent_at", time.error().message());
  }
  ASSIGN_OR_RETURN(auto direction,
                   r.String(obj, "direction", "direction", true, true, kMaxFieldBytes));
  const auto dir = model::ParseDirection(*direction);
  if (!dir) {
    return r.Fail("direction", dir.error().message());
  }
  ASSIGN_OR_RETURN(auto text, r.String(obj, "text", "text", false, false, model::kMaxTextBytes));
  RETURN_IF_ERROR(DecodeArrays(r, obj, &m));
  RETURN_IF_ERROR(DecodeEvent(r, obj, &m));
  ASSIGN_OR_RETURN(auto reply_to,
                   r.String(obj, "reply_to", "reply_to", false, true, kMaxFieldBytes));
  ASSIGN_OR_RETURN(auto forwarded_from,
                   r.String(obj, "forwarded_from", "forwarded_from", false, true, kMaxFieldBytes));

  m.source = std::move(*source);
  m.source_id = source_id ? std::move(*source_id) : std::string();
  m.channel = std::move(lower_channel);
  m.conversation = std::move(*conversation);
  m.from = std::move(*from);
  m.sent_at = *time;
  m.direction = *dir;
  m.text = text ? std::move(*text) : std::string();
  m.reply_to = reply_to ? std::move(*reply_to) : std::string();
  m.forwarded_from = forwarded_from ? std::move(*forwarded_from) : std::string();
  return m;
}

}  // namespace

core::Result<model::Message> DecodeMessage(std::string_view json, DecodeError* error) {
  Reader r;
  auto result = [&]() -> core::Result<model::Message> {
    if (json.size() > kMaxLineBytes) {
      return r.Fail("", "message is " + std::to_string(json.size()) +
                            " bytes of JSON, over the limit of " + std::to_string(kMaxLineBytes));
    }
    // Depth and element count are bounded before a document is built (core/json_reader.h).
    if (core::Status bounds = core::CheckJsonLimits(json, kMessageJsonLimits, "message");
        !bounds.ok()) {
      return r.Fail("", bounds.message());
    }
    const Json doc = Json::parse(json.begin(), json.end(), nullptr, /*allow_exceptions=*/false);
    if (doc.is_discarded()) {
      internal::JsonErrorLocation where = internal::LocateJsonError(json);
      return r.Fail(std::move(where.field), std::move(where.message));
    }
    if (!doc.is_object()) {
      return r.Fail("", "a message must be a JSON object, not " + TypeName(doc));
    }
    return DecodeObject(r, doc);
  }();
  if (!result && error != nullptr) {
    *error = r.error();
  }
  return result;
}

std::string EncodeMessage(const model::Message& m) {
  nlohmann::ordered_json out;
  out["source"] = m.source;
  out["source_id"] = m.source_id;
  out["channel"] = m.channel;
  out["conversation"] = m.conversation;
  out["from"] = m.from;
  out["to"] = m.to;
  out["sent_at"] = core::FormatRfc3339(m.sent_at);
  out["direction"] = std::string(model::DirectionName(m.direction));
  out["text"] = m.text;
  auto& attachments = out["attachments"] = nlohmann::ordered_json::array();
  for (const model::Attachment& a : m.attachments) {
    nlohmann::ordered_json item;
    item["name"] = a.name;
    item["mime"] = a.mime;
    item["size"] = a.size;
    item["sha256"] = a.sha256;
    if (!a.url.empty()) {
      item["url"] = a.url;
    }
    attachments.push_back(std::move(item));
  }
  for (const TargetField& f : kTargetFields) {
    if (m.kind == f.kind) {
      out[f.name] = m.target_source_id;
    }
  }
  if (m.kind == model::EventKind::kJoin || m.kind == model::EventKind::kLeave) {
    out["event"] = std::string(model::EventKindName(m.kind));
  }
  if (!m.reply_to.empty()) {
    out["reply_to"] = m.reply_to;
  }
  if (!m.forwarded_from.empty()) {
    out["forwarded_from"] = m.forwarded_from;
  }
  return out.dump(-1, ' ', /*ensure_ascii=*/false, Json::error_handler_t::replace);
}

}  // namespace custos::capture
