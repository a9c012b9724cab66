// SPDX-License-Identifier: Apache-2.0
#include "importers/telegram.h"

#include <deque>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/json_reader.h"
#include "importers/json_scanner.h"
#include "importers/telegram_account_ids.h"
#include "importers/telegram_message.h"

namespace custos::importers {
namespace {

using nlohmann::json;

// result.json, or the only .json file of the bundle.
const BundleEntry* ResultEntry(const Bundle& bundle) {
  if (const BundleEntry* e = bundle.FindBaseName("result.json")) {
    return e;
  }
  const BundleEntry* only = nullptr;
  int count = 0;
  for (const BundleEntry& e : bundle.entries()) {
    if (e.name.ends_with(".json") || bundle.kind() == Bundle::Kind::kFile) {
      only = &e;
      ++count;
    }
  }
  return count == 1 ? only : nullptr;
}

// The walk over the outer structure. Frames: the root object (a chat itself in a single-chat
// export), "chats"/"left_chats" objects, their "list" arrays, chat objects and "messages"
// arrays, whose elements are captured one at a time.
class TelegramSource final : public Source {
 public:
  TelegramSource(const Bundle& bundle, ImportOptions options, std::string entry,
                 std::unique_ptr<ByteStream> in)
      : bundle_(bundle),
        options_(std::move(options)),
        account_ids_(options_),
        scanner_(std::move(in), bundle.DisplayName(entry)) {
    const BundleEntry* e = bundle.Find(entry);
    total_ = e == nullptr ? -1 : e->size;
  }

  core::Status Start() {
    RETURN_IF_ERROR(scanner_.Expect('{', "at the start of a Telegram export"));
    frames_.push_back({Frame::kChat, true, {}});
    return core::Status::Ok();
  }

  core::Result<std::optional<Item>> Next() override {
    while (ready_.empty()) {
      if (frames_.empty()) {
        if (!ended_) {
          ended_ = true;
          RETURN_IF_ERROR(scanner_.ExpectEnd());
        }
        return std::optional<Item>();
      }
      RETURN_IF_ERROR(Step());
    }
    Item item = std::move(ready_.front());
    ready_.pop_front();
    return std::optional<Item>(std::move(item));
  }

  std::int64_t bytes_consumed() const override { return scanner_.offset(); }

  std::int64_t bytes_total() const override { return total_; }

 private:
  struct Frame {
    enum Kind { kChat, kChats, kList, kMessages } kind;

    bool first;
    telegram::Chat chat;
  };

  // One element or member of the innermost frame.
  core::Status Step() {
    Frame& f = frames_.back();
    const bool object = f.kind == Frame::kChat || f.kind == Frame::kChats;
    ASSIGN_OR_RETURN(char next, scanner_.PeekToken());
    if (next == (object ? '}' : ']')) {
      RETURN_IF_ERROR(scanner_.Expect(next, ""));
      if (f.kind == Frame::kMessages) {
        account_ids_.EndChat(&ready_);
      }
      frames_.pop_back();
      return core::Status::Ok();
    }
    if (!f.first) {
      RETURN_IF_ERROR(
          scanner_.Expect(',', object ? "or '}' after a member" : "or ']' after an element"));
    }
    f.first = false;
    if (f.kind == Frame::kList) {
      RETURN_IF_ERROR(scanner_.Expect('{', "(a chat object) in chats.list"));
      frames_.push_back({Frame::kChat, true, {}});
      return core::Status::Ok();
    }
    if (f.kind == Frame::kMessages) {
      return Message();
    }
    ASSIGN_OR_RETURN(std::string key, scanner_.ReadKey());
    RETURN_IF_ERROR(scanner_.Expect(':', "after the key \"" + key + "\""));
    return Member(key);
  }

