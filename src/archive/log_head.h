// SPDX-License-Identifier: Apache-2.0
// The log head: a copy of the latest signed checkpoint kept outside the database
// (DIR/keys/latest-checkpoint), written only after the checkpoint's transaction has committed.
//
// SQLite silently drops every transaction after a damaged write-ahead-log frame, and a database
// file replaced by an older copy still verifies as a consistent, only shorter, archive. The head
// catches both: the checkpoint it holds must be stored in the archive, exactly. A crash between
// the commit and the head's write leaves the head one checkpoint behind, which is fine (it only
// has to be among the stored ones); the head is never ahead of a durable commit.
//
// Thread-safety: free functions; concurrent writers replace the file atomically (rename), so a
// reader sees one whole note.
#pragma once

#include <optional>
#include <string>

#include "core/fs.h"
#include "core/status.h"
#include "crypto/signed_note.h"
#include "storage/database.h"

namespace custos::archive {

// Replaces the file at `path` (mode 0644) with `note` through core::FileSystem::WriteFileAtomic
// (a temporary file, fsync, rename, fsync of the directory); kInternal naming the path when
// any step fails, and the previous head is then left in place.
core::Status WriteLogHead(const std::string& path, const std::string& note,
                          core::FileSystem& fs = core::LocalFileSystem());

// What is wrong with the head at `path` against the checkpoints stored in `tx`, checked with
// `verifier`; nullopt when it is absent or holds a stored checkpoint.
core::Result<std::optional<std::string>> CheckLogHead(storage::Transaction& tx,
                                                      const std::string& path,
                                                      const crypto::NoteVerifier& verifier);

}  // namespace custos::archive
