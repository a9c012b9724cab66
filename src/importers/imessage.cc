// SPDX-License-Identifier: Apache-2.0
#include "importers/imessage.h"

#include <algorithm>
#include <deque>
#include <filesystem>
#include <fstream>
#include <map>

#include "importers/imessage_body.h"
#include "importers/sql/imessage_chat_db.h"
#include "storage/foreign_sqlite.h"

namespace custos::importers {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kSource = "imessage-db";
constexpr std::string_view kOwner = "device-owner";
constexpr std::int64_t kBatch = 500;
// Attachments larger than this are recorded by name and size only.
constexpr std::int64_t kMaxAttachmentBytes = std::int64_t{256} << 20;
constexpr std::string_view kSqliteMagic{"SQLite format 3\0", 16};

// Column readers that accept whatever type SQLite's dynamic typing put there (a hand-edited or
// damaged chat.db must not crash the import): numbers as text, text as 0.
std::string Text(const storage::Row& r, std::size_t col) {
  const storage::Value& v = r.Get(col);
  if (const auto* s = std::get_if<std::string>(&v)) {
    return *s;
  }
  if (const auto* b = std::get_if<storage::Blob>(&v)) {
    return b->bytes;
  }
  if (const auto* n = std::get_if<std::int64_t>(&v)) {
    return std::to_string(*n);
  }
  return {};
}

std::int64_t Int(const storage::Row& r, std::size_t col) {
  const storage::Value& v = r.Get(col);
  if (const auto* n = std::get_if<std::int64_t>(&v)) {
    return *n;
  }
  if (const auto* d = std::get_if<double>(&v)) {
    return static_cast<std::int64_t>(*d);
  }
  return 0;
}

class IMessageSource final : public Source {
 public:
  IMessageSource(std::unique_ptr<storage::ForeignSqlite> db, std::string path, std::string query,
                 ImportOptions options)
      : db_(std::move(db)),
        path_(std::move(path)),
        display_(fs::path(path_).filename().string()),
        query_(std::move(query)),
        options_(std::move(options)),
        owner_(options_.custodian.empty() ? std::string(kOwner) : options_.custodian) {}

  core::Result<std::optional<Item>> Next() override {
    if (queue_.empty() && !done_) {
      RETURN_IF_ERROR(Fetch());
    }
    if (queue_.empty()) {
      return std::optional<Item>();
    }
    Item item = std::move(queue_.front());
    queue_.pop_front();
    return std::optional<Item>(std::move(item));
  }

  std::int64_t bytes_consumed() const override { return done_ ? 1 : 0; }

  std::int64_t bytes_total() const override { return -1; }

 private:
  core::Status Fetch() {
    std::vector<storage::Row> rows;
    RETURN_IF_ERROR(
        sql::EachMessageAfter(*db_, query_, last_rowid_, kBatch, [&](const storage::Row& row) {
          rows.push_back(row);
          return true;
        }));
    done_ = static_cast<std::int64_t>(rows.size()) < kBatch;
    for (const storage::Row& row : rows) {
      last_rowid_ = Int(row, 0);
      events_.clear();
      ASSIGN_OR_RETURN(Item item, Map(row));
      queue_.push_back(std::move(item));
      for (Item& event : events_) {
        queue_.push_back(std::move(event));
      }
    }
    return core::Status::Ok();
  }

