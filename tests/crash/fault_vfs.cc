// SPDX-License-Identifier: Apache-2.0
#include "crash/fault_vfs.h"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace custos::crash {

// The wrapper's file object: our header, then the base VFS's file (at an aligned offset).
struct FaultVfs::File {
  sqlite3_file base;
  FaultVfs* owner;
  std::string* path;  // nullptr for nameless (temporary) files, which are not tracked
};

namespace {

constexpr char kName[] = "custos-fault";
constexpr std::size_t kAlign = 16;
constexpr std::size_t kHeader = 64;  // >= sizeof(FaultVfs::File), a multiple of kAlign

void Check(bool ok, const std::string& what) {
  if (!ok) {
    throw std::runtime_error(what + ": " + std::strerror(errno));
  }
}

std::int64_t SizeOf(int fd) {
  struct stat st {};

  Check(::fstat(fd, &st) == 0, "fstat");
  return st.st_size;
}

void WriteAt(int fd, const std::string& bytes, std::int64_t offset) {
  if (bytes.empty()) {
    return;
  }
  Check(::pwrite(fd, bytes.data(), bytes.size(), offset) == static_cast<ssize_t>(bytes.size()),
        "pwrite");
}

// Writes back each `before[i]` at `at[i]`, newest first, and cuts the file to `synced_size`.
void Revert(int fd, const std::vector<std::string>& before, const std::vector<std::int64_t>& at,
            std::int64_t synced_size) {
  for (std::size_t i = before.size(); i-- > 0;) {
    WriteAt(fd, before[i], at[i]);
  }
  Check(::ftruncate(fd, synced_size) == 0, "ftruncate");
}

}  // namespace

const char* PowerLossName(PowerLoss mode) {
  switch (mode) {
    case PowerLoss::kDropUnsynced:
      return "drop-unsynced";
    case PowerLoss::kTruncate:
      return "truncate-to-synced";
    case PowerLoss::kFlipByte:
      return "flip-unsynced-byte";
    case PowerLoss::kRandomSubset:
      return "random-subset";
  }
  return "?";
}

FaultVfs::FaultVfs() {
  base_ = sqlite3_vfs_find("unix");
  Check(base_ != nullptr, "no unix VFS");
  static_assert(sizeof(File) <= kHeader && kHeader % kAlign == 0);
  vfs_ = *base_;  // every entry point not overridden below passes straight through
  vfs_.szOsFile = static_cast<int>(kHeader) + base_->szOsFile;
  vfs_.zName = kName;
  vfs_.pAppData = this;
  vfs_.pNext = nullptr;
  vfs_.xOpen = &FaultVfs::Open;
  vfs_.xDelete = &FaultVfs::Delete;
}

FaultVfs::~FaultVfs() { Uninstall(); }

void FaultVfs::Install() {
  sqlite3_vfs_register(&vfs_, /*makeDflt=*/1);
  installed_ = true;
}

void FaultVfs::Uninstall() {
  if (installed_) {
    sqlite3_vfs_unregister(&vfs_);
    sqlite3_vfs_register(base_, /*makeDflt=*/1);
    installed_ = false;
  }
}

void FaultVfs::Arm(std::uint64_t crash_after) {
  std::lock_guard lock(mu_);
  ops_ = 0;
  crash_after_ = crash_after;
  crashed_ = false;
  files_.clear();
}

void FaultVfs::PowerCut() {
  std::lock_guard lock(mu_);
  crashed_ = true;
}

bool FaultVfs::crashed() const {
  std::lock_guard lock(mu_);
  return crashed_;
}

std::uint64_t FaultVfs::operations() const {
  std::lock_guard lock(mu_);
  return ops_;
}

bool FaultVfs::Tick() {
  if (crashed_) {
    return false;
  }
  ++ops_;
  if (crash_after_ != 0 && ops_ >= crash_after_) {
    crashed_ = true;
  }
  return !crashed_;
}

FaultVfs* FaultVfs::Self(sqlite3_vfs* vfs) { return static_cast<FaultVfs*>(vfs->pAppData); }

sqlite3_file* FaultVfs::Real(sqlite3_file* file) {
  return reinterpret_cast<sqlite3_file*>(reinterpret_cast<char*>(file) + kHeader);
}

FaultVfs::FileState& FaultVfs::StateFor(const std::string& path, sqlite3_file* real) {
  auto it = files_.find(path);
  if (it == files_.end()) {
    sqlite3_int64 size = 0;
    real->pMethods->xFileSize(real, &size);
    it = files_.emplace(path, FileState{size, {}}).first;
  }
  return it->second;
}