  core::Status Member(const std::string& key) {
    Frame& f = frames_.back();
    const bool root = frames_.size() == 1;
    if (f.kind == Frame::kChat && key == "messages") {
      RETURN_IF_ERROR(scanner_.Expect('[', "after \"messages\""));
      account_ids_.BeginChat(f.chat);
      frames_.push_back({Frame::kMessages, true, {}});
      return core::Status::Ok();
    }
    if (f.kind == Frame::kChat && root && (key == "chats" || key == "left_chats")) {
      RETURN_IF_ERROR(scanner_.Expect('{', "after \"" + key + "\""));
      frames_.push_back({Frame::kChats, true, {}});
      return core::Status::Ok();
    }
    if (f.kind == Frame::kChats && key == "list") {
      RETURN_IF_ERROR(scanner_.Expect('[', "after \"list\""));
      frames_.push_back({Frame::kList, true, {}});
      return core::Status::Ok();
    }
    if (root && key == "personal_information") {
      std::string raw;
      RETURN_IF_ERROR(scanner_.CaptureValue(&raw));
      const json v = json::parse(raw, nullptr, /*allow_exceptions=*/false);
      if (v.is_object() && v.contains("user_id") && v["user_id"].is_number_integer()) {
        account_ids_.SetSelf("user" + std::to_string(v["user_id"].get<std::int64_t>()));
      }
      return core::Status::Ok();
    }
    if (f.kind == Frame::kChat && (key == "id" || key == "name" || key == "type")) {
      std::string raw;
      RETURN_IF_ERROR(scanner_.CaptureValue(&raw));
      const json v = json::parse(raw, nullptr, /*allow_exceptions=*/false);
      std::string text = v.is_string()           ? v.get<std::string>()
                         : v.is_number_integer() ? std::to_string(v.get<std::int64_t>())
                                                 : "";
      (key == "id" ? f.chat.id : key == "name" ? f.chat.name : f.chat.type) = std::move(text);
      return core::Status::Ok();
    }
    return scanner_.SkipValue();
  }

  core::Status Message() {
    const Position where = scanner_.Here();
    std::string raw;
    RETURN_IF_ERROR(scanner_.CaptureValue(&raw));
    core::JsonLimits limits = core::kImportJsonLimits;
    limits.max_bytes = raw.size();  // the scanner bounded it
    limits.max_depth = JsonScanner::kMaxValueDepth;
    auto parsed = core::ParseJson(raw, limits, "this message");
    if (!parsed) {  // malformed, or a number too large for a double
      return BadInput(where, "invalid JSON in " + parsed.error().message());
    }
    json m = std::move(parsed).value();
    const telegram::Chat& chat = frames_[frames_.size() - 2].chat;
    std::vector<Item> items;
    telegram::MapMessage(m, chat, where, options_, bundle_, &items);
    account_ids_.Add(std::move(items), &ready_);
    return core::Status::Ok();
  }

  const Bundle& bundle_;
  ImportOptions options_;
  telegram::AccountIds account_ids_;
  JsonScanner scanner_;
  std::int64_t total_ = -1;
  std::vector<Frame> frames_;
  std::deque<Item> ready_;
  bool ended_ = false;
};

int Sniff(const Bundle& bundle) {
  const BundleEntry* e = ResultEntry(bundle);
  if (e == nullptr) {
    return 0;
  }
  auto head = bundle.Peek(e->name, 8192);
  if (!head.has_value()) {
    return 0;
  }
  const std::string_view text = *head;
  const std::size_t brace = text.find_first_not_of(" \t\r\n\xEF\xBB\xBF");
  if (brace == std::string_view::npos || text[brace] != '{') {
    return 0;
  }
  int score = 0;
  for (std::string_view hint : {"\"messages\"", "\"date_unixtime\"", "\"from_id\"",
                                "\"personal_information\"", "\"chats\"", "\"type\": \"message\""}) {
    score += text.find(hint) != std::string_view::npos ? 20 : 0;
  }
  return std::min(score, 90);
}

core::Result<std::unique_ptr<Source>> Open(const Bundle& bundle, const ImportOptions& options) {
  const BundleEntry* e = ResultEntry(bundle);
  if (e == nullptr) {
    return core::InvalidArgument(bundle.path() +
                                 ": no Telegram export in it (expected result.json)");
  }
  ASSIGN_OR_RETURN(std::unique_ptr<ByteStream> in, bundle.OpenEntry(e->name));
  auto source = std::make_unique<TelegramSource>(bundle, options, e->name, std::move(in));
  RETURN_IF_ERROR(source->Start());
  return std::unique_ptr<Source>(std::move(source));
}

}  // namespace

const Format& TelegramFormat() {
  static const Format kFormat{"telegram",
                              "Telegram Desktop export (result.json), single chat or whole account",
                              "1", &Sniff, &Open};
  return kFormat;
}

}  // namespace custos::importers