  core::Result<Item> Map(const storage::Row& r) {
    Position where;
    where.file = display_;
    where.item = "ROWID " + std::to_string(Int(r, 0));
    const std::string guid = Text(r, 1);
    if (guid.empty()) {
      return Item::Skipped(where, "missing_field", "message has no guid");
    }
    Item item;
    item.position = where;
    model::Message& m = item.message;
    m.source = kSource;
    m.source_id = guid;
    const std::string service = Text(r, 6);
    m.channel = service == "SMS" ? "sms" : service == "RCS" ? "rcs" : "imessage";
    m.sent_at = AppleTimeToMicros(Int(r, 4));
    const std::string handle = NormaliseHandle(Text(r, 7), options_.default_region);
    const std::int64_t chat = Int(r, 8);
    m.conversation = !Text(r, 9).empty() ? Text(r, 9) : handle;
    ASSIGN_OR_RETURN(std::vector<std::string> members, Members(chat));
    if (members.empty() && !handle.empty()) {
      members.push_back(handle);
    }
    if (Int(r, 5) != 0) {
      m.direction = model::Direction::kOutbound;
      m.from = owner_;
      m.to = members;
    } else {
      m.direction = model::Direction::kInbound;
      m.from = handle;
      m.to.push_back(owner_);
      for (const std::string& other : members) {
        if (other != handle) {
          m.to.push_back(other);
        }
      }
    }
    if (m.from.empty()) {
      return Item::Skipped(where, "missing_field", "an incoming message without a handle");
    }
    if (m.conversation.empty()) {
      m.conversation = m.from;
    }
    m.text = Text(r, 2);
    if (m.text.empty() && !r.IsNull(10)) {
      if (std::optional<std::string> body = TypedStreamText(Text(r, 10))) {
        m.text = std::move(*body);
      }
    }
    if (const std::optional<std::string> tapback = TapbackName(Int(r, 12))) {
      m.kind = model::EventKind::kReaction;
      m.target_source_id = std::string(TapbackTargetGuid(Text(r, 11)));
      m.text = *tapback;
      return item;
    }
    std::optional<MessageSummary> summary;
    if (!r.IsNull(13)) {
      summary = ParseMessageSummary(Text(r, 13));
    }
    if (summary) {  // edited: the message as first sent, then one edit event per later version
      std::string original;
      for (const std::vector<EditedVersion>& part : summary->edited_parts) {
        if (!part.front().text.empty()) {
          original += (original.empty() ? "" : "\n") + part.front().text;
        }
      }
      if (!original.empty()) {
        m.text = std::move(original);
      }
    }
    m.reply_to = Text(r, 15);  // an inline reply: the guid of the message it answers
    RETURN_IF_ERROR(Attachments(Int(r, 0), item));
    if (summary) {
      AddSummaryEvents(*summary, Int(r, 14), item);
    }
    if (m.text.empty() && m.attachments.empty()) {
      if (!events_.empty() && events_.back().message.kind == model::EventKind::kDelete) {
        Item unsent = std::move(events_.back());  // unsent: its text is gone, the event stays
        events_.pop_back();
        return unsent;
      }
      return Item::Skipped(where, "empty", "no text, no readable attributedBody, no attachment");
    }
    return item;
  }

  // An event about `of`: same conversation and parties, no text or attachments.
  static Item EventAbout(const Item& of, model::EventKind kind, const std::string& suffix) {
    Item e;
    e.position = of.position;
    e.message = of.message;
    e.message.attachments.clear();
    e.message.text.clear();
    e.message.kind = kind;
    e.message.target_source_id = of.message.source_id;
    e.message.source_id += suffix;
    return e;
  }

  // Edit events for every version after the first of each edited part (source id
  // "GUID:edit:N"), and a delete event ("GUID:unsent", at date_edited) when a part was unsent.
  void AddSummaryEvents(const MessageSummary& s, std::int64_t date_edited, const Item& item) {
    int n = 0;
    for (const std::vector<EditedVersion>& part : s.edited_parts) {
      for (std::size_t v = 1; v < part.size(); ++v) {
        Item e = EventAbout(item, model::EventKind::kEdit, ":edit:" + std::to_string(++n));
        e.message.sent_at = part[v].at;
        e.message.text = part[v].text;
        events_.push_back(std::move(e));
      }
    }
    if (!s.unsent_parts.empty()) {
      Item e = EventAbout(item, model::EventKind::kDelete, ":unsent");
      e.message.sent_at = date_edited != 0 ? AppleTimeToMicros(date_edited) : item.message.sent_at;
      events_.push_back(std::move(e));
    }
  }

  core::Result<std::vector<std::string>> Members(std::int64_t chat) {
    if (chat == 0) {
      return std::vector<std::string>();
    }
    if (const auto it = members_.find(chat); it != members_.end()) {
      return it->second;
    }
    std::vector<std::string> out;
    RETURN_IF_ERROR(sql::EachChatMember(*db_, chat, [&](const storage::Row& row) {
      out.push_back(NormaliseHandle(Text(row, 0), options_.default_region));
      return true;
    }));
    members_[chat] = out;
    return out;
  }