// Every method we do not intercept, routed to the base VFS's file behind ours.
sqlite3_io_methods FaultVfs::Forwarding(int base_version) {
  sqlite3_io_methods m{};
  m.iVersion = std::min(base_version, 2);  // no memory-mapped I/O (xFetch/xUnfetch)
  m.xClose = &FaultVfs::Close;
  m.xWrite = &FaultVfs::Write;
  m.xTruncate = &FaultVfs::Truncate;
  m.xSync = &FaultVfs::Sync;
  m.xRead = [](sqlite3_file* f, void* data, int amount, sqlite3_int64 offset) {
    return Real(f)->pMethods->xRead(Real(f), data, amount, offset);
  };
  m.xFileSize = [](sqlite3_file* f, sqlite3_int64* size) {
    return Real(f)->pMethods->xFileSize(Real(f), size);
  };
  m.xLock = [](sqlite3_file* f, int level) { return Real(f)->pMethods->xLock(Real(f), level); };
  m.xUnlock = [](sqlite3_file* f, int level) { return Real(f)->pMethods->xUnlock(Real(f), level); };
  m.xCheckReservedLock = [](sqlite3_file* f, int* out) {
    return Real(f)->pMethods->xCheckReservedLock(Real(f), out);
  };
  m.xFileControl = [](sqlite3_file* f, int op, void* arg) {
    return Real(f)->pMethods->xFileControl(Real(f), op, arg);
  };
  m.xSectorSize = [](sqlite3_file* f) { return Real(f)->pMethods->xSectorSize(Real(f)); };
  m.xDeviceCharacteristics = [](sqlite3_file* f) {
    return Real(f)->pMethods->xDeviceCharacteristics(Real(f));
  };
  m.xShmMap = [](sqlite3_file* f, int region, int size, int extend, void volatile** out) {
    return Real(f)->pMethods->xShmMap(Real(f), region, size, extend, out);
  };
  m.xShmLock = [](sqlite3_file* f, int offset, int n, int flags) {
    return Real(f)->pMethods->xShmLock(Real(f), offset, n, flags);
  };
  m.xShmBarrier = [](sqlite3_file* f) { Real(f)->pMethods->xShmBarrier(Real(f)); };
  m.xShmUnmap = [](sqlite3_file* f, int delete_flag) {
    return Real(f)->pMethods->xShmUnmap(Real(f), delete_flag);
  };
  return m;
}

int FaultVfs::Open(sqlite3_vfs* vfs, const char* name, sqlite3_file* file, int flags, int* out) {
  FaultVfs* self = Self(vfs);
  auto* f = reinterpret_cast<File*>(file);
  f->base.pMethods = nullptr;
  const int rc = self->base_->xOpen(self->base_, name, Real(file), flags, out);
  if (rc != SQLITE_OK) {
    return rc;
  }
  if (self->methods_.iVersion == 0) {
    self->methods_ = Forwarding(Real(file)->pMethods->iVersion);
  }
  f->owner = self;
  f->path = name != nullptr ? new std::string(name) : nullptr;
  f->base.pMethods = &self->methods_;
  return SQLITE_OK;
}

int FaultVfs::Delete(sqlite3_vfs* vfs, const char* name, int sync_dir) {
  FaultVfs* self = Self(vfs);
  std::lock_guard lock(self->mu_);
  if (!self->Tick()) {
    return SQLITE_IOERR_DELETE;
  }
  self->files_.erase(name);
  return self->base_->xDelete(self->base_, name, sync_dir);
}

int FaultVfs::Close(sqlite3_file* file) {
  auto* f = reinterpret_cast<File*>(file);
  sqlite3_file* real = Real(file);
  const int rc = real->pMethods->xClose(real);
  delete f->path;
  f->path = nullptr;
  return rc;
}

int FaultVfs::Write(sqlite3_file* file, const void* data, int amount, sqlite3_int64 offset) {
  auto* f = reinterpret_cast<File*>(file);
  sqlite3_file* real = Real(file);
  std::lock_guard lock(f->owner->mu_);
  if (!f->owner->Tick()) {
    return SQLITE_IOERR_WRITE;
  }
  if (f->path != nullptr) {
    FileState& state = f->owner->StateFor(*f->path, real);
    sqlite3_int64 size = 0;
    real->pMethods->xFileSize(real, &size);
    Change change;
    change.offset = offset;
    change.after.assign(static_cast<const char*>(data), static_cast<std::size_t>(amount));
    const sqlite3_int64 existing = std::clamp<sqlite3_int64>(size - offset, 0, amount);
    change.before.resize(static_cast<std::size_t>(existing));
    if (existing > 0) {
      real->pMethods->xRead(real, change.before.data(), static_cast<int>(existing), offset);
    }
    state.changes.push_back(std::move(change));
  }
  return real->pMethods->xWrite(real, data, amount, offset);
}

