// SPDX-License-Identifier: Apache-2.0
// The policy pack in force for a data directory (docs/policy-language.md, "Applying a pack"):
//
//   DIR/policy/packs/<version>/   every pack applied, as its files
//   DIR/policy/active             symlink to the pack in force, replaced atomically
//
// A pack replaces the running one only when it loads without errors and passes its own inline
// tests; then it is recorded in the archive (a `policy_pack` record with every file, once per
// version), installed under DIR/policy and swapped into the engine, in that order. When
// DIR/policy/active does not exist, a writer installs the built-in default pack (DefaultPackDir).
//
// Thread-safety: all methods are safe to call concurrently; Apply* and Reload serialise.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "archive/acknowledgements.h"
#include "core/mutex.h"
#include "core/status.h"
#include "core/time.h"
#include "crypto/keyring.h"
#include "policy/policy.h"
#include "storage/database.h"

namespace custos::app {

// The built-in default pack: $CUSTOS_DEFAULT_PACK when set, else the directory the build
// assembled (policies/default with its lexicons); "" when neither is known.
std::string DefaultPackDir();

// The limits of a pack file's path (CheckPackFilePath).
inline constexpr std::size_t kMaxPackPathBytes = 1024;
inline constexpr std::size_t kMaxPackPathComponentBytes = 255;

// Checks a pack file's path as a client gave it (POST /api/v1/policy): a relative path of
// '/'-separated components, each non-empty, not "." or "..", not starting with '.', at most
// kMaxPackPathComponentBytes, with no NUL, control character or backslash, valid UTF-8, at
// most kMaxPackPathBytes in all. Such a path names the same file on disk as in the record, so
// the pack installed is the pack recorded. kInvalidArgument saying what is wrong, the path
// quoted with control characters escaped.
core::Status CheckPackFilePath(std::string_view path);

// `path` in double quotes with control characters, quotes and backslashes as \uXXXX, cut
// at 200 bytes: safe to put in a message or a log line.
std::string PrintablePath(std::string_view path);

struct AppliedPolicy {
  std::string version;
  int tests_passed = 0;
  int warnings = 0;
  std::int64_t record_id = 0;  // the policy_pack record; 0 when this version was recorded before
  bool changed = false;        // the running pack was replaced
};

// The outcome of PolicyService::Acknowledge.
struct AcknowledgeOutcome {
  archive::Acknowledgement acknowledgement;
  bool created = false;  // false: the person had acknowledged this version already
};

class PolicyService {
 public:
  // Loads DIR/policy/active into the engine. A writer installs (and records) `default_pack_dir`
  // when there is no active pack; "" or a missing directory then leaves no pack loaded and
  // every message is allowed (a warning is logged). Read-only opens load what is active, if
  // anything.
  static core::Result<std::unique_ptr<PolicyService>> Open(
      storage::Database* db, const crypto::KeyRing* keys, const core::Clock* clock,
      std::string data_dir, std::string default_pack_dir, bool read_only);

  // Validates the pack in `dir` and makes it the one in force. kInvalidArgument with every
  // diagnostic (file:line:column) or failing test as text; the running pack stays.
  // kFailedPrecondition on a read-only open.
  core::Result<AppliedPolicy> ApplyDir(const std::filesystem::path& dir, std::string_view actor);

  // The same for files given in memory (the API); `origin` is recorded as where it came from.
  core::Result<AppliedPolicy> ApplyFiles(std::vector<std::pair<std::string, std::string>> files,
                                         std::string_view origin, std::string_view actor);

  // `custos policy apply` beside a running server, which holds the data directory's writer lock
  // (app/data_lock.h): checks the pack in `dir` as ApplyDir does (loads, device rules, inline
  // tests) and installs its files as DIR/policy/active, touching no database. The server then
  // records it and swaps it in on SIGHUP (Reload). tests_passed and warnings are set; record_id
  // and changed are not known here. kInvalidArgument as ApplyDir.
  static core::Result<AppliedPolicy> StageDir(const std::string& data_dir,
                                              const std::filesystem::path& dir);

  // The version and record id of the pack last recorded in the archive; nullopt when none.
  core::Result<std::optional<std::pair<std::string, std::int64_t>>> LatestRecordedVersion() const;

  // Re-reads DIR/policy/active (after `custos policy apply` in another process: SIGHUP).
  core::Result<AppliedPolicy> Reload(std::string_view actor);

  const policy::Engine& engine() const { return engine_; }

  // Called after each apply or reload that changed the pack in force (the device rules under
  // devices/ follow it). Set once, before the service is shared between threads.
  void SetOnChange(std::function<void()> on_change) { on_change_ = std::move(on_change); }

  // The running pack; null when none is loaded.
  std::shared_ptr<const policy::Pack> current() const { return engine_.Current(); }

  // The verdict recorded with message `id` (docs/formats/records.md, kind `verdict`) as JSON;
  // nullopt when nothing hit. kFailedPrecondition when it was disposed of with its message.
  core::Result<std::optional<std::string>> VerdictOf(std::int64_t message_id) const;

  // The pack last recorded in the archive (null when none), loaded from its record: what was in
  // force even when DIR/policy is gone.
  core::Result<std::shared_ptr<const policy::Pack>> LatestRecordedPack() const;

  const std::string& data_dir() const { return data_dir_; }

  // Acknowledgement (docs/policy-operations.md, "Acknowledgement"): records that directory
  // person `person_id` (named `person`, for the record) acknowledged pack `version`, on behalf of
  // the authenticated principal `actor` (never a value from a request body): a
  // `policy_acknowledgement` record and its row, in one transaction. Acknowledging again returns
  // the existing one (created false) and writes nothing. kInvalidArgument for an empty version
  // or a person id <= 0; kNotFound for a version never recorded; kFailedPrecondition for a
  // superseded version (naming the one in force), for a version in force that does not require
  // acknowledgement, and on a read-only open.
  core::Result<AcknowledgeOutcome> Acknowledge(std::string_view version, std::int64_t person_id,
                                               std::string_view person, std::string_view actor);

  // `person_id`'s acknowledgement of `version`; nullopt when none.
  core::Result<std::optional<archive::Acknowledgement>> AcknowledgementOf(
      std::string_view version, std::int64_t person_id) const;

  // Every acknowledgement of `version`, oldest first. kNotFound for a version never recorded.
  core::Result<std::vector<archive::Acknowledgement>> Acknowledgements(
      std::string_view version) const;

 private:
  PolicyService(storage::Database* db, const crypto::KeyRing* keys, const core::Clock* clock,
                std::string data_dir, bool read_only)
      : db_(db),
        keys_(keys),
        clock_(clock),
        data_dir_(std::move(data_dir)),
        read_only_(read_only) {}

  // Loads, tests (unless `tested`), records, installs and swaps in. Caller holds apply_mu_.
  core::Result<AppliedPolicy> ApplyLocked(std::vector<std::pair<std::string, std::string>> files,
                                          std::string_view origin, std::string_view actor,
                                          bool install_files);

  // Writes the files under DIR/policy/packs/<version> and points DIR/policy/active at them.
  core::Status InstallFiles(const std::vector<std::pair<std::string, std::string>>& files,
                            const std::string& version) const;

  storage::Database* db_;
  const crypto::KeyRing* keys_;
  const core::Clock* clock_;
  std::string data_dir_;
  bool read_only_;
  policy::Engine engine_;
  core::Mutex apply_mu_;
  std::function<void()> on_change_;
};

}  // namespace custos::app
