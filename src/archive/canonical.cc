// SPDX-License-Identifier: Apache-2.0
#include "archive/canonical.h"

namespace custos::archive {
namespace {

void AppendString(std::string_view s, std::string* out) {
  static constexpr char kHex[] = "0123456789abcdef";
  out->push_back('"');
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"':
        out->append("\\\"");
        break;
      case '\\':
        out->append("\\\\");
        break;
      case '\b':
        out->append("\\b");
        break;
      case '\f':
        out->append("\\f");
        break;
      case '\n':
        out->append("\\n");
        break;
      case '\r':
        out->append("\\r");
        break;
      case '\t':
        out->append("\\t");
        break;
      default:
        if (c < 0x20) {
          out->append("\\u00");
          out->push_back(kHex[c >> 4]);
          out->push_back(kHex[c & 0x0F]);
        } else {
          out->push_back(ch);
        }
    }
  }
  out->push_back('"');
}

}  // namespace

void CanonicalValue::AppendTo(std::string* out) const {
  if (std::holds_alternative<std::nullptr_t>(v_)) {
    out->append("null");
  } else if (const bool* b = std::get_if<bool>(&v_)) {
    out->append(*b ? "true" : "false");
  } else if (const std::int64_t* n = std::get_if<std::int64_t>(&v_)) {
    out->append(std::to_string(*n));
  } else if (const std::string* s = std::get_if<std::string>(&v_)) {
    AppendString(*s, out);
  } else if (const auto* a = std::get_if<std::shared_ptr<Array>>(&v_)) {
    out->push_back('[');
    bool first = true;
    for (const CanonicalValue& item : **a) {
      if (!first) {
        out->push_back(',');
      }
      first = false;
      item.AppendTo(out);
    }
    out->push_back(']');
  } else {
    const auto& o = std::get<std::shared_ptr<Object>>(v_);
    out->push_back('{');
    bool first = true;
    for (const auto& [key, value] : *o) {
      if (!first) {
        out->push_back(',');
      }
      first = false;
      AppendString(key, out);
      out->push_back(':');
      value.AppendTo(out);
    }
    out->push_back('}');
  }
}

std::string CanonicalValue::Serialize() const {
  std::string out;
  AppendTo(&out);
  return out;
}

std::string EncodeRecord(std::int64_t record_id, std::string_view kind, core::Micros at,
                         CanonicalValue::Object body) {
  const CanonicalValue envelope(CanonicalValue::Object{
      {"at", core::FormatRfc3339(at)},
      {"body", std::move(body)},
      {"id", record_id},
      {"kind", kind},
      {"v", 1},
  });
  return envelope.Serialize();
}

CanonicalValue::Object MessageBody(const model::Message& m) {
  CanonicalValue::Array to;
  for (const std::string& r : m.to) {
    to.emplace_back(r);
  }
  CanonicalValue::Array attachments;
  for (const model::Attachment& a : m.attachments) {
    CanonicalValue::Object attachment{
        {"mime", a.mime}, {"name", a.name}, {"sha256", a.sha256}, {"size", a.size}};
    if (!a.url.empty()) {
      attachment.emplace("url", a.url);
    }
    attachments.emplace_back(std::move(attachment));
  }
  CanonicalValue::Object body{
      {"attachments", std::move(attachments)},
      {"channel", m.channel},
      {"conversation", m.conversation},
      {"direction", model::DirectionName(m.direction)},
      {"event", model::EventKindName(m.kind)},
      {"from", m.from},
      {"message_id", m.id},
      {"sent_at", core::FormatRfc3339(m.sent_at)},
      {"source", m.source},
      {"source_id", m.source_id},
      {"text", m.text},
      {"to", std::move(to)},
  };
  if (!m.target_source_id.empty()) {
    body.emplace("target", m.target_source_id);
  }
  if (m.import_run != 0) {
    body.emplace("import_run", m.import_run);
  }
  if (!m.reply_to.empty()) {
    body.emplace("reply_to", m.reply_to);
  }
  if (!m.forwarded_from.empty()) {
    body.emplace("forwarded_from", m.forwarded_from);
  }
  if (!m.principal.empty()) {
    body.emplace("principal", m.principal);
  }
  if (!m.device.empty()) {
    body.emplace("device", m.device);
  }
  return body;
}

}  // namespace custos::archive
