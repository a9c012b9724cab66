// SPDX-License-Identifier: Apache-2.0
// The zip bundle (libzip): entries from the central directory, each read as a stream that
// libzip decompresses and CRC-checks as it goes.
#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <system_error>
#include <utility>

#include <zip.h>

#include "importers/bundle.h"

namespace custos::importers {
namespace {

std::string ZipErrorText(int code) {
  zip_error_t error;
  zip_error_init_with_code(&error, code);
  std::string text = zip_error_strerror(&error);
  zip_error_fini(&error);
  return text;
}

// An entry's bytes as libzip inflates them, never more than its header declared: a deflate
// stream that goes on past it is refused as it happens (a zip bomb with a lying header).
class ZipStream final : public ByteStream {
 public:
  ZipStream(zip_file_t* file, std::string display, std::uint64_t declared)
      : file_(file), display_(std::move(display)), declared_(declared) {}

  ~ZipStream() override { zip_fclose(file_); }

  ZipStream(const ZipStream&) = delete;
  ZipStream& operator=(const ZipStream&) = delete;

  core::Result<std::size_t> Read(char* buf, std::size_t n) override {
    const zip_int64_t got = zip_fread(file_, buf, n);
    if (got < 0) {
      return core::InvalidArgument(display_ + ": corrupt zip entry: " + zip_file_strerror(file_));
    }
    read_ += static_cast<std::uint64_t>(got);
    if (read_ > declared_) {
      return core::InvalidArgument(display_ + ": corrupt zip entry: it inflates past the " +
                                   std::to_string(declared_) + " bytes its header declares");
    }
    return static_cast<std::size_t>(got);
  }

 private:
  zip_file_t* file_;
  std::string display_;
  std::uint64_t declared_;
  std::uint64_t read_ = 0;
};

class ZipBundle final : public Bundle {
 public:
  ZipBundle(zip_t* zip, std::string path, ArchiveLimits limits)
      : zip_(zip), path_(std::move(path)), limits_(limits) {}

  ~ZipBundle() override { zip_discard(zip_); }

  ZipBundle(const ZipBundle&) = delete;
  ZipBundle& operator=(const ZipBundle&) = delete;

  core::Status List() {
    const zip_int64_t n = zip_get_num_entries(zip_, 0);
    std::uint64_t total = 0;
    for (zip_int64_t i = 0; i < n; ++i) {
      zip_stat_t st;
      if (zip_stat_index(zip_, static_cast<zip_uint64_t>(i), 0, &st) != 0) {
        return core::InvalidArgument(path_ + ": bad zip: entry " + std::to_string(i) + ": " +
                                     zip_strerror(zip_));
      }
      if ((st.valid & ZIP_STAT_SIZE) == 0) {
        return core::InvalidArgument(path_ + ": bad zip: entry " + std::to_string(i) +
                                     " declares no size");
      }
      total += st.size;
      if (total > limits_.max_uncompressed_bytes || total < st.size) {
        return core::ResourceExhausted(
            path_ + ": the zip expands to more than " +
            std::to_string(limits_.max_uncompressed_bytes >> 20) +
            " MiB, the limit for one import (--max-uncompressed-mb raises it)");
      }
      std::string name = st.name == nullptr ? "" : st.name;
      if (name.empty() || name.back() == '/') {
        continue;  // a directory
      }
      entries_.push_back({std::move(name), static_cast<std::int64_t>(st.size)});
      index_.push_back(static_cast<zip_uint64_t>(i));
    }
    std::error_code ec;
    const std::uint64_t archive = std::filesystem::file_size(path_, ec);
    if (!ec && total > limits_.ratio_floor_bytes && archive > 0 &&
        total / archive >= limits_.max_expansion_ratio) {
      return core::ResourceExhausted(
          path_ + ": the zip's " + std::to_string(archive) + " bytes expand to " +
          std::to_string(total) + " (" + std::to_string(total / archive) +
          " times), over the limit of " + std::to_string(limits_.max_expansion_ratio) +
          " times for one import (a zip bomb?; --max-expansion-ratio raises it)");
    }
    std::vector<std::size_t> order(entries_.size());
    for (std::size_t i = 0; i < order.size(); ++i) {
      order[i] = i;
    }
    std::sort(order.begin(), order.end(),
              [&](std::size_t a, std::size_t b) { return entries_[a].name < entries_[b].name; });
    std::vector<BundleEntry> entries;
    std::vector<zip_uint64_t> index;
    for (std::size_t i : order) {
      entries.push_back(std::move(entries_[i]));
      index.push_back(index_[i]);
    }
    entries_ = std::move(entries);
    index_ = std::move(index);
    return core::Status::Ok();
  }

  Kind kind() const override { return Kind::kZip; }

  const std::string& path() const override { return path_; }

  const std::vector<BundleEntry>& entries() const override { return entries_; }

  core::Result<std::unique_ptr<ByteStream>> OpenEntry(std::string_view name) const override {
    for (std::size_t i = 0; i < entries_.size(); ++i) {
      if (entries_[i].name == name) {
        zip_file_t* f = zip_fopen_index(zip_, index_[i], 0);
        if (f == nullptr) {
          return core::InvalidArgument(DisplayName(name) +
                                       ": cannot open zip entry: " + zip_strerror(zip_));
        }
        return std::unique_ptr<ByteStream>(std::make_unique<ZipStream>(
            f, DisplayName(name), static_cast<std::uint64_t>(entries_[i].size)));
      }
    }
    return core::NotFound("no entry " + std::string(name) + " in " + path_);
  }

 private:
  zip_t* zip_;
  std::string path_;
  std::vector<BundleEntry> entries_;
  std::vector<zip_uint64_t> index_;  // libzip index of each entry
  ArchiveLimits limits_;
};

}  // namespace

core::Result<std::unique_ptr<Bundle>> OpenZipBundle(const std::string& path,
                                                    const ArchiveLimits& limits) {
  int error = 0;
  zip_t* zip = zip_open(path.c_str(), ZIP_RDONLY | ZIP_CHECKCONS, &error);
  if (zip == nullptr) {
    return core::InvalidArgument(path + ": bad zip: " + ZipErrorText(error));
  }
  auto bundle = std::make_unique<ZipBundle>(zip, path, limits);
  RETURN_IF_ERROR(bundle->List());
  return std::unique_ptr<Bundle>(std::move(bundle));
}

}  // namespace custos::importers
