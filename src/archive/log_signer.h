// SPDX-License-Identifier: Apache-2.0
// The identity of the archive's Merkle log: its origin line (docs/formats/checkpoint.md),
// generated once as "custos/<8 random hex digits>" and kept in the `settings` table under
// `log.origin`, and the Ed25519 key that signs its checkpoints, kept in its own file next to
// the key ring (DIR/keys/log-signer, mode 0600) as the Go sumdb signer key string, whose key
// name is the origin.
//
// The file holds one line, "<signer key string>\n". It is created whole (0600 temporary file,
// fsync, link into place, directory fsync), never rewritten, and never logged. When two
// processes create it at once, the one that loses loads the winner's key.
// Thread-safety: free functions; the file functions may race with each other across processes.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/fs.h"
#include "core/status.h"
#include "crypto/signed_note.h"
#include "storage/database.h"

namespace custos::archive {

// The `settings` key that holds the log's origin.
inline constexpr std::string_view kLogOriginSetting = "log.origin";

// The stored origin; nullopt when none was created yet.
core::Result<std::optional<std::string>> ReadLogOrigin(storage::Transaction& tx);

// The stored origin, or a new "custos/<8 hex>" stored in `tx` (a write transaction; the caller
// commits) when there is none.
core::Result<std::string> LoadOrCreateLogOrigin(storage::Transaction& tx);

// Loads the signer key file at `path`. kNotFound when it does not exist; kPermissionDenied when
// group or others may access it; kInvalidArgument when it is not a valid signer key (the key
// itself is never echoed); kInternal on I/O failure.
core::Result<crypto::NoteSigner> LoadLogSigner(const std::string& path);

// Loads the signer key at `path`, or creates it with a fresh key named `origin` when absent.
// kFailedPrecondition when an existing key is named for another origin; kInternal when the
// new key file cannot be written (it is created through `fs`, core/fs.h).
core::Result<crypto::NoteSigner> LoadOrCreateLogSigner(
    const std::string& path, std::string_view origin,
    core::FileSystem& fs = core::LocalFileSystem());

}  // namespace custos::archive
