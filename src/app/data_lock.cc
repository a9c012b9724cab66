// SPDX-License-Identifier: Apache-2.0
#include "app/data_lock.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

namespace custos::app {
namespace {

constexpr std::size_t kMaxCommandBytes = 200;

std::string LockPath(const std::string& data_dir) { return data_dir + "/lock"; }

// This process's command line, arguments separated by spaces, the program by its base name.
std::string OwnCommandLine() {
  std::ifstream in("/proc/self/cmdline", std::ios::binary);
  std::string out;
  std::string arg;
  bool first = true;
  while (std::getline(in, arg, '\0') && out.size() <= kMaxCommandBytes) {
    if (first) {
      const std::size_t slash = arg.rfind('/');
      out = slash == std::string::npos ? arg : arg.substr(slash + 1);
      first = false;
    } else {
      out += ' ';
      out += arg;
    }
  }
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      c = ' ';
    }
  }
  if (out.size() > kMaxCommandBytes) {
    out.resize(kMaxCommandBytes);
    out += "...";
  }
  return out;
}

}  // namespace

core::Result<std::unique_ptr<DataLock>> DataLock::Acquire(const std::string& data_dir) {
  const std::string path = LockPath(data_dir);
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) {
    return core::Unavailable("cannot open the lock file " + path + ": " + std::strerror(errno));
  }
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int err = errno;
    ::close(fd);
    if (err != EWOULDBLOCK) {
      return core::Unavailable("cannot lock " + path + ": " + std::strerror(err));
    }
    const LockHolder holder = RecordedHolder(data_dir);
    std::string who = holder.pid > 0 ? "process " + std::to_string(holder.pid) : "another process";
    if (!holder.command.empty()) {
      who += " (" + holder.command + ")";
    }
    return core::Unavailable("the data directory " + data_dir + " is in use by " + who +
                             ": only one process may write to it at a time; stop that process "
                             "or wait for it to finish (read-only commands such as verify and "
                             "audit list may run beside it)");
  }
  std::unique_ptr<DataLock> lock(new DataLock(fd));
  const std::string content = std::to_string(::getpid()) + "\n" + OwnCommandLine() + "\n";
  if (::ftruncate(fd, 0) != 0 ||
      ::pwrite(fd, content.data(), content.size(), 0) != static_cast<ssize_t>(content.size())) {
    return core::Unavailable("cannot write " + path + ": " + std::strerror(errno));
  }
  return lock;
}

LockHolder DataLock::RecordedHolder(const std::string& data_dir) {
  LockHolder holder;
  std::ifstream in(LockPath(data_dir));
  std::string pid_line;
  if (!std::getline(in, pid_line)) {
    return holder;
  }
  char* end = nullptr;
  const long pid = std::strtol(pid_line.c_str(), &end, 10);
  if (end != pid_line.c_str() && *end == '\0' && pid > 0) {
    holder.pid = pid;
  }
  std::getline(in, holder.command);
  return holder;
}

DataLock::~DataLock() { ::close(fd_); }

}  // namespace custos::app
