// SPDX-License-Identifier: Apache-2.0
// FaultFileSystem: a test-only core::FileSystem over the real one that injects the failures a
// disk can produce, in the manner of tests/crash/fault_vfs.h (SQLite) and leveldb's
// fault_injection_test, so that the real callers of core::FileSystem (the key ring, the log
// signer, the log head, the admin token, policy packs) can be driven through them.
//
//   Fail(op, n)     the n-th call (1-based, counted from now) of `op` fails with kInternal.
//                   A failing kAppend writes the first half of its bytes first (a short write).
//   PowerCut()      from now on every mutating call fails and touches nothing.
//   DropUnsynced()  turns the files into what a power loss at this moment leaves: each file
//                   created through this object is cut to the bytes its last Sync() made
//                   durable, and each rename or link not followed by a SyncDir() of its
//                   directory is undone (the replaced file gets its old content back).
//
// Thread-safety: not thread-safe; one test thread drives it.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/fs.h"

namespace custos::testing {

class FaultFileSystem final : public core::FileSystem {
 public:
  enum class Op { kCreate, kAppend, kSync, kRename, kLink, kSyncDir };

  FaultFileSystem() = default;

  void Fail(Op op, int nth = 1);

  void PowerCut() { power_cut_ = true; }

  void DropUnsynced();
  // How many calls of `op` were made.
  int calls(Op op) const;

  core::Result<std::string> ReadFile(const std::string& path, std::size_t max_bytes) override;
  core::Status MakePrivateDir(const std::string& path) override;
  core::Result<std::unique_ptr<core::WritableFile>> NewWritableFile(const std::string& path,
                                                                    mode_t mode) override;
  core::Status Rename(const std::string& from, const std::string& to) override;
  core::Status Link(const std::string& from, const std::string& to) override;
  core::Status Remove(const std::string& path) override;
  core::Status SyncDir(const std::string& dir) override;

 private:
  friend class FaultWritableFile;

  // A directory change not yet made durable by SyncDir(): undone by DropUnsynced().
  struct DirChange {
    std::string dir;
    std::string from;  // empty for a link
    std::string to;
    std::optional<std::string> before;  // the replaced file's content, if there was one
    bool link = false;
  };

  // Counts the call and returns the injected failure, if this call is to fail.
  core::Status Check(Op op, const std::string& path);

  core::FileSystem& real_ = core::LocalFileSystem();
  std::map<Op, int> calls_;
  std::map<Op, int> fail_at_;
  bool power_cut_ = false;
  std::map<std::string, std::size_t> synced_size_;  // files created here
  std::vector<DirChange> unsynced_dir_changes_;
};

}  // namespace custos::testing
