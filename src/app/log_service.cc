// SPDX-License-Identifier: Apache-2.0
#include "app/log_service.h"

#include <algorithm>
#include <filesystem>
#include <unordered_map>

#include "archive/log_head.h"
#include "archive/log_signer.h"
#include "archive/records.h"
#include "core/log.h"
#include "core/mutex.h"

namespace custos::app {
namespace {

// The origin for a writable open, refusing a signing key that outlived its database.
core::Result<std::string> WritableOrigin(storage::Database& db, const std::string& key_path) {
  ASSIGN_OR_RETURN(auto tx, db.Begin(storage::TxMode::kWrite));
  ASSIGN_OR_RETURN(std::optional<std::string> stored, archive::ReadLogOrigin(*tx));
  if (stored) {
    return *stored;
  }
  core::Result<crypto::NoteSigner> existing = archive::LoadLogSigner(key_path);
  if (existing.has_value()) {
    return core::FailedPrecondition(
        "log signing key " + key_path + " signs log \"" + existing->Name() +
        "\", but this database has no log yet; a new log must not reuse another log's key "
        "(move the file away to start a new log)");
  }
  if (existing.error().code() != core::StatusCode::kNotFound) {
    return existing.error();
  }
  ASSIGN_OR_RETURN(std::string origin, archive::LoadOrCreateLogOrigin(*tx));
  RETURN_IF_ERROR(tx->Commit());
  return origin;
}

}  // namespace

core::Result<std::unique_ptr<LogService>> LogService::Open(storage::Database* db,
                                                           const crypto::KeyRing* keys,
                                                           const core::Clock* clock,
                                                           const std::string& key_path,
                                                           bool read_only) {
  std::unique_ptr<LogService> log(new LogService(db, keys, clock));
  log->head_path_ = (std::filesystem::path(key_path).parent_path() / kLogHeadFile).string();
  if (!read_only) {
    ASSIGN_OR_RETURN(log->origin_, WritableOrigin(*db, key_path));
    ASSIGN_OR_RETURN(crypto::NoteSigner signer,
                     archive::LoadOrCreateLogSigner(key_path, log->origin_));
    log->signer_ = signer;
    log->checkpointer_ = std::make_unique<archive::Checkpointer>(db, std::move(signer), clock);
    return log;
  }
  ASSIGN_OR_RETURN(auto tx, db->Begin(storage::TxMode::kRead));
  ASSIGN_OR_RETURN(std::optional<std::string> origin, archive::ReadLogOrigin(*tx));
  log->origin_ = origin.value_or("");
  core::Result<crypto::NoteSigner> signer = archive::LoadLogSigner(key_path);
  if (signer.has_value()) {
    log->signer_ = std::move(signer).value();
  } else {
    log->signer_error_ = signer.error();
    if (log->signer_error_.code() == core::StatusCode::kNotFound) {
      log->signer_error_ = core::NotFound("this archive's log has no signing key yet (" + key_path +
                                          "); open it writable once to create it");
    }
  }
  return log;
}

core::Result<std::optional<archive::StoredCheckpoint>> LogService::NewCheckpoint() const {
  ASSIGN_OR_RETURN(std::optional<archive::StoredCheckpoint> cp, checkpointer_->CreateCheckpoint());
  if (cp) {
    core::MutexLock lock(&head_mu_);
    if (cp->tree_size > head_size_) {  // never replace a newer head with an older one
      if (const core::Status s = archive::WriteLogHead(head_path_, cp->note); !s.ok()) {
        CUSTOS_LOG_WARN("log head: {}", s.ToString());
      } else {
        head_size_ = cp->tree_size;
      }
    }
  }
  return cp;
}

void LogService::FinalCheckpoint() const {
  if (!checkpointer_) {
    return;
  }
  if (auto cp = NewCheckpoint(); !cp.has_value()) {
    CUSTOS_LOG_ERROR("final checkpoint failed: {}", cp.error().ToString());
  }
}

void LogService::Tick() const {
  if (!checkpointer_) {
    return;
  }
  auto cp = NewCheckpoint();
  if (!cp.has_value()) {
    // Transient (e.g. the write lock is busy); the next tick retries.
    CUSTOS_LOG_WARN("checkpoint failed: {}", cp.error().ToString());
  }
}

core::Result<std::string> LogService::PublicKey() const {
  if (!signer_) {
    return signer_error_;
  }
  return signer_->VerifierKey();
}

core::Result<std::optional<archive::StoredCheckpoint>> LogService::CreateCheckpoint() const {
  if (!checkpointer_) {
    return core::FailedPrecondition("the archive is open read-only; checkpoints are not written");
  }
  return NewCheckpoint();
}

core::Result<archive::StoredCheckpoint> LogService::Checkpoint() const {
  if (checkpointer_) {
    core::Status created = NewCheckpoint().status();
    // A busy write lock only delays the new checkpoint; the latest one is still good to show.
    if (!created.ok() && created.code() != core::StatusCode::kUnavailable) {
      return created;
    }
  }
  ASSIGN_OR_RETURN(auto tx, db_->Begin(storage::TxMode::kRead));
  ASSIGN_OR_RETURN(std::optional<archive::StoredCheckpoint> cp, archive::LatestCheckpoint(*tx));
  if (!cp) {
    return core::NotFound("the log has no checkpoint yet");
  }
  return std::move(*cp);
}

core::Result<std::vector<archive::StoredCheckpoint>> LogService::ListCheckpoints(
    std::uint64_t after_size, int limit) const {
  ASSIGN_OR_RETURN(auto tx, db_->Begin(storage::TxMode::kRead));
  return archive::ListCheckpoints(*tx, after_size, limit);
}

core::Result<archive::RecordInclusion> LogService::ProveInclusion(
    std::int64_t record_id, std::optional<std::uint64_t> tree_size) const {
  for (int attempt = 0;; ++attempt) {
    core::Result<archive::RecordInclusion> proof = [&]() -> core::Result<archive::RecordInclusion> {
      ASSIGN_OR_RETURN(auto tx, db_->Begin(storage::TxMode::kRead));
      return archive::ProveInclusion(*tx, record_id, tree_size);
    }();
    const bool not_yet = !proof.has_value() && !tree_size &&
                         proof.error().code() == core::StatusCode::kFailedPrecondition;
    if (!not_yet || !checkpointer_ || attempt > 0) {
      return proof;
    }
    RETURN_IF_ERROR(NewCheckpoint().status());
  }
}

core::Result<archive::CheckpointConsistency> LogService::ProveConsistency(
    std::uint64_t old_size, std::uint64_t new_size) const {
  ASSIGN_OR_RETURN(auto tx, db_->Begin(storage::TxMode::kRead));
  return archive::ProveConsistency(*tx, old_size, new_size);
}

core::Result<std::string> LogService::RecordCanonical(std::int64_t record_id) const {
  ASSIGN_OR_RETURN(auto tx, db_->Begin(storage::TxMode::kRead));
  return archive::ReadCanonical(*tx, *keys_, record_id);
}

core::Result<archive::VerifyReport> LogService::Verify(const archive::VerifyOptions& options,
                                                       std::string_view verifier_key,
                                                       const search::Index* index) const {
  std::optional<crypto::NoteVerifier> verifier;
  if (!verifier_key.empty()) {
    ASSIGN_OR_RETURN(verifier, crypto::NoteVerifier::FromVerifierKey(verifier_key));
  } else if (signer_) {
    ASSIGN_OR_RETURN(verifier, crypto::NoteVerifier::FromVerifierKey(signer_->VerifierKey()));
  } else {
    core::Status s = signer_error_;
    return s.WithContext("cannot check checkpoint signatures");
  }
  ASSIGN_OR_RETURN(auto tx, db_->Begin(storage::TxMode::kRead));

  struct Expected {
    std::uint64_t fingerprint = 0;
    std::int64_t record_id = 0;
  };

  std::unordered_map<std::int64_t, Expected> expected;  // by message id
  archive::VerifyOptions with_index = options;
  if (index != nullptr) {
    with_index.on_message = [&expected, index, &options](const model::Message& m) {
      expected[m.id] = {index->Fingerprint(m.text), m.record_id};
      if (options.on_message) {
        options.on_message(m);
      }
    };
  }
  ASSIGN_OR_RETURN(archive::VerifyReport report,
                   archive::VerifyArchive(*tx, *keys_, *verifier, with_index));
  if (index != nullptr) {
    auto add = [&report, &options](std::string subject, std::string problem, std::int64_t id) {
      ++report.problem_count;
      if (report.problems.size() < options.max_problems) {
        report.problems.push_back({std::move(subject), std::move(problem), id});
      }
    };
    auto stored = index->StoredFingerprints(*tx);
    if (!stored.has_value()) {
      add("message_index", stored.error().message(), 0);
    } else {
      std::vector<std::pair<std::int64_t, Expected>> sorted(expected.begin(), expected.end());
      std::sort(sorted.begin(), sorted.end(),
                [](const auto& a, const auto& b) { return a.first < b.first; });
      for (const auto& [id, want] : sorted) {
        const auto it = stored->find(id);
        const std::uint64_t have = it == stored->end() ? 0 : it->second;
        if (have != want.fingerprint) {
          add("message " + std::to_string(id),
              "its search index entries (message_index) differ from the tokens of its text in "
              "record " +
                  std::to_string(want.record_id),
              want.record_id);
        }
        if (it != stored->end()) {
          stored->erase(it);
        }
      }
      std::vector<std::int64_t> extra;
      for (const auto& [id, fp] : *stored) {
        extra.push_back(id);
      }
      std::sort(extra.begin(), extra.end());
      for (const std::int64_t id : extra) {
        add("message_index row " + std::to_string(id),
            "indexes a message that has no readable text in the archive", 0);
      }
      report.derived_rows += expected.size();
    }
  }
  ASSIGN_OR_RETURN(std::optional<std::string> head,
                   archive::CheckLogHead(*tx, head_path_, *verifier));
  if (head) {  // the headline: the archive lost committed work
    report.problems.insert(report.problems.begin(),
                           {"keys/" + std::string(kLogHeadFile), std::move(*head), 0});
    ++report.problem_count;
  }
  return report;
}

}  // namespace custos::app
