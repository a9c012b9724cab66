// SPDX-License-Identifier: Apache-2.0
// Free disk space for imports: an import is refused when the data directory's file system has
// less than a margin free, and stops (its run failed, what was committed kept) when it falls
// under it while importing. The margin is `--min-free-mb` (default 512 MiB; docs/directory.md).
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string>

#include "core/status.h"

namespace custos::app {

inline constexpr std::int64_t kDefaultMinFreeMb = 512;

// kResourceExhausted naming the directory, the free space and the margin when fewer than
// `min_free_mb` MiB are available to this user on the file system of `dir`.
core::Status CheckFreeSpace(const std::string& dir, std::int64_t min_free_mb);

}  // namespace custos::app
