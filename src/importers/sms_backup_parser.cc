// SPDX-License-Identifier: Apache-2.0
#include "importers/sms_backup_parser.h"

#include <deque>
#include <string_view>

#include <expat.h>

#include "importers/sms_backup_entities.h"
#include "importers/sms_backup_mapping.h"

namespace custos::importers {
namespace {

constexpr std::size_t kChunk = 64 * 1024;

class SmsBackupParser final : public Source {
 public:
  SmsBackupParser(std::unique_ptr<ByteStream> in, std::string file, std::int64_t total,
                  const ImportOptions& options)
      : in_(std::move(in)),
        file_(std::move(file)),
        total_(total),
        builder_(options),
        filter_([this](std::int64_t line, std::uint32_t unit) { OnLoneSurrogate(line, unit); }),
        parser_(XML_ParserCreate(nullptr)) {
    XML_SetUserData(parser_, this);
    XML_SetElementHandler(parser_, &SmsBackupParser::Start, &SmsBackupParser::End);
  }

  ~SmsBackupParser() override { XML_ParserFree(parser_); }

  SmsBackupParser(const SmsBackupParser&) = delete;
  SmsBackupParser& operator=(const SmsBackupParser&) = delete;

  core::Result<std::optional<Item>> Next() override {
    while (queue_.empty() && !done_) {
      Pump();
    }
    // Items parsed before an error stay valid and come first; then the error, every time.
    if (queue_.empty()) {
      if (!error_.ok()) {
        return error_;
      }
      return std::optional<Item>();
    }
    Item item = std::move(queue_.front());
    queue_.pop_front();
    return std::optional<Item>(std::move(item));
  }

  std::int64_t bytes_consumed() const override { return consumed_; }

  std::int64_t bytes_total() const override { return total_; }

 private:
  // Reads, filters and parses one chunk (or finishes the document). Sets done_ at the end of
  // the input or on an error (kept in error_).
  void Pump() {
    std::string raw(kChunk, '\0');
    core::Result<std::size_t> n = in_->Read(raw.data(), raw.size());
    if (!n) {
      done_ = true;
      error_ = core::Status(n.error().code(),
                            file_ + "@" + std::to_string(consumed_) + ": " + n.error().message());
      return;
    }
    raw.resize(*n);
    consumed_ += static_cast<std::int64_t>(*n);
    const bool final = *n == 0;
    std::string filtered;
    filter_.Feed(raw, final, filtered);
    if (XML_Parse(parser_, filtered.data(), static_cast<int>(filtered.size()), final) ==
        XML_STATUS_ERROR) {
      done_ = true;
      FlushLone();
      if (error_.ok()) {
        error_ = BadInput(Here(), std::string("not well-formed XML: ") +
                                      XML_ErrorString(XML_GetErrorCode(parser_)));
      }
      return;
    }
    if (final) {
      done_ = true;
      FlushLone();
      if (!saw_root_) {
        error_ = BadInput(Here(), "no <smses> element: not an SMS Backup & Restore file");
        return;
      }
      if (declared_count_ >= 0 && declared_count_ != elements_) {
        queue_.push_back(Item::Skipped(Position{file_, 0, 0, -1, ""}, "count_mismatch",
                                       "<smses count=\"" + std::to_string(declared_count_) +
                                           "\"> but the file holds " + std::to_string(elements_) +
                                           " <sms>/<mms> elements"));
      }
    }
  }

  Position Here() const {
    Position p;
    p.file = file_;
    p.line = static_cast<std::int64_t>(XML_GetCurrentLineNumber(parser_));
    p.column = static_cast<std::int64_t>(XML_GetCurrentColumnNumber(parser_)) + 1;
    return p;
  }

  void Fail(core::Status status) {
    if (error_.ok()) {
      error_ = std::move(status);
    }
    XML_StopParser(parser_, XML_FALSE);
  }

  void OnLoneSurrogate(std::int64_t line, std::uint32_t unit) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string hex;
    for (int shift = 12; shift >= 0; shift -= 4) {
      hex.push_back(kHex[(unit >> shift) & 0xF]);
    }
    lone_.push_back(Item::Skipped(
        Position{file_, line, 0, -1, ""}, "lone_surrogate",
        "character reference to an unpaired UTF-16 surrogate U+" + hex + " replaced by U+FFFD"));
  }

  void OnStart(std::string_view name, const char** atts) {
    const XmlAttributes a(atts);
    ++depth_;
    if (depth_ == 1) {
      if (name != "smses") {
        Fail(BadInput(Here(), "root element is <" + std::string(name) +
                                  ">, not <smses>: not an SMS Backup & Restore file"));
        return;
      }
      saw_root_ = true;
      const std::string_view count = a.Value("count");
      declared_count_ = count.empty() ? -1 : std::atoll(std::string(count).c_str());
      return;
    }
    if (depth_ == 2 && name == "sms") {
      ++elements_;
      queue_.push_back(builder_.FromSms(a, Here()));
    } else if (depth_ == 2 && name == "mms") {
      ++elements_;
      builder_.BeginMms(a, Here());
    } else if (builder_.in_mms() && name == "part") {
      if (std::optional<Item> skipped = builder_.AddPart(a, Here())) {
        queue_.push_back(std::move(*skipped));
      }
    } else if (builder_.in_mms() && name == "addr") {
      builder_.AddAddr(a);
    }
  }

  void OnEnd(std::string_view name) {
    if (depth_ == 2 && name == "mms" && builder_.in_mms()) {
      queue_.push_back(builder_.EndMms());
    }
    if (depth_ == 2) {
      FlushLone(static_cast<std::int64_t>(XML_GetCurrentLineNumber(parser_)));
    }
    --depth_;
  }

  // Lone surrogates are found by the pre-pass before expat sees their element; they are
  // reported after that element's item so that positions never go backwards.
  void FlushLone(std::int64_t up_to_line = INT64_MAX) {
    while (!lone_.empty() && lone_.front().position.line <= up_to_line) {
      queue_.push_back(std::move(lone_.front()));
      lone_.pop_front();
    }
  }

  static void XMLCALL Start(void* self, const XML_Char* name, const XML_Char** atts) {
    static_cast<SmsBackupParser*>(self)->OnStart(name, atts);
  }

  static void XMLCALL End(void* self, const XML_Char* name) {
    static_cast<SmsBackupParser*>(self)->OnEnd(name);
  }

  std::unique_ptr<ByteStream> in_;
  std::string file_;
  std::int64_t total_;
  SmsBackupBuilder builder_;
  SurrogateEntityFilter filter_;
  XML_Parser parser_;
  std::deque<Item> queue_;
  std::deque<Item> lone_;
  core::Status error_;
  std::int64_t consumed_ = 0;
  std::int64_t declared_count_ = -1;
  std::int64_t elements_ = 0;
  int depth_ = 0;
  bool saw_root_ = false;
  bool done_ = false;
};

}  // namespace

std::unique_ptr<Source> NewSmsBackupParser(std::unique_ptr<ByteStream> in, std::string file,
                                           std::int64_t total, const ImportOptions& options) {
  return std::make_unique<SmsBackupParser>(std::move(in), std::move(file), total, options);
}

}  // namespace custos::importers
