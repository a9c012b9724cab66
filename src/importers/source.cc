// SPDX-License-Identifier: Apache-2.0
#include "importers/source.h"

#include <algorithm>
#include <array>
#include <utility>

#include "core/text.h"
#include "crypto/crypto.h"

namespace custos::importers {

Position Position::AtLine(std::string file, std::int64_t line, std::int64_t column) {
  Position p;
  p.file = std::move(file);
  p.line = line;
  p.column = column;
  return p;
}

std::string Position::ToString() const {
  std::string out = file.empty() ? "<input>" : file;
  if (line > 0) {
    out += ':' + std::to_string(line);
    if (column > 0) {
      out += ':' + std::to_string(column);
    }
  } else if (offset >= 0) {
    out += '@' + std::to_string(offset);
  }
  if (!item.empty()) {
    out += " (" + item + ')';
  }
  return out;
}

core::Status BadInput(const Position& where, std::string_view why) {
  return core::InvalidArgument(where.ToString() + ": " + std::string(why));
}

AttachmentData AttachmentFromBytes(std::string name, std::string mime, std::string bytes) {
  AttachmentData a;
  a.meta.name = std::move(name);
  a.meta.mime = std::move(mime);
  a.meta.size = static_cast<std::int64_t>(bytes.size());
  a.meta.sha256 = core::HexEncode(crypto::Sha256(bytes));
  a.bytes = std::move(bytes);
  return a;
}

AttachmentData MissingAttachment(std::string name, std::string mime) {
  AttachmentData a;
  a.meta.name = std::move(name);
  a.meta.mime = std::move(mime);
  a.missing = true;
  return a;
}

AttachmentData OversizedAttachment(std::string name, std::string mime, std::int64_t size,
                                   std::int64_t limit) {
  AttachmentData a = MissingAttachment(name, std::move(mime));
  a.meta.size = size;
  a.not_stored = name + ": " + std::to_string(size >> 20) + " MiB, over the " +
                 std::to_string(limit >> 20) + " MiB limit of one attachment";
  return a;
}

std::string MimeFromName(std::string_view name) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 22> kTypes = {{
      {"jpg", "image/jpeg"},
      {"jpeg", "image/jpeg"},
      {"png", "image/png"},
      {"gif", "image/gif"},
      {"webp", "image/webp"},
      {"heic", "image/heic"},
      {"mp4", "video/mp4"},
      {"mov", "video/quicktime"},
      {"3gp", "video/3gpp"},
      {"opus", "audio/ogg"},
      {"ogg", "audio/ogg"},
      {"mp3", "audio/mpeg"},
      {"m4a", "audio/mp4"},
      {"aac", "audio/aac"},
      {"pdf", "application/pdf"},
      {"txt", "text/plain"},
      {"vcf", "text/vcard"},
      {"zip", "application/zip"},
      {"doc", "application/msword"},
      {"xlsx",
       "application/vnd.openxmlformats-officedocument."
       "spreadsheetml.sheet"},
      {"docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
      {"tgs", "application/x-tgsticker"},
  }};
  const std::size_t dot = name.rfind('.');
  if (dot != std::string_view::npos) {
    const std::string ext = core::ToLowerAscii(name.substr(dot + 1));
    for (const auto& [e, mime] : kTypes) {
      if (ext == e) {
        return std::string(mime);
      }
    }
  }
  return "application/octet-stream";
}

Item Item::Skipped(Position where, std::string kind, std::string reason) {
  Item item;
  item.kind = Kind::kSkipped;
  item.position = std::move(where);
  item.skip_kind = std::move(kind);
  item.skip_reason = std::move(reason);
  return item;
}

bool ImportOptions::IsSelf(std::string_view name) const {
  if (!custodian.empty() && name == custodian) {
    return true;
  }
  return std::find(self_identities.begin(), self_identities.end(), name) != self_identities.end();
}

}  // namespace custos::importers
