// SPDX-License-Identifier: Apache-2.0
#include "importers/slack.h"

#include <charconv>

#include "importers/json_fields.h"
#include "importers/slack_mrkdwn.h"

namespace custos::importers {
namespace {

using nlohmann::json;

constexpr std::string_view kSource = "slack-export";

// "2024-01-31.json"
bool IsDayFile(std::string_view base) {
  if (base.size() != 15 || !base.ends_with(".json")) {
    return false;
  }
  for (std::size_t i = 0; i < 10; ++i) {
    const bool dash = i == 4 || i == 7;
    if (dash ? base[i] != '-' : (base[i] < '0' || base[i] > '9')) {
      return false;
    }
  }
  return true;
}

std::string Identity(const std::string& user_id, const SlackWorkspace& ws) {
  const SlackUser* u = ws.FindUser(user_id);
  return u != nullptr ? u->Identity() : user_id;
}

std::string Text(const json& m, const SlackWorkspace& ws) {
  std::string text = ResolveSlackMrkdwn(StringField(m, "text"), ws);
  if (text.empty()) {
    if (const auto b = m.find("blocks"); b != m.end()) {
      text = SlackBlocksText(*b, ws);
    }
  }
  return text;
}

std::vector<AttachmentData> Files(const json& m) {
  std::vector<AttachmentData> out;
  const auto files = m.find("files");
  if (files == m.end() || !files->is_array()) {
    return out;
  }
  for (const json& f : *files) {
    if (!f.is_object()) {
      continue;
    }
    std::string name = StringField(f, "name");
    if (name.empty()) {
      name = StringField(f, "title");
    }
    std::string mime = StringField(f, "mimetype");
    AttachmentData a = MissingAttachment(name, mime.empty() ? MimeFromName(name) : mime);
    if (const auto size = f.find("size"); size != f.end() && size->is_number_integer()) {
      a.meta.size = size->get<std::int64_t>();
    }
    a.meta.url = StringField(f, "url_private");  // the export has no content, only where it lives
    if (a.meta.url.empty()) {
      a.meta.url = StringField(f, "permalink");
    }
    out.push_back(std::move(a));
  }
  return out;
}

class SlackSource final : public Source {
 public:
  SlackSource(const Bundle& bundle, SlackWorkspace ws) : bundle_(bundle), ws_(std::move(ws)) {
    for (const BundleEntry& e : bundle_.entries()) {
      total_ += e.size;
    }
  }

  core::Result<std::optional<Item>> Next() override {
    while (true) {
      if (day_ != nullptr && index_ < day_->size()) {
        const SlackConversation& conv = ws_.conversations[conv_index_];
        Position where;
        where.file = bundle_.DisplayName(days_[day_index_ - 1]);
        where.item = "[" + std::to_string(index_) + "]";
        return std::optional<Item>(MapSlackMessage((*day_)[index_++], conv, ws_, where));
      }
      if (day_index_ < days_.size()) {
        const std::string& name = days_[day_index_++];
        ASSIGN_OR_RETURN(json day, ParseSlackJsonArray(bundle_, name));
        day_ = std::make_unique<json>(std::move(day));
        index_ = 0;
        if (const BundleEntry* e = bundle_.Find(name)) {
          consumed_ += e->size;
        }
        continue;
      }
      day_.reset();
      if (next_conv_ == ws_.conversations.size()) {
        return std::optional<Item>();
      }
      conv_index_ = next_conv_++;
      ListDays(ws_.conversations[conv_index_].folder);
    }
  }

  std::int64_t bytes_consumed() const override { return consumed_; }

  std::int64_t bytes_total() const override { return total_; }

 private:
  void ListDays(const std::string& folder) {
    days_.clear();
    day_index_ = 0;
    for (const BundleEntry& e : bundle_.entries()) {
      if (e.name.starts_with(folder) && e.name.find('/', folder.size()) == std::string::npos &&
          IsDayFile(BaseName(e.name))) {
        days_.push_back(e.name);
      }
    }
  }

