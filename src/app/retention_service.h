// SPDX-License-Identifier: Apache-2.0
// Retention and legal holds as the front ends see them (docs/retention.md). Custos owns one
// (Custos::retention()); the CLI and the HTTP API call it directly:
//
//   custos retention run [--dry-run] [--json]   Run({.dry_run = ...}) -> RetentionReport
//   custos hold create --name N --person P      CreateHold({.name = N, .person = P})
//                      --conversation C         CreateHold({.name = N, .conversation = C})
//                      --query Q                CreateHold({.name = N, .query = Q})
//   custos hold list                            ListHolds()
//   custos hold release ID                      ReleaseHold(ID)
//
// Retention classes come from DIR/custos.yaml (config/config.h), checked when opened: an
// unknown channel, desk, severity or action is an error with its file:line:column. A class's
// `rules`, `severities` and `actions` match the message's archived policy verdict
// (archive/verdicts.h). A rule id that neither the pack in force (SetPackRules) nor any archived
// verdict knows cannot match anything: every run refuses with its file:line:column until it is
// fixed (a warning is logged at open); one only earlier packs knew is a logged warning. A run
// disposes of every message whose class has expired and that no active hold covers, in transactions
// of `retention.batch_size` messages (each batch all or nothing), writing a disposition record for
// each. Query holds are evaluated at every run, and what they matched at creation stays held too
// (archive/holds.h).
//
// Scheduled runs are a worker of the composition root (app/workers.h): RunScheduled every
// ScheduleInterval() (first after FirstScheduledRun()); "off" disables them. Errors are logged.
// Thread-safety: all methods are safe to call concurrently; runs are serialised.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "archive/holds.h"
#include "archive/message_store.h"
#include "archive/retention.h"
#include "config/config.h"
#include "core/mutex.h"
#include "core/status.h"
#include "core/time.h"
#include "crypto/keyring.h"
#include "search/index.h"
#include "storage/database.h"

namespace custos::directory {
class Directory;
}  // namespace custos::directory

namespace custos::app {

struct RetentionRunOptions {
  bool dry_run = false;  // list what would be disposed of; change nothing
  int batch_size = 0;    // messages per transaction; 0: the retention.batch_size setting
};

struct RetentionReport {
  bool dry_run = false;
  core::Micros as_of = 0;  // the time the run judged expiry against
  // What was disposed of (or would be, in a dry run), oldest first; each item's
  // disposition_record_id is 0 in a dry run.
  std::vector<archive::Expired> items;
  int batches = 0;  // transactions committed
};

// Exactly one scope: a person (person and/or identities), a conversation (an id or the
// source's key) or a query.
//   person      a directory person by name or by any identity (phone in any spelling, e-mail,
//               handle, WhatsApp JID); the hold covers every identity the directory has for
//               them. kNotFound naming the value when the directory does not know it.
//   identities  raw identities to hold besides (or without) a directory person: phone numbers
//               (normalised to E.164, with directory.default_region), e-mail addresses (lower
//               case), WhatsApp JIDs, handles; one a directory person has brings in all of
//               theirs. kInvalidArgument for one that is none of these.
struct HoldRequest {
  std::string name;
  std::optional<std::string> person = std::nullopt;
  std::vector<std::string> identities = {};
  std::optional<std::string> conversation = std::nullopt;
  std::optional<std::string> query = std::nullopt;
};

class RetentionService {
 public:
  // Loads `config_path` (defaults when absent) and checks it. kInvalidArgument listing every
  // configuration error with its position.
  static core::Result<std::unique_ptr<RetentionService>> Open(
      storage::Database* db, const crypto::KeyRing* keys, const archive::MessageStore* store,
      const search::Index* index, const core::Clock* clock, const std::string& config_path);
  RetentionService(const RetentionService&) = delete;
  RetentionService& operator=(const RetentionService&) = delete;

  // Runs retention now. Errors of storage; kDataLoss when a record to dispose of cannot be
  // decrypted (that batch is rolled back, earlier batches stay committed).
  core::Result<RetentionReport> Run(const RetentionRunOptions& options = {});

  // Creates a hold (a `hold` record); its `covers` is filled. kInvalidArgument for a missing
  // name, not exactly one scope, a bad identity or query; kNotFound for an unknown
  // conversation or a person the directory does not know.
  core::Result<archive::Hold> CreateHold(const HoldRequest& request);

  // Every hold, active and released, oldest first, each with its `covers`.
  core::Result<std::vector<archive::Hold>> ListHolds() const;

  // Releases a hold (a `hold_release` record). kNotFound, or kFailedPrecondition when it was
  // released already.
  core::Result<archive::Hold> ReleaseHold(std::int64_t id, std::string_view reason = {});

  // The retention policy as of `now` (classes with their cutoffs).
  archive::RetentionPolicy PolicyAt(core::Micros now) const;

  const config::Config& config() const { return config_; }

  // The rule ids of the policy pack in force, asked at every run (the pack can change while
  // custos runs). Call before the first run; unset: no pack (every rule id must then be archived).
  void SetPackRules(std::function<std::vector<std::string>()> pack_rules);

  // The identity directory person holds resolve through. Call before use; unset: only raw
  // identities can be held.
  void SetDirectory(const directory::Directory* directory) { directory_ = directory; }

  // The problems of the classes' rule ids now: errors (a rule id that neither the pack in force
  // nor an archived verdict knows) as "file:line:column: message" lines, and warnings (one only
  // earlier packs knew).
  struct RuleCheck {
    std::vector<std::string> errors;
    std::vector<std::string> warnings;
  };

  core::Result<RuleCheck> CheckRules() const;

  // The time between scheduled runs (`retention.schedule` as of now on the injected clock, at
  // least a second); nullopt when the schedule is "off".
  std::optional<std::chrono::milliseconds> ScheduleInterval() const;

  // The delay before the first scheduled run: one minute, or the interval if shorter.
  std::chrono::milliseconds FirstScheduledRun() const;

  // A scheduled run: Run() that stops between batches once `stop_requested()` is true (the
  // next run continues); the outcome is logged.
  void RunScheduled(const std::function<bool()>& stop_requested);

 private:
  RetentionService(storage::Database* db, const crypto::KeyRing* keys,
                   const archive::MessageStore* store, const search::Index* index,
                   const core::Clock* clock, config::Config config);

  // Resolves a person hold's request to what it covers (archive::HoldSpec's person fields).
  core::Status ResolvePerson(const HoldRequest& request, archive::HoldSpec* spec) const;

  // Reads a message's archived verdict for the classes' rules, severities and actions.
  archive::RuleLookup VerdictLookup() const;

  // The ids of every message `query` matches now, within `tx`.
  core::Result<std::vector<std::int64_t>> MatchQuery(storage::Transaction& tx,
                                                     std::string_view query) const;
  // A scheduled run (`stop` set) stops between batches once (*stop)() is true.
  core::Result<RetentionReport> RunOnce(const RetentionRunOptions& options,
                                        const std::function<bool()>* stop);
  core::Status DisposeBatches(const archive::Retention& retention, int batch_size,
                              const std::function<bool()>* stop, RetentionReport* report);

  // Immutable after Open.
  storage::Database* db_;
  const crypto::KeyRing* keys_;
  const archive::MessageStore* store_;
  const search::Index* index_;
  const core::Clock* clock_;
  const config::Config config_;
  const archive::HoldStore holds_;
  std::function<std::vector<std::string>()> pack_rules_;  // set before the first run
  const directory::Directory* directory_ = nullptr;       // set before use

  core::Mutex run_mu_;  // serialises runs
};

}  // namespace custos::app
