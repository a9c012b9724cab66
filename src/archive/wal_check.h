// SPDX-License-Identifier: Apache-2.0
// CheckWal: finds committed transactions that SQLite would silently drop from a write-ahead log.
//
// SQLite reads a WAL (https://www.sqlite.org/fileformat2.html#walformat) frame by frame and
// stops at the first frame whose salts or cumulative checksum do not match: that frame and
// everything after it are ignored, as after a torn write at power loss. A single damaged byte
// in a frame that was committed long ago therefore makes every later commit vanish, and the
// archive still looks consistent, only older. Each frame header stores the running checksum, so
// the frames after a damaged one can still be checked against their predecessor's stored value:
// when a damaged frame (or header) is followed by a frame of the same WAL generation that checks
// out and ends a transaction (a commit frame), committed work would be lost, and that is
// reported. A damaged tail with no intact commit frame after it is what an interrupted,
// never-acknowledged write leaves, and is not.
//
// Run it before anything opens the database: the first connection to open (and the last to
// close) a WAL database replays or checkpoints the log and may delete it.
//
// Thread-safety: a free function; reads the file only.
#pragma once

#include <optional>
#include <string>

#include "core/status.h"

namespace custos::archive {

// `wal_path` is the database's "-wal" file, `db_path` the database (for its page size when the
// WAL header is damaged). nullopt when the WAL is absent, empty or loses nothing; otherwise
// what is wrong, in words. An error Result only when a file cannot be read.
core::Result<std::optional<std::string>> CheckWal(const std::string& wal_path,
                                                  const std::string& db_path);

}  // namespace custos::archive
