// SPDX-License-Identifier: Apache-2.0
#include "importers/whatsapp.h"

#include <map>
#include <set>
#include <utility>

#include "core/text.h"
#include "crypto/crypto.h"
#include "importers/line_stream.h"
#include "importers/whatsapp_body.h"
#include "importers/whatsapp_header.h"

namespace custos::importers {
namespace {

using whatsapp::DateOrder;
using whatsapp::Header;

constexpr std::size_t kMaxAuthors = 100'000;
constexpr std::size_t kMaxAttachmentBytes = std::size_t{256} << 20;
constexpr std::string_view kSource = "whatsapp-export";

// The chat text inside the bundle: "_chat.txt" (iOS), "WhatsApp Chat ....txt" (Android), or the
// only .txt file.
const BundleEntry* ChatEntry(const Bundle& bundle) {
  if (const BundleEntry* e = bundle.FindBaseName("_chat.txt")) {
    return e;
  }
  const BundleEntry* only = nullptr;
  int txt = 0;
  for (const BundleEntry& e : bundle.entries()) {
    const std::string_view base = BaseName(e.name);
    if (base.starts_with("WhatsApp Chat") || base.starts_with("WhatsApp-Chat")) {
      return &e;
    }
    if (base.ends_with(".txt") || bundle.kind() == Bundle::Kind::kFile) {
      only = &e;
      ++txt;
    }
  }
  return txt == 1 ? only : nullptr;
}

// "WhatsApp Chat with Alice.txt" -> "Alice"; "x.zip" -> "x".
std::string ChatNameFrom(std::string_view base) {
  for (std::string_view ext : {".txt", ".zip"}) {
    if (base.ends_with(ext)) {
      base.remove_suffix(ext.size());
    }
  }
  for (std::string_view prefix :
       {"WhatsApp Chat with ", "WhatsApp Chat - ", "WhatsApp-Chat mit ", "WhatsApp Chat mit "}) {
    if (base.starts_with(prefix)) {
      base.remove_prefix(prefix.size());
      break;
    }
  }
  return std::string(base);
}

class WhatsAppSource final : public Source {
 public:
  WhatsAppSource(const Bundle& bundle, ImportOptions options, std::string entry)
      : bundle_(bundle),
        options_(std::move(options)),
        entry_(std::move(entry)),
        display_(bundle.DisplayName(entry_)) {
    chat_ = !options_.chat_name.empty()       ? options_.chat_name
            : BaseName(entry_) == "_chat.txt" ? ChatNameFrom(BaseName(bundle.path()))
                                              : ChatNameFrom(BaseName(entry_));
    const BundleEntry* e = bundle.Find(entry_);
    total_ = e == nullptr ? -1 : e->size;
  }

  // Pass 1: date order and authors. Stops quietly at unreadable input; pass 2 reports it at
  // its position after returning everything before it.
  core::Status Prepare() {
    ASSIGN_OR_RETURN(std::unique_ptr<ByteStream> in, bundle_.OpenEntry(entry_));
    LineStream lines(std::move(in), display_);
    whatsapp::DateOrderGuesser guesser;
    whatsapp::AuthorGuesser authors(kMaxAuthors);
    authors.AddKnown(options_.custodian);
    for (const std::string& self : options_.self_identities) {
      authors.AddKnown(self);
    }
    bool first = true;
    for (;;) {
      auto line = lines.Next();
      if (!line.has_value() || !line->has_value()) {
        break;
      }
      if (first && core::TrimAscii(**line).empty()) {
        continue;
      }
      const std::optional<Header> h = whatsapp::ParseHeader(**line);
      if (first && !h) {
        return BadInput(Position::AtLine(display_, lines.line_number()),
                        "not a WhatsApp chat export: the first line has no date and time "
                        "header like \"31/12/21, 22:01 - Name: text\"");
      }
      first = false;
      if (!h) {
        continue;
      }
      guesser.Add(*h);
      if (!whatsapp::IosSystemText(h->rest, chat_, {})) {  // the chat's name is no author
        authors.Add(h->rest);
      }
    }
    order_ = guesser.Decide();
    authors_ = authors.Authors();
    ASSIGN_OR_RETURN(std::unique_ptr<ByteStream> again, bundle_.OpenEntry(entry_));
    lines_ = std::make_unique<LineStream>(std::move(again), display_);
    return core::Status::Ok();
  }