int FaultVfs::Truncate(sqlite3_file* file, sqlite3_int64 size) {
  auto* f = reinterpret_cast<File*>(file);
  sqlite3_file* real = Real(file);
  std::lock_guard lock(f->owner->mu_);
  if (!f->owner->Tick()) {
    return SQLITE_IOERR_TRUNCATE;
  }
  if (f->path != nullptr) {
    FileState& state = f->owner->StateFor(*f->path, real);
    sqlite3_int64 current = 0;
    real->pMethods->xFileSize(real, &current);
    Change change;
    change.truncate = true;
    change.offset = size;
    change.new_size = size;
    if (current > size) {
      change.before.resize(static_cast<std::size_t>(current - size));
      real->pMethods->xRead(real, change.before.data(), static_cast<int>(current - size), size);
    }
    state.changes.push_back(std::move(change));
  }
  return real->pMethods->xTruncate(real, size);
}

int FaultVfs::Sync(sqlite3_file* file, int flags) {
  auto* f = reinterpret_cast<File*>(file);
  sqlite3_file* real = Real(file);
  std::lock_guard lock(f->owner->mu_);
  if (!f->owner->Tick()) {
    return SQLITE_IOERR_FSYNC;
  }
  const int rc = real->pMethods->xSync(real, flags);
  if (rc == SQLITE_OK && f->path != nullptr) {
    FileState& state = f->owner->StateFor(*f->path, real);
    sqlite3_int64 size = 0;
    real->pMethods->xFileSize(real, &size);
    state.synced_size = size;
    state.changes.clear();
  }
  return rc;
}

std::string FaultVfs::Apply(PowerLoss mode, std::mt19937_64& rng) {
  std::lock_guard lock(mu_);
  std::string what = PowerLossName(mode);
  // For kFlipByte: every byte written since a sync is a candidate; pick one uniformly.
  std::vector<std::pair<std::string, const Change*>> written;
  std::bernoulli_distribution coin(0.5);
  for (const auto& [path, state] : files_) {
    const int fd = ::open(path.c_str(), O_RDWR);
    if (fd < 0) {
      continue;  // deleted since (its deletion is durable here)
    }
    std::vector<std::string> before;
    std::vector<std::int64_t> at;
    for (const Change& c : state.changes) {
      before.push_back(c.before);
      at.push_back(c.offset);
      if (!c.truncate && !c.after.empty()) {
        written.emplace_back(path, &c);
      }
    }
    const std::int64_t size = SizeOf(fd);
    what += "; " + path.substr(path.rfind('/') + 1) + ": size " + std::to_string(size) +
            ", synced " + std::to_string(state.synced_size) + ", " +
            std::to_string(state.changes.size()) + " unsynced changes";
    if (mode == PowerLoss::kDropUnsynced || mode == PowerLoss::kRandomSubset) {
      Revert(fd, before, at, state.synced_size);
    }
    if (mode == PowerLoss::kTruncate && size > state.synced_size) {
      Check(::ftruncate(fd, state.synced_size) == 0, "ftruncate");
    }
    if (mode == PowerLoss::kRandomSubset) {
      int kept = 0;
      for (const Change& c : state.changes) {
        if (!coin(rng)) {
          continue;
        }
        ++kept;
        if (c.truncate) {
          Check(::ftruncate(fd, c.new_size) == 0, "ftruncate");
        } else {
          WriteAt(fd, c.after, c.offset);
        }
      }
      what += " (" + std::to_string(kept) + " kept)";
    }
    ::close(fd);
  }
  if (mode == PowerLoss::kFlipByte && !written.empty()) {
    const auto& [path, change] =
        written[std::uniform_int_distribution<std::size_t>(0, written.size() - 1)(rng)];
    const std::int64_t offset =
        change->offset + std::uniform_int_distribution<std::int64_t>(
                             0, static_cast<std::int64_t>(change->after.size()) - 1)(rng);
    const int fd = ::open(path.c_str(), O_RDWR);
    Check(fd >= 0, "open " + path);
    unsigned char byte = 0;
    if (::pread(fd, &byte, 1, offset) == 1) {
      byte = static_cast<unsigned char>(~byte);
      Check(::pwrite(fd, &byte, 1, offset) == 1, "pwrite");
      what += "; flipped byte " + std::to_string(offset) + " of " + path;
    }
    ::close(fd);
  }
  return what;
}

}  // namespace custos::crash
