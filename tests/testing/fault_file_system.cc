// SPDX-License-Identifier: Apache-2.0
#include "testing/fault_file_system.h"

#include <filesystem>
#include <fstream>
#include <iterator>

namespace custos::testing {
namespace {

std::optional<std::string> Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return std::nullopt;
  }
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

void Spit(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << bytes;
}

}  // namespace

class FaultWritableFile final : public core::WritableFile {
 public:
  FaultWritableFile(FaultFileSystem* fs, std::string path, std::unique_ptr<core::WritableFile> real)
      : fs_(fs), path_(std::move(path)), real_(std::move(real)) {}

  core::Status Append(std::string_view data) override {
    if (core::Status injected = fs_->Check(FaultFileSystem::Op::kAppend, path_); !injected.ok()) {
      if (!fs_->power_cut_) {
        (void)real_->Append(data.substr(0, data.size() / 2));  // a short write, then the error
      }
      return injected;
    }
    return real_->Append(data);
  }

  core::Status Sync() override {
    RETURN_IF_ERROR(fs_->Check(FaultFileSystem::Op::kSync, path_));
    RETURN_IF_ERROR(real_->Sync());
    std::error_code ec;
    fs_->synced_size_[path_] = std::filesystem::file_size(path_, ec);
    return core::Status::Ok();
  }

  core::Status Close() override { return real_->Close(); }

 private:
  FaultFileSystem* fs_;
  std::string path_;
  std::unique_ptr<core::WritableFile> real_;
};

void FaultFileSystem::Fail(Op op, int nth) { fail_at_[op] = calls_[op] + nth; }

int FaultFileSystem::calls(Op op) const {
  const auto it = calls_.find(op);
  return it == calls_.end() ? 0 : it->second;
}

core::Status FaultFileSystem::Check(Op op, const std::string& path) {
  const int n = ++calls_[op];
  if (power_cut_) {
    return core::Internal("injected power cut: " + path);
  }
  const auto it = fail_at_.find(op);
  if (it != fail_at_.end() && it->second == n) {
    return core::Internal("injected failure: " + path);
  }
  return core::Status::Ok();
}

core::Result<std::string> FaultFileSystem::ReadFile(const std::string& path,
                                                    std::size_t max_bytes) {
  return real_.ReadFile(path, max_bytes);
}

core::Status FaultFileSystem::MakePrivateDir(const std::string& path) {
  if (power_cut_) {
    return core::Internal("injected power cut: " + path);
  }
  return real_.MakePrivateDir(path);
}

core::Result<std::unique_ptr<core::WritableFile>> FaultFileSystem::NewWritableFile(
    const std::string& path, mode_t mode) {
  RETURN_IF_ERROR(Check(Op::kCreate, path));
  ASSIGN_OR_RETURN(auto real, real_.NewWritableFile(path, mode));
  synced_size_[path] = 0;
  return std::unique_ptr<core::WritableFile>(
      std::make_unique<FaultWritableFile>(this, path, std::move(real)));
}

core::Status FaultFileSystem::Rename(const std::string& from, const std::string& to) {
  RETURN_IF_ERROR(Check(Op::kRename, from));
  std::optional<std::string> before = Slurp(to);
  RETURN_IF_ERROR(real_.Rename(from, to));
  unsynced_dir_changes_.push_back({core::DirName(to), from, to, std::move(before), false});
  if (const auto it = synced_size_.find(from); it != synced_size_.end()) {
    synced_size_[to] = it->second;
    synced_size_.erase(it);
  }
  return core::Status::Ok();
}

core::Status FaultFileSystem::Link(const std::string& from, const std::string& to) {
  RETURN_IF_ERROR(Check(Op::kLink, from));
  RETURN_IF_ERROR(real_.Link(from, to));
  unsynced_dir_changes_.push_back({core::DirName(to), "", to, std::nullopt, true});
  if (const auto it = synced_size_.find(from); it != synced_size_.end()) {
    synced_size_[to] = it->second;
  }
  return core::Status::Ok();
}

core::Status FaultFileSystem::Remove(const std::string& path) {
  if (power_cut_) {
    return core::Internal("injected power cut: " + path);
  }
  return real_.Remove(path);
}

core::Status FaultFileSystem::SyncDir(const std::string& dir) {
  RETURN_IF_ERROR(Check(Op::kSyncDir, dir));
  RETURN_IF_ERROR(real_.SyncDir(dir));
  std::erase_if(unsynced_dir_changes_, [&](const DirChange& c) { return c.dir == dir; });
  return core::Status::Ok();
}

void FaultFileSystem::DropUnsynced() {
  for (const auto& [path, size] : synced_size_) {
    std::error_code ec;
    if (std::filesystem::exists(path, ec)) {
      std::filesystem::resize_file(path, size, ec);
    }
  }
  for (auto it = unsynced_dir_changes_.rbegin(); it != unsynced_dir_changes_.rend(); ++it) {
    std::error_code ec;
    if (!it->link) {
      std::filesystem::rename(it->to, it->from, ec);
    } else {
      std::filesystem::remove(it->to, ec);
    }
    if (it->before) {
      Spit(it->to, *it->before);
    }
  }
  unsynced_dir_changes_.clear();
}

}  // namespace custos::testing
