// SPDX-License-Identifier: Apache-2.0
// Transparency-log checkpoints (c2sp.org/tlog-checkpoint): the signed tree head of the
// archive's Merkle log, carried as a signed note (crypto/signed_note.h). The note text is
//   <origin>\n<tree size, decimal, no leading zeros>\n<base64 32-byte root hash>\n
// optionally followed by non-empty extension lines. See docs/formats/checkpoint.md.
// Thread-safety: value types and free functions; safe concurrently.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "crypto/signed_note.h"

namespace custos::crypto {

struct Checkpoint {
  std::string origin;                   // the log's identity, e.g. "custos.example/archive"
  std::uint64_t tree_size = 0;          // number of leaves
  std::string root_hash;                // 32 raw bytes, MTH of the first tree_size leaves
  std::vector<std::string> extensions;  // opaque extra lines, usually none
};

// The note text for `checkpoint`. kInvalidArgument when the origin is empty or holds a newline
// or control character, the root hash is not 32 bytes, or an extension line is empty or holds
// a newline.
core::Result<std::string> FormatCheckpoint(const Checkpoint& checkpoint);

// Parses checkpoint note text (not the signatures). kInvalidArgument with the reason when it
// has fewer than three lines, an empty origin, a size that is not canonical decimal, a root
// that is not base64 of 32 bytes, or an empty extension line.
core::Result<Checkpoint> ParseCheckpoint(std::string_view text);

// FormatCheckpoint followed by SignNote: the complete signed checkpoint.
core::Result<std::string> SignCheckpoint(const Checkpoint& checkpoint, const NoteSigner& signer);

// Verifies a signed checkpoint (OpenNote) and parses its text. Errors as OpenNote and
// ParseCheckpoint. Callers should also check that the origin is the log they expect.
core::Result<Checkpoint> OpenCheckpoint(std::string_view note,
                                        std::span<const NoteVerifier> verifiers);

}  // namespace custos::crypto
