// SPDX-License-Identifier: Apache-2.0
// The composition root: opens a data directory (database, key ring), wires the archive,
// search index, ingest service and metrics, and offers the operations the CLI and the HTTP
// server need. Both front ends use only this class and the use-case services it hands out
// (imports(), exports(), search(): ARCHITECTURE.md, "Use cases live in app").
//
// Data directory layout:
//   DIR/custos.db        SQLite database (WAL: custos.db-wal, custos.db-shm)
//   DIR/keys/keyring     key ring, mode 0600 (crypto/keyring.h)
//   DIR/keys/log-signer  the log's checkpoint signing key, mode 0600 (app/log_service.h)
//   DIR/admin-token      the first admin token, mode 0600, written once at bootstrap
//                        (more: `custos tokens create`, app/tokens.h)
//   DIR/lock             held (flock) by the one process that writes DIR (app/data_lock.h)
//   DIR/serve.pid        the pid of the running `custos serve`, removed by it when it stops
//   DIR/custos.yaml      configuration, optional (config/config.h, docs/config.md)
//   DIR/policy/          the policy packs applied; DIR/policy/active is the one in force
//                        (app/policy_service.h)
//
// Thread-safety: every method is safe to call concurrently.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/access_audit.h"
#include "app/auth_settings.h"
#include "app/content_scope.h"
#include "app/data_lock.h"
#include "app/export_service.h"
#include "app/import_service.h"
#include "app/ingest.h"
#include "app/log_service.h"
#include "app/metrics.h"
#include "app/oidc_accounts.h"
#include "app/policy_service.h"
#include "app/retention_service.h"
#include "app/search_service.h"
#include "app/startup.h"
#include "app/tokens.h"
#include "app/users.h"
#include "archive/attachment_store.h"
#include "archive/message_store.h"
#include "archive/verdicts.h"
#include "auth/login_throttle.h"
#include "core/status.h"
#include "core/time.h"
#include "core/worker.h"
#include "crypto/keyring.h"
#include "devices/nanomdm_client.h"
#include "devices/service.h"
#include "directory/directory.h"
#include "directory/import_runs.h"
#include "oidc/flow.h"
#include "search/index.h"
#include "storage/database.h"

namespace custos::app {

inline constexpr const char* kNoPolicyPack = "none";

struct OpenOptions {
  std::string data_dir = "./custos-data";
  bool read_only = false;  // reads only: no ingest service, no bootstrap
  // The clock for record times and retention; nullptr: the system clock. Tests pass a
  // testing::FakeClock, which must outlive the Custos.
  const core::Clock* clock = nullptr;
  // The pack installed when DIR/policy/active does not exist yet; "" for DefaultPackDir();
  // kNoPolicyPack to install none (every message allowed: tests of the archive alone).
  std::string default_policy_pack = {};
};

// GET /api/v1/verdicts and `custos verdicts list`: each filter as the caller wrote it ("" for
// none); Custos::ListVerdicts validates them (docs/search.md, "Listing verdicts").
struct VerdictQuery {
  std::string rule;      // a rule id of the pack in force or of a recorded verdict
  std::string severity;  // info, low, medium, high, critical
  std::string action;    // allow, warn, flag, escalate, redact, block
  std::string channel;   // a known channel
  std::string person;    // a directory person (name or any identity) or a handle: the sender
  std::string since;     // YYYY-MM-DD or RFC 3339: messages sent at or after
  std::string until;     // YYYY-MM-DD (that whole day included) or RFC 3339 (exclusive)
};

// GET /api/v1/conversations filters, as the caller wrote them ("" for none).
struct ConversationQuery {
  std::string channel;  // a known channel
  std::string person;   // someone takes part: a directory person (any identity) or a handle
  std::string since;    // active at or after (last message), YYYY-MM-DD or RFC 3339
  std::string until;    // active before (first message); a YYYY-MM-DD day is included
};

struct VerdictItem {
  archive::VerdictListItem row;
  std::string verdict_json;  // the sealed verdict's body (hits, clauses, evidence); "" if disposed
};

struct VerdictListing {
  std::vector<VerdictItem> items;
  std::optional<std::string> next_cursor;
};

// Shown once when the first admin token is created.
struct BootstrapToken {
  std::string token;
  std::string path;  // where it was written (mode 0600)
};

class Custos {
 public:
  // Opens or creates the data directory as a list of named steps (app/startup.h; each logged
  // with its duration at info): data directory, keys, storage, archive, log, retention, policy,
  // devices, single sign-on, and for a writer ingest and the workers (app/workers.h). Destruction
  // runs the steps' stops in reverse: the workers stop (the ingest writer commits what is queued)
  // and the final checkpoint is written before anything closes. A writer (not read_only) holds
  // DIR/lock until it is destroyed: kUnavailable naming the holder's pid when another process
  // writes to DIR.
  // kInvalidArgument naming the directory when it cannot be created; errors of the database
  // and key ring otherwise.
  static core::Result<std::unique_ptr<Custos>> Open(const OpenOptions& options);
  ~Custos();