  std::vector<std::string> SenderNames() const override {
    return {authors_.begin(), authors_.end()};
  }

  core::Result<std::optional<Item>> Next() override {
    for (;;) {
      if (done_) {
        if (!deferred_error_.ok()) {
          core::Status e = std::exchange(deferred_error_, core::Status::Ok());
          return e;
        }
        return std::optional<Item>();
      }
      auto line = lines_->Next();
      if (!line.has_value()) {
        if (pending_) {  // return what came before; the error comes next time
          deferred_error_ = line.error();
          done_ = true;
          return Emit();
        }
        return line.error();
      }
      if (!line->has_value()) {
        done_ = true;
        if (pending_) {
          return Emit();
        }
        return std::optional<Item>();
      }
      std::optional<Header> h = whatsapp::ParseHeader(**line);
      if (!h) {
        if (pending_) {
          body_ += '\n';
          body_ += **line;
        }
        continue;
      }
      std::optional<Item> out;
      if (pending_) {
        ASSIGN_OR_RETURN(out, Emit());
      }
      pending_ = true;
      header_ = *h;
      header_line_ = lines_->line_number();
      header_rest_ = std::string(h->rest);
      header_.rest = {};
      body_.clear();
      if (out) {
        return out;
      }
    }
  }

  std::int64_t bytes_consumed() const override { return lines_->bytes_consumed(); }

  std::int64_t bytes_total() const override { return total_; }

 private:
  core::Result<std::optional<Item>> Emit() {
    pending_ = false;
    const Position where = Position::AtLine(display_, header_line_);
    const std::optional<core::Micros> local = whatsapp::HeaderTime(header_, order_);
    if (!local) {
      return std::optional<Item>(
          Item::Skipped(where, "invalid_date", "the header's date does not exist"));
    }
    Item item;
    item.position = where;
    model::Message& m = item.message;
    m.source = std::string(kSource);
    m.channel = "whatsapp";
    m.conversation = chat_;
    m.sent_at = *local - core::Micros{options_.utc_offset_minutes} * 60 * core::kMicrosPerSecond;
    const std::optional<std::string> ios_system =
        whatsapp::IosSystemText(header_rest_, chat_, authors_);
    const auto authored = whatsapp::SplitAuthor(header_rest_, authors_);
    if (ios_system) {
      m.from = std::string(kSystemSender);
      m.text = *ios_system + body_;
      m.kind = whatsapp::SystemLineKind(m.text);
      m.direction = model::Direction::kInternal;
    } else if (authored) {
      m.from = whatsapp::NormaliseSender(authored->name);
      m.text = std::string(authored->text) + body_;
      const bool self = options_.IsSelf(std::string(authored->name)) || options_.IsSelf(m.from);
      m.direction = self ? model::Direction::kOutbound : model::Direction::kInbound;
      if (self && !options_.custodian.empty()) {
        m.from = options_.custodian;
      }
      if (auto marker = whatsapp::FindMarker(m.text)) {
        ASSIGN_OR_RETURN(AttachmentData a, Attachment(*marker));
        m.text = marker->remaining;
        m.attachments.push_back(a.meta);
        item.attachments.push_back(std::move(a));
      }
    } else {
      m.from = std::string(kSystemSender);
      m.text = header_rest_ + body_;
      m.kind = whatsapp::SystemLineKind(m.text);
      m.direction = model::Direction::kInternal;
    }
    m.source_id = SourceId(m);
    return std::optional<Item>(std::move(item));
  }