  core::Status Attachments(std::int64_t rowid, Item& item) {
    std::vector<storage::Row> rows;
    RETURN_IF_ERROR(sql::EachMessageAttachment(*db_, rowid, [&](const storage::Row& row) {
      rows.push_back(row);
      return true;
    }));
    for (const storage::Row& a : rows) {
      const std::string filename = Text(a, 0);
      std::string name = Text(a, 2).empty() ? fs::path(filename).filename().string() : Text(a, 2);
      std::string mime = Text(a, 1).empty() ? MimeFromName(name) : Text(a, 1);
      AttachmentData data = MissingAttachment(name, mime);
      data.meta.size = Int(a, 3);
      if (std::optional<std::string> bytes = ReadAttachment(filename)) {
        data = AttachmentFromBytes(std::move(name), std::move(mime), std::move(*bytes));
      }
      item.message.attachments.push_back(data.meta);
      item.attachments.push_back(std::move(data));
    }
    return core::Status::Ok();
  }

  // "~/Library/Messages/Attachments/..." resolves next to the chat.db.
  std::optional<std::string> ReadAttachment(const std::string& filename) const {
    if (filename.empty()) {
      return std::nullopt;
    }
    fs::path p(filename);
    constexpr std::string_view kHome = "~/Library/Messages/";
    if (filename.starts_with(kHome)) {
      p = fs::path(path_).parent_path() / filename.substr(kHome.size());
    } else if (p.is_relative()) {
      p = fs::path(path_).parent_path() / p;
    }
    std::error_code ec;
    const auto size = fs::file_size(p, ec);
    if (ec || static_cast<std::int64_t>(size) > kMaxAttachmentBytes) {
      return std::nullopt;
    }
    std::ifstream in(p, std::ios::binary);
    std::string bytes(size, '\0');
    if (!in.read(bytes.data(), static_cast<std::streamsize>(size))) {
      return std::nullopt;
    }
    return bytes;
  }

  std::unique_ptr<storage::ForeignSqlite> db_;
  std::string path_;
  std::string display_;
  std::string query_;  // sql::MessageQuery for this chat.db
  ImportOptions options_;
  std::string owner_;
  std::map<std::int64_t, std::vector<std::string>> members_;
  std::deque<Item> queue_;
  std::vector<Item> events_;  // the edit and delete events of the row being mapped
  std::int64_t last_rowid_ = 0;
  bool done_ = false;
};

// The chat.db of a bundle: the file itself, or "chat.db" in a directory.
std::optional<std::string> DatabasePath(const Bundle& bundle) {
  if (bundle.kind() == Bundle::Kind::kFile) {
    return bundle.path();
  }
  if (bundle.kind() == Bundle::Kind::kDirectory) {
    if (const BundleEntry* e = bundle.FindBaseName("chat.db")) {
      return (fs::path(bundle.path()) / e->name).string();
    }
  }
  return std::nullopt;
}

int Sniff(const Bundle& bundle) {
  const std::optional<std::string> path = DatabasePath(bundle);
  if (!path || bundle.entries().empty()) {
    return 0;
  }
  const BundleEntry* e = bundle.kind() == Bundle::Kind::kFile ? &bundle.entries().front()
                                                              : bundle.FindBaseName("chat.db");
  core::Result<std::string> head = bundle.Peek(e->name, kSqliteMagic.size());
  if (!head || *head != kSqliteMagic) {
    return 0;
  }
  return BaseName(e->name) == "chat.db" ? 95 : 30;
}

core::Result<std::unique_ptr<Source>> Open(const Bundle& bundle, const ImportOptions& options) {
  const std::optional<std::string> path = DatabasePath(bundle);
  if (!path) {
    return core::InvalidArgument(bundle.path() +
                                 ": no chat.db (give the file, or the folder that holds it; "
                                 "unzip an archive first)");
  }
  ASSIGN_OR_RETURN(std::unique_ptr<storage::ForeignSqlite> db, storage::OpenForeignSqlite(*path));
  ASSIGN_OR_RETURN(std::vector<std::string> columns, db->Columns("message"));
  const auto has = [&](std::string_view c) {
    return std::find(columns.begin(), columns.end(), c) != columns.end();
  };
  for (std::string_view required : {"guid", "text", "handle_id", "date", "is_from_me"}) {
    if (!has(required)) {
      return core::InvalidArgument(*path + ": not a Messages chat.db (table message has no " +
                                   std::string(required) + " column)");
    }
  }
  return std::unique_ptr<Source>(
      std::make_unique<IMessageSource>(std::move(db), *path, sql::MessageQuery(columns), options));
}

}  // namespace

const Format& IMessageFormat() {
  static const Format kFormat{
      .name = "imessage",
      .description = "macOS Messages chat.db (read-only)",
      .version = "1",
      .sniff = &Sniff,
      .open = &Open,
  };
  return kFormat;
}

}  // namespace custos::importers