  const Bundle& bundle_;
  SlackWorkspace ws_;
  std::size_t next_conv_ = 0;
  std::size_t conv_index_ = 0;
  std::vector<std::string> days_;
  std::size_t day_index_ = 0;
  std::unique_ptr<json> day_;
  std::size_t index_ = 0;
  std::int64_t consumed_ = 0;
  std::int64_t total_ = 0;
};

int Sniff(const Bundle& bundle) { return FindSlackRoot(bundle) ? 95 : 0; }

core::Result<std::unique_ptr<Source>> Open(const Bundle& bundle, const ImportOptions&) {
  const std::optional<std::string> root = FindSlackRoot(bundle);
  if (!root) {
    return core::InvalidArgument(bundle.path() +
                                 ": not a Slack export (no channels.json next to users.json)");
  }
  ASSIGN_OR_RETURN(SlackWorkspace ws, LoadSlackWorkspace(bundle, *root));
  return std::unique_ptr<Source>(std::make_unique<SlackSource>(bundle, std::move(ws)));
}

}  // namespace

std::optional<core::Micros> SlackTsToMicros(std::string_view ts) {
  const std::size_t dot = ts.find('.');
  const std::string_view secs = ts.substr(0, dot);
  std::int64_t s = 0;
  auto [end, ec] = std::from_chars(secs.data(), secs.data() + secs.size(), s);
  if (ec != std::errc() || end != secs.data() + secs.size() || s < 0 || secs.empty()) {
    return std::nullopt;
  }
  std::int64_t micros = 0;
  if (dot != std::string_view::npos) {
    std::string frac(ts.substr(dot + 1));
    if (frac.empty() || frac.size() > 6 || frac.find_first_not_of("0123456789") != frac.npos) {
      return std::nullopt;
    }
    frac.resize(6, '0');
    micros = std::stoll(frac);
  }
  const std::optional<core::Micros> whole = core::SecondsToMicros(s);
  if (!whole) {
    return std::nullopt;
  }
  return *whole + micros;
}

Item MapSlackMessage(const json& m, const SlackConversation& conv, const SlackWorkspace& ws,
                     Position where) {
  if (!m.is_object()) {
    return Item::Skipped(std::move(where), "invalid_item", "not a JSON object");
  }
  const std::string ts = StringField(m, "ts");
  const std::optional<core::Micros> at = SlackTsToMicros(ts);
  if (!at) {
    return Item::Skipped(std::move(where), "invalid_date",
                         "ts \"" + ts + "\" is not a Slack timestamp (\"seconds.micros\")");
  }
  where.item = "ts " + ts;
  const std::string subtype = StringField(m, "subtype");
  const json* body = &m;  // for message_changed, the new version of the message
  Item item;
  model::Message& msg = item.message;
  msg.kind = model::EventKind::kMessage;
  if (subtype == "message_changed" && m.contains("message") && m["message"].is_object()) {
    body = &m["message"];
    msg.kind = model::EventKind::kEdit;
    msg.target_source_id = conv.id + ":" + StringField(*body, "ts");
  } else if (subtype == "message_deleted") {
    msg.kind = model::EventKind::kDelete;
    msg.target_source_id = conv.id + ":" + StringField(m, "deleted_ts");
    if (m.contains("previous_message") && m["previous_message"].is_object()) {
      body = &m["previous_message"];
    }
  } else if (subtype == "channel_join" || subtype == "group_join") {
    msg.kind = model::EventKind::kJoin;
  } else if (subtype == "channel_leave" || subtype == "group_leave") {
    msg.kind = model::EventKind::kLeave;
  }
  std::string user = StringField(*body, "user");
  if (user.empty()) {
    user = StringField(m, "user");
  }
  if (!user.empty()) {
    msg.from = Identity(user, ws);
  } else if (const std::string bot = StringField(*body, "username").empty()
                                         ? StringField(*body, "bot_id")
                                         : StringField(*body, "username");
             !bot.empty()) {
    msg.from = "bot:" + bot;
  } else {
    msg.from = std::string(kSystemSender);
  }
  msg.source = kSource;
  msg.source_id = conv.id + ":" + ts;
  msg.channel = "slack";
  msg.conversation = conv.id;
  msg.sent_at = *at;
  msg.direction = model::Direction::kInternal;
  if (msg.kind != model::EventKind::kDelete) {
    msg.text = Text(*body, ws);
  }
  const std::string thread = StringField(*body, "thread_ts");
  if (msg.kind == model::EventKind::kMessage && !thread.empty() && thread != ts) {
    msg.reply_to = conv.id + ":" + thread;  // a thread reply: its parent
  }
  for (const std::string& member : conv.members) {
    if (member != user && msg.to.size() < model::kMaxRecipients) {
      msg.to.push_back(Identity(member, ws));
    }
  }
  if (msg.kind == model::EventKind::kMessage) {
    item.attachments = Files(*body);
    for (const AttachmentData& a : item.attachments) {
      msg.attachments.push_back(a.meta);
    }
  }
  item.position = std::move(where);
  return item;
}

const Format& SlackFormat() {
  static const Format kFormat{
      .name = "slack",
      .description = "Slack workspace export (zip or directory)",
      .version = "1",
      .sniff = &Sniff,
      .open = &Open,
  };
  return kFormat;
}

}  // namespace custos::importers
