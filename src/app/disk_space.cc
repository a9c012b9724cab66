// SPDX-License-Identifier: Apache-2.0
#include "app/disk_space.h"

#include <cerrno>
#include <cstring>

#include <sys/statvfs.h>

namespace custos::app {

core::Status CheckFreeSpace(const std::string& dir, std::int64_t min_free_mb) {
  struct statvfs fs {};

  if (::statvfs(dir.c_str(), &fs) != 0) {
    return core::Unavailable("cannot read the free space of " + dir + ": " + std::strerror(errno));
  }
  const std::uint64_t block = fs.f_frsize;
  const std::uint64_t free_mb = (block * fs.f_bavail) >> 20;
  if (min_free_mb > 0 && free_mb < static_cast<std::uint64_t>(min_free_mb)) {
    return core::ResourceExhausted(
        "only " + std::to_string(free_mb) + " MiB free on the file system of " + dir +
        ", under the margin of " + std::to_string(min_free_mb) +
        " MiB (--min-free-mb): free some space, or lower the margin, and import again");
  }
  return core::Status::Ok();
}

}  // namespace custos::app