  IngestService& ingest() { return *ingest_; }

  archive::MessageStore& store() { return *store_; }

  // Attachment content, encrypted and content-addressed (archive/attachment_store.h):
  // importers Put the bytes, then ingest the message listing the returned Attachment.
  archive::AttachmentStore& attachments() { return *attachments_; }

  Metrics& metrics() { return metrics_; }

  // Retention runs and legal holds (docs/retention.md).
  RetentionService& retention() { return *retention_; }

  // The policy pack in force; every message ingested is evaluated with it.
  PolicyService& policy() { return *policy_; }

  // Devices: posture, compliance, lost/stolen, commands and the messaging gate (docs/devices.md).
  devices::DeviceService& devices() { return *devices_; }

  // NanoMDM's command API (`devices.nanomdm` in DIR/custos.yaml); nullptr when not configured.
  const devices::NanoMdmClient* nanomdm() const { return nanomdm_.get(); }

  // Single sign-on (`auth.oidc` in DIR/custos.yaml, docs/sso.md): the OpenID Connect client,
  // created at startup without network I/O; nullptr when single sign-on is not configured.
  oidc::OidcClient* oidc() { return oidc_.get(); }

  // The users single sign-on signs in: found by their provider identity, or provisioned.
  OidcAccounts& oidc_accounts() { return *oidc_accounts_; }

  // The Merkle log: checkpoints, proofs, canonical records, verify.
  LogService& log() { return *log_; }

  // The search index (`custos verify` checks it against the sealed texts).
  const search::Index& index() const { return *index_; }

  // The identity directory (people, external parties, conversation labels) and the import runs
  // that bring history in (docs/directory.md).
  directory::Directory& directory() { return *directory_; }

  directory::ImportRuns& import_runs() { return *import_runs_; }

  // Use cases (the front ends call these rather than the raw services above):
  // imports of JSON Lines and export files (import runs, the identity stage, the pipeline); only
  // for a writer (not read_only).
  ImportService& imports() { return *imports_; }

  // Export selection by query: the stored messages and events a query selects, oldest first.
  const ExportService& exports() const { return *exports_; }

  // Full-text search with snippets (Search below is the same).
  const SearchService& search() const { return *search_; }

  // The access audit: every read of message content is recorded through it (docs/access.md,
  // "The access audit"). For a read-only open it can list but not record.
  AccessAudit& access() { return *access_; }

  // The people who log in (app/users.h), the login rate limiter shared by every login route
  // (auth/login_throttle.h: 5 failures lock an account or an address for 15 minutes), and the
  // `auth` settings (second factor per role, session timeouts: app/auth_settings.h).
  Users& users() { return *users_; }

  auth::LoginThrottle& login_throttle() { return login_throttle_; }

  const AuthSettings& auth_settings() const { return auth_settings_; }

  // The content scope of a reviewer scoped to directory `groups` (desks; compared trimmed and
  // case-insensitively): the employees of those groups (app/content_scope.h). An empty list, or
  // groups nobody is in, make a scope that lets nothing through.
  core::Result<ContentScope> ContentScopeFor(const std::vector<std::string>& groups) const;

  const std::string& data_dir() const { return data_dir_; }

  // The clock of record times, sessions and logins (OpenOptions::clock, or the system's).
  const core::Clock& clock() const { return *clock_; }

  // Full-text search (search/query.h syntax), newest first: search().Search. kInvalidArgument
  // for a bad query or cursor.
  // A scoped `scope` returns only the messages it lets through (SearchService::Search).
  core::Result<SearchResults> Search(std::string_view query, std::optional<std::string> cursor,
                                     int limit, const ContentScope& scope = {}) const;

  // Flagged messages, newest first, with their verdicts. kInvalidArgument naming the filter for
  // an unknown rule, severity, action or channel, a bad date, or a bad cursor.
  core::Result<VerdictListing> ListVerdicts(const VerdictQuery& query,
                                            std::optional<std::string> cursor, int limit) const;

