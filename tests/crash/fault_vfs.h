// SPDX-License-Identifier: Apache-2.0
// FaultVfs: a test-only SQLite VFS that wraps the default "unix" VFS and simulates power loss,
// in the manner of leveldb's fault_injection_test.
//
// While installed (Install() makes it SQLite's default VFS, so the real storage code uses it
// unchanged) it passes every call through and remembers, per file path, what was written since
// that file's last xSync: the bytes each write or truncate replaced (to undo it), the bytes it
// wrote (to replay it), and the size at the last sync. After `crash_after` write, truncate,
// sync or delete operations it "loses power": that operation and every later one fails with
// SQLITE_IOERR and touches nothing, so the process can close its handles while the files keep
// exactly what had reached them.
//
// Then, with every SQLite handle on the files closed, Apply() turns the files into one state a
// real power loss could leave:
//   kDropUnsynced   every unsynced write and truncate is undone, each file cut to its synced size;
//   kTruncate       each file is cut to its last synced size (overwrites inside it are kept);
//   kFlipByte       everything is kept but one byte inside one unsynced write is inverted;
//   kRandomSubset   each unsynced write independently survives or not (in order).
// The -shm file is memory-mapped and never written through xWrite; SQLite rebuilds it on open.
//
// Thread-safety: the VFS methods may be called from any thread (one mutex). Install(),
// Uninstall(), Arm() and Apply() are called by the test thread while no SQLite I/O is running.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <random>
#include <string>
#include <vector>

#include <sqlite3.h>

#include "core/thread_annotations.h"

namespace custos::crash {

enum class PowerLoss { kDropUnsynced, kTruncate, kFlipByte, kRandomSubset };

const char* PowerLossName(PowerLoss mode);

class FaultVfs {
 public:
  FaultVfs();
  ~FaultVfs();  // Uninstalls when installed.
  FaultVfs(const FaultVfs&) = delete;
  FaultVfs& operator=(const FaultVfs&) = delete;

  // Makes this VFS SQLite's default (files opened from now on go through it), or "unix" again.
  void Install();
  void Uninstall();

  // Forgets all tracked writes and schedules the power loss at the `crash_after`-th mutating
  // operation from now (0: never).
  void Arm(std::uint64_t crash_after);

  // Loses power now (when the armed operation was not reached).
  void PowerCut();
  bool crashed() const;
  std::uint64_t operations() const;

  // Rewrites the files tracked since Arm() into the state `mode` leaves (see above), choosing
  // with `rng` where a choice is needed. Returns a description of what was done, for failure
  // messages. Every SQLite handle on these files must be closed. The tracked writes are kept
  // until the next Arm(), so a copy of the files taken before Apply() can be given another
  // mode.
  std::string Apply(PowerLoss mode, std::mt19937_64& rng);

 private:
  struct Change {
    std::int64_t offset = 0;
    std::string before;  // the bytes it replaced (those that existed)
    std::string after;   // the bytes written ("" for a truncate)
    bool truncate = false;
    std::int64_t new_size = 0;  // for a truncate
  };

  struct FileState {
    std::int64_t synced_size = 0;
    std::vector<Change> changes;  // since the last sync, oldest first
  };
  struct File;

  // The VFS and file entry points (static trampolines to the members below).
  static int Open(sqlite3_vfs* vfs, const char* name, sqlite3_file* file, int flags, int* out);
  static int Delete(sqlite3_vfs* vfs, const char* name, int sync_dir);
  static int Close(sqlite3_file* file);
  static int Write(sqlite3_file* file, const void* data, int amount, sqlite3_int64 offset);
  static int Truncate(sqlite3_file* file, sqlite3_int64 size);
  static int Sync(sqlite3_file* file, int flags);

  static sqlite3_io_methods Forwarding(int base_version);
  static FaultVfs* Self(sqlite3_vfs* vfs);
  static sqlite3_file* Real(sqlite3_file* file);

  // Counts one mutating operation; false when power is (now) lost.
  bool Tick();
  FileState& StateFor(const std::string& path, sqlite3_file* real);

  sqlite3_vfs vfs_{};
  sqlite3_vfs* base_ = nullptr;
  sqlite3_io_methods methods_{};
  bool installed_ = false;

  mutable std::mutex mu_;
  std::uint64_t ops_ CUSTOS_GUARDED_BY(mu_) = 0;
  std::uint64_t crash_after_ CUSTOS_GUARDED_BY(mu_) = 0;
  bool crashed_ CUSTOS_GUARDED_BY(mu_) = false;
  std::map<std::string, FileState> files_ CUSTOS_GUARDED_BY(mu_);
};

}  // namespace custos::crash
