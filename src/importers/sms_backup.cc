// SPDX-License-Identifier: Apache-2.0
#include "importers/sms_backup.h"

#include <utility>

#include "importers/sms_backup_parser.h"

namespace custos::importers {
namespace {

constexpr std::size_t kSniffBytes = 4096;

bool EndsWithXml(std::string_view name) {
  return name.size() > 4 && (name.ends_with(".xml") || name.ends_with(".XML"));
}

// The entries of `bundle` that are SMS Backup & Restore files, in name order.
std::vector<std::string> BackupEntries(const Bundle& bundle) {
  std::vector<std::string> out;
  for (const BundleEntry& e : bundle.entries()) {
    if (bundle.kind() != Bundle::Kind::kFile && !EndsWithXml(e.name)) {
      continue;
    }
    core::Result<std::string> head = bundle.Peek(e.name, kSniffBytes);
    if (head && head->find("<smses") != std::string::npos) {
      out.push_back(e.name);
    }
  }
  return out;
}

int Sniff(const Bundle& bundle) { return BackupEntries(bundle).empty() ? 0 : 90; }

// Runs the parsers of several files one after the other.
class SmsBackupSource final : public Source {
 public:
  SmsBackupSource(const Bundle& bundle, std::vector<std::string> entries, ImportOptions options)
      : bundle_(bundle), entries_(std::move(entries)), options_(std::move(options)) {
    for (const std::string& name : entries_) {
      if (const BundleEntry* e = bundle_.Find(name)) {
        total_ += e->size;
      }
    }
  }

  core::Result<std::optional<Item>> Next() override {
    while (true) {
      if (!current_) {
        if (next_entry_ == entries_.size()) {
          return std::optional<Item>();
        }
        const std::string& name = entries_[next_entry_++];
        ASSIGN_OR_RETURN(std::unique_ptr<ByteStream> in, bundle_.OpenEntry(name));
        const BundleEntry* e = bundle_.Find(name);
        current_size_ = e != nullptr ? e->size : 0;
        current_ =
            NewSmsBackupParser(std::move(in), bundle_.DisplayName(name), current_size_, options_);
      }
      ASSIGN_OR_RETURN(std::optional<Item> item, current_->Next());
      if (item) {
        return item;
      }
      done_bytes_ += current_size_;
      current_.reset();
    }
  }

  std::int64_t bytes_consumed() const override {
    return done_bytes_ + (current_ ? current_->bytes_consumed() : 0);
  }

  std::int64_t bytes_total() const override { return total_; }

 private:
  const Bundle& bundle_;
  std::vector<std::string> entries_;
  ImportOptions options_;
  std::size_t next_entry_ = 0;
  std::unique_ptr<Source> current_;
  std::int64_t current_size_ = 0;
  std::int64_t done_bytes_ = 0;
  std::int64_t total_ = 0;
};

core::Result<std::unique_ptr<Source>> Open(const Bundle& bundle, const ImportOptions& options) {
  std::vector<std::string> entries = BackupEntries(bundle);
  if (entries.empty()) {
    return core::InvalidArgument(bundle.path() +
                                 ": no SMS Backup & Restore file (an .xml file with <smses>)");
  }
  return std::unique_ptr<Source>(
      std::make_unique<SmsBackupSource>(bundle, std::move(entries), options));
}

}  // namespace

const Format& SmsBackupFormat() {
  static const Format kFormat{
      .name = "sms-backup",
      .description = "SMS Backup & Restore XML (SMS, MMS, RCS groups)",
      .version = "1",
      .sniff = &Sniff,
      .open = &Open,
  };
  return kFormat;
}

}  // namespace custos::importers
