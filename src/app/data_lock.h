// SPDX-License-Identifier: Apache-2.0
// One writer per data directory (docs/crash-safety.md, "One writer per data directory"): every
// process that opens DIR to write holds an exclusive flock(2) on DIR/lock for its whole life.
// The kernel drops the lock when the process ends, however it ends (kill -9 included), so a
// crash never leaves a stale lock behind. The holder writes its pid and command line into the
// file, so that a refused process can name it. Read-only opens take no lock (SQLite's WAL lets
// readers run beside the writer).
// Thread-safety: a DataLock is owned by one object; the static functions are safe anywhere.
#pragma once

#include <memory>
#include <string>

#include "core/status.h"

namespace custos::app {

// The holder of DIR/lock as it recorded itself; pid 0 when unknown.
struct LockHolder {
  long pid = 0;
  std::string command;  // its command line, e.g. "custos serve --data ./custos-data"
};

class DataLock {
 public:
  // Takes the exclusive lock on DIR/lock without waiting. kUnavailable naming the holder's pid
  // and command when another process holds it; kUnavailable when the file cannot be opened.
  static core::Result<std::unique_ptr<DataLock>> Acquire(const std::string& data_dir);

  // Who last recorded itself in DIR/lock (the holder, when Acquire was just refused); pid 0
  // when the file is missing or empty. Reads the file only: takes no lock.
  static LockHolder RecordedHolder(const std::string& data_dir);

  ~DataLock();  // releases the lock
  DataLock(const DataLock&) = delete;
  DataLock& operator=(const DataLock&) = delete;

 private:
  explicit DataLock(int fd) : fd_(fd) {}

  int fd_;
};

}  // namespace custos::app
