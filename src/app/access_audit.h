// SPDX-License-Identifier: Apache-2.0
// The access audit use case (issue 15, docs/access.md "The access audit"): every front end that
// hands out message content (a message, a history, a conversation page, search results, the
// verdict list, a canonical record, an evidence bundle, an export) records the read here
// *before* it answers, and the dispatcher records each permission refusal. The records
// (archive/access.h) go to the ingest writer (IngestService::SubmitWrite), so concurrent reads
// share one group commit and one fsync instead of paying one each; a read waits for its record
// to be durable, and when it cannot be recorded no content is handed out (fail closed).
//
// Thread-safety: all methods are safe to call concurrently.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/content_scope.h"
#include "app/export_service.h"
#include "app/ingest.h"
#include "archive/access.h"
#include "core/status.h"
#include "core/time.h"
#include "crypto/keyring.h"
#include "model/message.h"
#include "storage/database.h"

namespace custos::app {

// Who reads, from where, and why.
struct AccessContext {
  std::string actor;               // http::Principal::Actor(), or "cli:<user>"
  std::vector<std::string> roles;  // the principal's role(s)
  std::string client;              // the client address; "cli"
  std::string purpose;             // the stated purpose or matter ("" when none)
  std::string request_id;          // the API request id ("" for the CLI)
};

// The longest purpose recorded; longer ones are refused by the front ends.
inline constexpr std::size_t kMaxPurposeBytes = 500;

// `custos audit list` and GET /api/v1/audit/access, as the caller wrote them ("" for none).
struct AccessListQuery {
  std::string user;                    // an actor ("token:3", "cli:alice", or a whole actor string)
  std::string since;                   // read at or after
  std::string until;                   // read before
  std::optional<std::int64_t> record;  // reads that listed this record
  std::optional<std::int64_t> message;  // reads that listed this message
  std::optional<std::int64_t> before;   // the previous page's next cursor
  int limit = 100;
};

class AccessAudit {
 public:
  // `ingest` is nullptr for a read-only open: every Record* then fails. All must outlive it.
  AccessAudit(storage::Database* db, const crypto::KeyRing* keys, const core::Clock* clock,
              IngestService* ingest);

  // Records that `who` read `messages` (`action`: message, history, conversation, search,
  // verdicts, record, evidence, export), with the query and the result count for a search, and
  // returns once the record is committed. Several records when more than
  // archive::kMaxAccessReads messages were read. An empty `messages` is recorded too for a
  // search or export (a query that found nothing is still a query of the content).
  // kFailedPrecondition when the data directory was opened read-only; the commit's error.
  core::Status RecordRead(const AccessContext& who, std::string_view action,
                          const std::vector<model::Message>& messages, std::string query = {},
                          std::optional<std::int64_t> results = std::nullopt);

  // The same for messages given by (message id, record id).
  core::Status RecordReadIds(const AccessContext& who, std::string_view action,
                             const std::vector<std::pair<std::int64_t, std::int64_t>>& ids,
                             std::string query, std::optional<std::int64_t> results);

  // RecordRead in a write transaction of its own (one commit, one fsync per read), bypassing
  // the group commit: only for the comparison of bench/access_bench.cc (docs/performance.md).
  core::Status RecordReadUnbatchedForBench(const AccessContext& who, std::string_view action,
                                           const std::vector<model::Message>& messages,
                                           std::string query);

  // Records a permission refusal without waiting for the commit (the caller answers 403 at
  // once; a failure is logged). Never blocks on storage.
  void RecordRefusal(const AccessContext& who, std::string route, std::string permission);

  // Records a refused login the same way (an `access_refused` record with no permission and
  // `reason`): `who.actor` is the user the login named when it exists ("user:<id> (<login>)"),
  // otherwise "anonymous"; `route` the login route ("POST /api/v1/auth/login").
  void RecordLoginFailure(const AccessContext& who, std::string route, std::string reason);

  // The access records `query` selects, newest first. kInvalidArgument naming the filter for a
  // bad date (`since`, `until`: YYYY-MM-DD or RFC 3339; a YYYY-MM-DD until includes that day)
  // or a limit out of 1..1000.
  core::Result<archive::AccessListing> List(const AccessListQuery& query) const;

  // An export by query through `exports`, audited: the selected messages `scope` lets through
  // are recorded in parts of archive::kMaxAccessReads *before* each part is handed to `sink`.
  // Returns how many were handed over. Errors of Select, of the sink, and of RecordRead.
  core::Result<std::int64_t> Export(const ExportService& exports, const AccessContext& who,
                                    const std::string& query, const ContentScope& scope,
                                    const ExportService::Sink& sink);

 private:
  core::Status Submit(std::vector<archive::AccessEntry> reads,
                      std::vector<archive::RefusalEntry> refusals, bool wait);

  storage::Database* db_;
  const crypto::KeyRing* keys_;
  const core::Clock* clock_;
  IngestService* ingest_;
};

}  // namespace custos::app
