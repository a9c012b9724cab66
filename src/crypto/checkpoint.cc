// SPDX-License-Identifier: Apache-2.0
#include "crypto/checkpoint.h"

#include <charconv>

#include "core/text.h"
#include "crypto/crypto.h"

namespace custos::crypto {
namespace {

bool HasControlCharacter(std::string_view s) {
  for (const char c : s) {
    if (static_cast<unsigned char>(c) < 0x20) {
      return true;
    }
  }
  return false;
}

}  // namespace

core::Result<std::string> FormatCheckpoint(const Checkpoint& checkpoint) {
  if (checkpoint.origin.empty() || HasControlCharacter(checkpoint.origin)) {
    return core::InvalidArgument("checkpoint origin must be non-empty, without control characters");
  }
  if (checkpoint.root_hash.size() != kSha256Bytes) {
    return core::InvalidArgument("checkpoint root hash must be 32 bytes");
  }
  std::string text = checkpoint.origin + "\n" + std::to_string(checkpoint.tree_size) + "\n" +
                     Base64Encode(checkpoint.root_hash) + "\n";
  for (const std::string& line : checkpoint.extensions) {
    if (line.empty() || HasControlCharacter(line)) {
      return core::InvalidArgument(
          "checkpoint extension lines must be non-empty, without control characters");
    }
    text += line + "\n";
  }
  return text;
}

core::Result<Checkpoint> ParseCheckpoint(std::string_view text) {
  if (text.empty() || text.back() != '\n') {
    return core::InvalidArgument("checkpoint text must end in a newline");
  }
  text.remove_suffix(1);
  const std::vector<std::string_view> lines = core::Split(text, '\n');
  if (lines.size() < 3) {
    return core::InvalidArgument("checkpoint has fewer than three lines");
  }
  Checkpoint checkpoint;
  if (lines[0].empty()) {
    return core::InvalidArgument("checkpoint origin (line 1) is empty");
  }
  checkpoint.origin = std::string(lines[0]);

  const std::string_view size = lines[1];
  const auto [end, ec] =
      std::from_chars(size.data(), size.data() + size.size(), checkpoint.tree_size);
  if (size.empty() || ec != std::errc() || end != size.data() + size.size() ||
      (size.size() > 1 && size[0] == '0')) {
    return core::InvalidArgument("checkpoint tree size (line 2) is not a canonical decimal");
  }

  core::Result<std::string> root = Base64Decode(lines[2]);
  if (!root.has_value() || root->size() != kSha256Bytes) {
    return core::InvalidArgument("checkpoint root hash (line 3) is not base64 of 32 bytes");
  }
  checkpoint.root_hash = std::move(root).value();

  for (std::size_t i = 3; i < lines.size(); ++i) {
    if (lines[i].empty()) {
      return core::InvalidArgument("checkpoint extension line " + std::to_string(i + 1) +
                                   " is empty");
    }
    checkpoint.extensions.emplace_back(lines[i]);
  }
  return checkpoint;
}

core::Result<std::string> SignCheckpoint(const Checkpoint& checkpoint, const NoteSigner& signer) {
  ASSIGN_OR_RETURN(std::string text, FormatCheckpoint(checkpoint));
  return SignNote(text, std::span<const NoteSigner>(&signer, 1));
}

core::Result<Checkpoint> OpenCheckpoint(std::string_view note,
                                        std::span<const NoteVerifier> verifiers) {
  ASSIGN_OR_RETURN(VerifiedNote verified, OpenNote(note, verifiers));
  return ParseCheckpoint(verified.text);
}

}  // namespace custos::crypto