  core::Result<AttachmentData> Attachment(const whatsapp::Marker& marker) {
    if (marker.omitted || marker.file_name.empty()) {
      return MissingAttachment(marker.file_name, MimeFromName(marker.file_name));
    }
    const BundleEntry* e = bundle_.FindBaseName(marker.file_name);
    if (e == nullptr) {
      return MissingAttachment(marker.file_name, MimeFromName(marker.file_name));
    }
    if (e->size > static_cast<std::int64_t>(kMaxAttachmentBytes)) {
      return OversizedAttachment(marker.file_name, MimeFromName(marker.file_name), e->size,
                                 static_cast<std::int64_t>(kMaxAttachmentBytes));
    }
    auto bytes = bundle_.ReadEntry(e->name, kMaxAttachmentBytes);
    if (!bytes.has_value()) {
      return BadInput(Position::AtLine(display_, header_line_), bytes.error().message());
    }
    return AttachmentFromBytes(marker.file_name, MimeFromName(marker.file_name), std::move(*bytes));
  }

  // Stable across runs: the content, plus how many identical messages came before in the same
  // second (two "ok" in one minute stay two messages).
  std::string SourceId(const model::Message& m) {
    if (m.sent_at != occurrence_time_) {
      occurrences_.clear();
      occurrence_time_ = m.sent_at;
    }
    std::string key = m.conversation + '\x1f' + m.from + '\x1f' + m.text;
    for (const auto& a : m.attachments) {
      key += '\x1f' + a.name;
    }
    const std::string digest = core::HexEncode(crypto::Sha256(key)).substr(0, 24);
    const int n = occurrences_[digest]++;
    return std::to_string(m.sent_at / core::kMicrosPerSecond) + "-" + digest +
           (n > 0 ? "-" + std::to_string(n) : "");
  }

  const Bundle& bundle_;
  ImportOptions options_;
  std::string entry_;
  std::string display_;
  std::string chat_;
  std::int64_t total_ = -1;
  std::set<std::string> authors_;
  DateOrder order_ = DateOrder::kDayFirst;
  std::unique_ptr<LineStream> lines_;
  bool done_ = false;
  core::Status deferred_error_;
  bool pending_ = false;
  Header header_;
  std::int64_t header_line_ = 0;
  std::string header_rest_;
  std::string body_;
  core::Micros occurrence_time_ = -1;
  std::map<std::string, int> occurrences_;
};

int Sniff(const Bundle& bundle) {
  const BundleEntry* e = ChatEntry(bundle);
  if (e == nullptr) {
    return 0;
  }
  auto head = bundle.Peek(e->name, 4096);
  if (!head.has_value()) {
    return 0;
  }
  std::string_view text = *head;
  if (text.starts_with("\xEF\xBB\xBF")) {
    text.remove_prefix(3);
  }
  const std::string_view first = text.substr(0, text.find('\n'));
  if (!whatsapp::ParseHeader(first)) {
    return 0;
  }
  return BaseName(e->name) == "_chat.txt" ? 95 : 90;
}

core::Result<std::unique_ptr<Source>> Open(const Bundle& bundle, const ImportOptions& options) {
  const BundleEntry* e = ChatEntry(bundle);
  if (e == nullptr) {
    return core::InvalidArgument(bundle.path() +
                                 ": no WhatsApp chat text in it (expected _chat.txt, "
                                 "\"WhatsApp Chat with NAME.txt\" or a single .txt file)");
  }
  auto source = std::make_unique<WhatsAppSource>(bundle, options, e->name);
  RETURN_IF_ERROR(source->Prepare());
  return std::unique_ptr<Source>(std::move(source));
}

}  // namespace

const Format& WhatsAppFormat() {
  static const Format kFormat{"whatsapp",
                              "WhatsApp \"Export chat\" text, with or without the media zip", "1",
                              &Sniff, &Open};
  return kFormat;
}

}  // namespace custos::importers
