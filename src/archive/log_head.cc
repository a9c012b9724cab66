// SPDX-License-Identifier: Apache-2.0
#include "archive/log_head.h"

#include <fstream>
#include <iterator>
#include <span>

#include "archive/checkpointer.h"
#include "crypto/checkpoint.h"

namespace custos::archive {

core::Status WriteLogHead(const std::string& path, const std::string& note, core::FileSystem& fs) {
  return fs.WriteFileAtomic(path, note, {.mode = 0644});
}

core::Result<std::optional<std::string>> CheckLogHead(storage::Transaction& tx,
                                                      const std::string& path,
                                                      const crypto::NoteVerifier& verifier) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return std::optional<std::string>();  // an archive from before heads, or never checkpointed
  }
  const std::string note((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto head = crypto::OpenCheckpoint(note, std::span<const crypto::NoteVerifier>(&verifier, 1));
  if (!head.has_value()) {
    return std::optional<std::string>("is damaged: " + head.error().message());
  }
  ASSIGN_OR_RETURN(std::optional<StoredCheckpoint> stored, CheckpointAt(tx, head->tree_size));
  if (!stored || stored->note != note) {
    return std::optional<std::string>(
        "holds the log's signed checkpoint at tree size " + std::to_string(head->tree_size) +
        ", which the archive does not have: committed records or checkpoints were lost (a "
        "damaged write-ahead log, or the database replaced by an older copy)");
  }
  return std::optional<std::string>();
}

}  // namespace custos::archive