  // Conversations, most recently active first, filtered. kInvalidArgument naming the filter
  // for an unknown channel or a bad date.
  // A scoped `scope` lists only conversations someone in scope takes part in.
  core::Result<archive::Page<model::Conversation>> ListConversations(
      const ConversationQuery& query, std::optional<archive::PageCursor> after, int limit,
      const ContentScope& scope = {}) const;

  // kInvalidArgument naming each rule id that is neither in the pack in force nor in any
  // recorded verdict.
  core::Status CheckRules(const std::vector<std::string>& rules) const;

  // The keyed identity hashes of a person: every identity of the directory person `person` names
  // (a name, an e-mail, a phone in any spelling, a handle), else `person` itself as a handle.
  core::Result<std::vector<std::string>> PersonIdentityHashes(std::string_view person) const;

  // Creates the first admin API token when none exists: stores only its SHA-256 and writes the
  // token to DIR/admin-token (0600). nullopt when a token with the admin role exists already.
  // Its roles are BootstrapRoles() (admin, compliance_officer, ingest): the operator's
  // break-glass token, which also reads content and posts messages; the `admin` role alone
  // does neither.
  core::Result<std::optional<BootstrapToken>> BootstrapAdminToken();

  // The API token `token` with its id, name, roles and scope (app/tokens.h VerifyToken); records
  // its last use (at most once a minute; a failure to record is logged, not returned).
  // kUnauthenticated when it is not a known API token, or is revoked or expired.
  core::Result<TokenInfo> VerifyToken(std::string_view token) const;

  // `custos keys rotate`: adds a key-encryption key to DIR/keys/keyring (crypto::KeyRing::Rotate,
  // the file replaced atomically) and returns its version. Records sealed under earlier
  // versions stay readable. Works on the file alone, under an exclusive lock on
  // DIR/keys/keyring.lock so that rotations in several processes serialise, and under the data
  // directory's writer lock: kUnavailable naming the holder while a server or another writer
  // has DIR open (stop it, rotate, start it again). kNotFound when there is no key ring; errors
  // of the key file otherwise.
  static core::Result<int> RotateKeys(const std::string& data_dir);

 private:
  Custos() = default;

  // Adds the startup steps of Open (app/custos_steps.cc); the workers' steps are added once the
  // services they drive exist (AddWorkerSteps).
  void AddSteps(const OpenOptions& options);
  void AddWorkerSteps();

  // Migration 10 marks an archive indexed before prefix search: re-index every live message.
  core::Status RebuildSearchIndexIfOld();

  std::unique_ptr<DataLock> lock_;  // first: released after everything else has closed
  std::string data_dir_;
  core::SystemClock system_clock_;
  const core::Clock* clock_ = &system_clock_;  // OpenOptions::clock when given
  Metrics metrics_;
  std::unique_ptr<storage::Database> db_;
  std::unique_ptr<crypto::KeyRing> keys_;
  std::unique_ptr<archive::MessageStore> store_;
  std::unique_ptr<archive::AttachmentStore> attachments_;
  std::unique_ptr<search::Index> index_;
  std::unique_ptr<PolicyService> policy_;
  std::unique_ptr<IngestService> ingest_;
  std::unique_ptr<RetentionService> retention_;
  std::unique_ptr<LogService> log_;
  std::unique_ptr<devices::DeviceService> devices_;
  std::unique_ptr<directory::Directory> directory_;
  std::unique_ptr<directory::ImportRuns> import_runs_;
  std::unique_ptr<devices::NanoMdmClient> nanomdm_;
  std::unique_ptr<oidc::OidcClient> oidc_;
  std::unique_ptr<OidcAccounts> oidc_accounts_;
  std::vector<std::unique_ptr<core::Worker>> workers_;  // app/workers.h; writable only
  // The use-case services: they hold pointers to the services above and no threads.
  std::unique_ptr<SearchService> search_;
  std::unique_ptr<ExportService> exports_;
  std::unique_ptr<ImportService> imports_;
  std::unique_ptr<AccessAudit> access_;
  std::unique_ptr<Users> users_;
  auth::LoginThrottle login_throttle_;
  AuthSettings auth_settings_;
  // Startup and shutdown, in order; ~Custos stops it before any member is destroyed, and each
  // step's stop releases what it opened, so teardown is the reverse of startup.
  StepList steps_{"custos"};
};

}  // namespace custos::app
