// SPDX-License-Identifier: Apache-2.0
#include "archive/log_head.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <span>

#include <fcntl.h>
#include <unistd.h>

#include "archive/checkpointer.h"
#include "crypto/checkpoint.h"

namespace custos::archive {
namespace {

core::Status Errno(const std::string& what) {
  return core::Unavailable(what + ": " + std::strerror(errno));
}

core::Status SyncPath(const std::string& path, int flags) {
  const int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) {
    return Errno("cannot open " + path);
  }
  const bool ok = ::fsync(fd) == 0;
  ::close(fd);
  return ok ? core::Status::Ok() : Errno("cannot sync " + path);
}

}  // namespace

core::Status WriteLogHead(const std::string& path, const std::string& note) {
  const std::string tmp = path + ".tmp-" + std::to_string(::getpid());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << note;
    out.close();
    if (!out) {
      return Errno("cannot write " + tmp);
    }
  }
  RETURN_IF_ERROR(SyncPath(tmp, O_RDONLY));
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    return Errno("cannot rename " + tmp + " to " + path);
  }
  const std::string dir = std::filesystem::path(path).parent_path().string();
  return SyncPath(dir.empty() ? "." : dir, O_RDONLY | O_DIRECTORY);
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
