// SPDX-License-Identifier: Apache-2.0
#include "importers/telegram_message.h"

#include <charconv>

#include "core/time.h"
#include "importers/json_fields.h"

namespace custos::importers::telegram {
namespace {

using nlohmann::json;

constexpr std::string_view kSource = "telegram-export";
constexpr std::size_t kMaxAttachmentBytes = std::size_t{256} << 20;

// A number or a string id as text ("user123", 123 -> "user123" when `prefix` is given).
std::string IdText(const json& v, std::string_view prefix) {
  if (v.is_number_integer()) {
    return std::string(prefix) + std::to_string(v.get<std::int64_t>());
  }
  if (v.is_string()) {
    return v.get<std::string>();
  }
  return "";
}

// `text` as a string, or an array of strings and {type, text} entities.
bool FlattenText(const json& t, std::string* out) {
  if (t.is_string()) {
    *out = t.get<std::string>();
    return true;
  }
  if (!t.is_array()) {
    return false;
  }
  for (const json& part : t) {
    if (part.is_string()) {
      *out += part.get<std::string>();
    } else if (part.is_object() && part.contains("text") && part["text"].is_string()) {
      *out += part["text"].get<std::string>();
    } else {
      return false;
    }
  }
  return true;
}

std::optional<core::Micros> Time(const json& m, const char* unix_key, const char* local_key,
                                 const ImportOptions& options) {
  if (m.contains(unix_key)) {
    const json& u = m[unix_key];
    std::int64_t seconds = 0;
    if (u.is_number_integer()) {
      seconds = u.get<std::int64_t>();
    } else if (u.is_string()) {
      const std::string s = u.get<std::string>();
      if (std::from_chars(s.data(), s.data() + s.size(), seconds).ec != std::errc()) {
        return std::nullopt;
      }
    } else {
      return std::nullopt;
    }
    return core::SecondsToMicros(seconds);  // nullopt (invalid_date) when out of range
  }
  if (m.contains(local_key) && m[local_key].is_string()) {
    auto t = core::ParseRfc3339(m[local_key].get<std::string>() + "Z");
    if (!t.has_value()) {
      return std::nullopt;
    }
    return *t - core::Micros{options.utc_offset_minutes} * 60 * core::kMicrosPerSecond;
  }
  return std::nullopt;
}

model::EventKind ServiceKind(std::string_view action) {
  if (action == "create_group" || action == "invite_members" || action == "join_group_by_link" ||
      action == "create_channel" || action == "migrate_from_group") {
    return model::EventKind::kJoin;
  }
  if (action == "remove_members") {
    return model::EventKind::kLeave;
  }
  return model::EventKind::kMessage;
}

// A media field ("photo", "file"): the file from the export folder or zip when present,
// otherwise a missing attachment (the "(File not included...)" placeholder).
AttachmentData Media(const json& m, const Bundle& bundle) {
  for (const char* key : {"photo", "file", "thumbnail"}) {
    if (!m.contains(key) || !m[key].is_string()) {
      continue;
    }
    const std::string path = m[key].get<std::string>();
    std::string name = m.contains("file_name") && m["file_name"].is_string()
                           ? m["file_name"].get<std::string>()
                           : std::string(BaseName(path));
    const std::string mime = m.contains("mime_type") && m["mime_type"].is_string()
                                 ? m["mime_type"].get<std::string>()
                                 : MimeFromName(name);
    if (path.starts_with("(")) {
      return MissingAttachment(name.starts_with("(") ? "" : name, mime);
    }
    std::string entry = path;
    if (bundle.Find(entry) == nullptr) {
      for (const BundleEntry& e : bundle.entries()) {
        if (e.name.ends_with("/" + path)) {
          entry = e.name;
        }
      }
    }
    if (const BundleEntry* e = bundle.Find(entry);
        e != nullptr && e->size > static_cast<std::int64_t>(kMaxAttachmentBytes)) {
      return OversizedAttachment(name, mime, e->size,
                                 static_cast<std::int64_t>(kMaxAttachmentBytes));
    }
    if (bundle.Find(entry) != nullptr) {
      if (auto bytes = bundle.ReadEntry(entry, kMaxAttachmentBytes); bytes.has_value()) {
        return AttachmentFromBytes(name, mime, std::move(*bytes));
      }
    }
    return MissingAttachment(name, mime);
  }
  return MissingAttachment("", "application/octet-stream");
}

// The id of the message `m` replies to, in the form of our source ids ("<chat id>:<id>"), or "".
// A reply to a message of another chat names that chat (`reply_to_peer_id`).
std::string ReplyTo(const json& m, const Chat& chat) {
  if (!m.contains("reply_to_message_id")) {
    return "";
  }
  const std::string id = IdText(m["reply_to_message_id"], "");
  if (id.empty()) {
    return "";
  }
  std::string peer = chat.id;
  if (m.contains("reply_to_peer_id")) {
    const std::string other = IdText(m["reply_to_peer_id"], "");
    const std::size_t digits = other.find_first_of("-0123456789");
    if (digits != std::string::npos) {
      peer = other.substr(digits);  // "channel123" -> "123", as chat ids are written
    }
  }
  return peer + ":" + id;
}

// The original author of a forwarded message (or of a message saved to Saved Messages).
std::string ForwardedFrom(const json& m) {
  for (const char* key : {"forwarded_from", "forwarded_from_id", "saved_from"}) {
    if (m.contains(key)) {
      std::string who = IdText(m[key], "user");
      if (!who.empty()) {
        return who;
      }
    }
  }
  return "";
}

bool HasMedia(const json& m) {
  return m.contains("photo") || m.contains("file") || m.contains("media_type");
}

}  // namespace

void MapMessage(const json& m, const Chat& chat, const Position& where,
                const ImportOptions& options, const Bundle& bundle, std::vector<Item>* out) {
  if (!m.is_object()) {
    out->push_back(Item::Skipped(where, "invalid_message", "a message is not a JSON object"));
    return;
  }
  const std::string type = StringField(m, "type");
  if (type != "message" && type != "service") {
    out->push_back(Item::Skipped(where, "unsupported_type",
                                 "message type \"" + type + "\" is not message or service"));
    return;
  }
  Item item;
  item.position = where;
  const std::string id = m.contains("id") ? IdText(m["id"], "") : "";
  if (!id.empty()) {
    item.position.item = "message " + id;
  }
  const auto sent = Time(m, "date_unixtime", "date", options);
  if (!sent) {
    out->push_back(Item::Skipped(item.position, "invalid_date", "no valid date or date_unixtime"));
    return;
  }
  model::Message& msg = item.message;
  msg.source = std::string(kSource);
  msg.channel = "telegram";
  msg.conversation = !chat.id.empty()             ? "telegram:" + chat.id
                     : !chat.name.empty()         ? chat.name
                     : !options.chat_name.empty() ? options.chat_name
                                                  : "telegram:saved";
  msg.sent_at = *sent;
  const bool service = type == "service";
  const char* id_key = service ? "actor_id" : "from_id";
  const char* name_key = service ? "actor" : "from";
  // Old exports write numeric ids; a numeric id equal to a channel's own id is the channel
  // posting, any other is a user.
  const bool channel = chat.type.ends_with("channel");
  const bool own_id = m.contains(id_key) && m[id_key].is_number_integer() &&
                      std::to_string(m[id_key].get<std::int64_t>()) == chat.id;
  const std::string from_id =
      m.contains(id_key) ? IdText(m[id_key], channel && own_id ? "channel" : "user") : "";
  const std::string from_name =
      m.contains(name_key) && m[name_key].is_string() ? m[name_key].get<std::string>() : "";
  msg.from = !from_id.empty() ? from_id : !from_name.empty() ? from_name : chat.name;
  if (msg.from.empty()) {
    out->push_back(Item::Skipped(item.position, "no_sender", "no from, from_id, actor or chat"));
    return;
  }
  const bool self = options.IsSelf(from_id) || options.IsSelf(from_name);
  msg.direction = self ? model::Direction::kOutbound : model::Direction::kInbound;
  if (m.contains("text") && !FlattenText(m["text"], &msg.text)) {
    out->push_back(Item::Skipped(item.position, "invalid_text",
                                 "\"text\" is neither a string nor an array of text parts"));
    return;
  }
  if (service) {
    const std::string action = StringField(m, "action");
    msg.kind = ServiceKind(action);
    msg.direction = model::Direction::kInternal;
    std::string detail = action;
    if (m.contains("title") && m["title"].is_string()) {
      detail += " \"" + m["title"].get<std::string>() + "\"";
    }
    if (m.contains("members") && m["members"].is_array()) {
      for (const json& member : m["members"]) {
        if (member.is_string()) {
          msg.to.push_back(member.get<std::string>());
        }
      }
    }
    msg.text = msg.text.empty() ? detail : detail + ": " + msg.text;
  } else if (HasMedia(m)) {
    AttachmentData a = Media(m, bundle);
    msg.attachments.push_back(a.meta);
    item.attachments.push_back(std::move(a));
  }
  if (!id.empty()) {
    msg.source_id = (chat.id.empty() ? msg.conversation : chat.id) + ":" + id;
  }
  if (!service) {
    msg.reply_to = ReplyTo(m, chat);
    msg.forwarded_from = ForwardedFrom(m);
  }
  const auto edited = Time(m, "edited_unixtime", "edited", options);
  out->push_back(std::move(item));
  if (edited && !id.empty()) {
    Item edit;
    edit.position = out->back().position;
    edit.message = out->back().message;
    edit.message.kind = model::EventKind::kEdit;
    edit.message.target_source_id = edit.message.source_id;
    edit.message.source_id += ":edit:" + std::to_string(*edited / core::kMicrosPerSecond);
    edit.message.sent_at = *edited;
    edit.message.attachments.clear();
    edit.message.reply_to.clear();
    edit.message.forwarded_from.clear();
    out->push_back(std::move(edit));
  }
}

}  // namespace custos::importers::telegram
