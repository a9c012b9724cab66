// SPDX-License-Identifier: Apache-2.0
#include "directory/import_runs.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>
#include <sys/stat.h>

#include "archive/canonical.h"
#include "archive/records.h"
#include "core/text.h"
#include "crypto/crypto.h"
#include "directory/sql/import_runs.h"

namespace custos::directory {
namespace {

namespace fs = std::filesystem;
using archive::CanonicalValue;

core::Result<std::string> FileSha256(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return core::InvalidArgument(path.string() + ": cannot be read");
  }
  crypto::Sha256Hasher hasher;
  std::string buffer(1 << 20, '\0');
  while (in) {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    hasher.Update(std::string_view(buffer.data(), static_cast<std::size_t>(in.gcount())));
  }
  if (in.bad()) {
    return core::Unavailable(path.string() + ": read error");
  }
  return core::HexEncode(hasher.Finish());
}

CanonicalValue::Object RunBody(const ImportRun& r) {
  CanonicalValue::Object skipped;
  for (const auto& [kind, n] : r.skipped) {
    skipped.emplace(kind, n);
  }
  CanonicalValue::Object body{
      {"custodian", r.custodian},
      {"duplicates", r.duplicates},
      {"ended_at", core::FormatRfc3339(r.ended_at)},
      {"imported", r.imported},
      {"importer", r.importer},
      {"rejected", r.rejected},
      {"run_id", r.id},
      {"skipped", r.SkippedTotal()},
      {"skipped_by_kind", std::move(skipped)},
      {"source_name", r.source_name},
      {"source_sha256", r.source_sha256},
      {"started_at", core::FormatRfc3339(r.started_at)},
      {"status", r.status},
      {"version", r.version},
  };
  if (!r.stopped_at.empty()) {
    body.emplace("stopped_at", r.stopped_at);
  }
  if (!r.attachments_not_stored.empty()) {
    CanonicalValue::Array list;
    for (const std::string& a : r.attachments_not_stored) {
      list.emplace_back(a);
    }
    body.emplace("attachments_not_stored", std::move(list));
  }
  return body;
}

}  // namespace

std::int64_t ImportRun::SkippedTotal() const {
  std::int64_t n = 0;
  for (const auto& [kind, count] : skipped) {
    n += count;
  }
  return n;
}

core::Result<std::string> SourceSha256(const std::string& path) {
  std::error_code ec;
  if (!fs::is_directory(path, ec)) {
    return FileSha256(path);
  }
  std::vector<std::string> files;
  for (auto it = fs::recursive_directory_iterator(path, ec); !ec && it != fs::end(it);
       it.increment(ec)) {
    if (it->is_regular_file(ec)) {
      files.push_back(fs::relative(it->path(), path, ec).generic_string());
    }
  }
  if (ec) {
    return core::InvalidArgument(path + ": " + ec.message());
  }
  std::sort(files.begin(), files.end());
  crypto::Sha256Hasher manifest;
  for (const std::string& f : files) {
    ASSIGN_OR_RETURN(std::string digest, FileSha256(fs::path(path) / f));
    manifest.Update(f);
    manifest.Update(std::string_view("\0", 1));
    manifest.Update(digest);
    manifest.Update("\n");
  }
  return core::HexEncode(manifest.Finish());
}

core::Result<std::string> SourceStamp(const std::string& path) {
  const auto stamp_of = [](const fs::path& p) -> core::Result<std::string> {
    struct stat st {};
    if (::stat(p.c_str(), &st) != 0) {
      return core::NotFound("cannot stat " + p.string() + ": " + std::strerror(errno));
    }
    return std::to_string(st.st_dev) + ":" + std::to_string(st.st_ino) + ":" +
           std::to_string(st.st_size) + ":" + std::to_string(st.st_mtim.tv_sec) + "." +
           std::to_string(st.st_mtim.tv_nsec);
  };
  std::error_code ec;
  if (!fs::is_directory(path, ec)) {
    return stamp_of(path);
  }
  std::vector<std::string> files;
  for (auto it = fs::recursive_directory_iterator(path, ec); !ec && it != fs::end(it);
       it.increment(ec)) {
    if (it->is_regular_file(ec)) {
      files.push_back(fs::relative(it->path(), path, ec).generic_string());
    }
  }
  if (ec) {
    return core::InvalidArgument(path + ": " + ec.message());
  }
  std::sort(files.begin(), files.end());
  std::string out;
  for (const std::string& f : files) {
    ASSIGN_OR_RETURN(std::string one, stamp_of(fs::path(path) / f));
    out += f + '\0' + one + '\n';
  }
  return out;
}

ImportRuns::ImportRuns(storage::Database* db, const crypto::KeyRing* keys, const core::Clock* clock)
    : db_(db), keys_(keys), clock_(clock) {}

core::Status ImportRuns::Begin(ImportRun& run) {
  run.started_at = clock_->Now();
  run.status = "running";
  ASSIGN_OR_RETURN(auto tx, db_->Begin(storage::TxMode::kWrite));
  ASSIGN_OR_RETURN(run.id, sql::InsertImportRun(*tx, run));
  return tx->Commit();
}

core::Status ImportRuns::Finish(ImportRun& run) {
  run.ended_at = clock_->Now();
  ASSIGN_OR_RETURN(auto tx, db_->Begin(storage::TxMode::kWrite));
  ASSIGN_OR_RETURN(archive::RecordAppender records, archive::RecordAppender::Begin(*tx, *keys_));
  ASSIGN_OR_RETURN(run.record_id, records.Append("import_run", run.ended_at, RunBody(run)));
  RETURN_IF_ERROR(sql::FinishImportRun(*tx, run));
  return tx->Commit();
}

core::Result<std::vector<ImportRun>> ImportRuns::List() const {
  ASSIGN_OR_RETURN(auto tx, db_->Begin(storage::TxMode::kRead));
  ASSIGN_OR_RETURN(std::vector<ImportRun> rows, sql::ListImportRuns(*tx));
  std::vector<ImportRun> out;
  out.reserve(rows.size());
  for (ImportRun& run : rows) {
    if (run.record_id != 0) {
      auto bytes = archive::ReadCanonical(*tx, *keys_, run.record_id);
      if (bytes.has_value()) {  // a disposed record keeps only the index row's figures
        const nlohmann::json record = nlohmann::json::parse(*bytes, nullptr, false);
        const nlohmann::json body =
            record.is_object() ? record.value("body", nlohmann::json()) : nlohmann::json();
        if (body.is_object()) {
          run.version = body.value("version", "");
          run.source_name = body.value("source_name", "");
          run.custodian = body.value("custodian", "");
          run.stopped_at = body.value("stopped_at", "");
          if (body.contains("attachments_not_stored") &&
              body["attachments_not_stored"].is_array()) {
            for (const nlohmann::json& a : body["attachments_not_stored"]) {
              run.attachments_not_stored.push_back(a.is_string() ? a.get<std::string>() : "");
            }
          }
          if (body.contains("skipped_by_kind") && body["skipped_by_kind"].is_object()) {
            for (const auto& [kind, n] : body["skipped_by_kind"].items()) {
              run.skipped[kind] = n.is_number_integer() ? n.get<std::int64_t>() : 0;
            }
          }
        }
      }
    }
    out.push_back(std::move(run));
  }
  return out;
}

}  // namespace custos::directory
