// SPDX-License-Identifier: Apache-2.0
#include "app/custos.h"

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <initializer_list>
#include <set>
#include <string>
#include <system_error>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app/access/permissions.h"
#include "app/commit/steps.h"
#include "app/sql/tokens.h"
#include "archive/payload.h"
#include "archive/sql/messages.h"
#include "archive/sql/settings.h"
#include "config/config.h"
#include "core/fs.h"
#include "core/log.h"
#include "core/text.h"
#include "crypto/crypto.h"
#include "directory/identity.h"
#include "policy/pack.h"
#include "search/query.h"
#include "search/sql/index.h"
#include "storage/sqlite/sqlite_database.h"

namespace custos::app {
namespace {

// `since` (inclusive) and `until` (exclusive; a YYYY-MM-DD day is included whole), each "" for
// none.
core::Status ParseSinceUntil(const std::string& since_text, const std::string& until_text,
                             std::optional<core::Micros>* since,
                             std::optional<core::Micros>* until) {
  if (!since_text.empty()) {
    ASSIGN_OR_RETURN(*since, search::ParseQueryDate("since", since_text));
  }
  if (!until_text.empty()) {
    ASSIGN_OR_RETURN(core::Micros t, search::ParseQueryDate("until", until_text));
    *until = until_text.size() == 10 ? t + 86'400 * core::kMicrosPerSecond : t;
  }
  if (*since && *until && **since >= **until) {
    return core::InvalidArgument("since must be earlier than until");
  }
  return core::Status::Ok();
}

// A channel filter's value, lower-cased; kInvalidArgument naming it when unknown.
core::Result<std::string> CheckChannel(const std::string& channel) {
  std::string lower = core::ToLowerAscii(channel);
  if (!model::IsKnownChannel(lower)) {
    return core::InvalidArgument("channel: unknown channel \"" + channel +
                                 "\" (one of: " + std::string(model::KnownChannelsList()) + ")");
  }
  return lower;
}

}  // namespace

core::Result<std::unique_ptr<Custos>> Custos::Open(const OpenOptions& options) {
  std::unique_ptr<Custos> c(new Custos());
  c->data_dir_ = options.data_dir;
  if (options.clock != nullptr) {
    c->clock_ = options.clock;
  }
  c->AddSteps(options);  // app/custos_steps.cc
  RETURN_IF_ERROR(c->steps_.Run());
  if (!options.read_only) {
    c->AddWorkerSteps();
    RETURN_IF_ERROR(c->steps_.Run());
  }
  c->search_ =
      std::make_unique<SearchService>(c->db_.get(), c->index_.get(), c->store_.get(),
                                      [custos = c.get()](const std::vector<std::string>& rules) {
                                        return custos->CheckRules(rules);
                                      });
  c->exports_ = std::make_unique<ExportService>(c->store_.get(), c->search_.get());
  c->access_ =
      std::make_unique<AccessAudit>(c->db_.get(), c->keys_.get(), c->clock_, c->ingest_.get());
  if (c->ingest_) {
    c->imports_ = std::make_unique<ImportService>(options.data_dir, c->ingest_.get(),
                                                  c->directory_.get(), c->import_runs_.get());
  }
  return c;
}

// Reverse startup order: the workers first (the final checkpoint last among them), then each
// service, the storage and the key ring, and the data directory's lock.
Custos::~Custos() { steps_.Stop(); }

core::Status Custos::RebuildSearchIndexIfOld() {
  ASSIGN_OR_RETURN(auto tx, db_->Begin(storage::TxMode::kWrite));
  ASSIGN_OR_RETURN(std::optional<std::string> marked,
                   archive::sql::ReadSetting(*tx, search::kIndexFormatKey));
  if (!marked) {
    return core::Status::Ok();
  }
  // Every live message again, in the current format (words, then prefixes); disposed messages
  // were removed from the index when their text was destroyed.
  RETURN_IF_ERROR(search::sql::DeleteAllTokens(*tx));
  ASSIGN_OR_RETURN(std::vector<std::int64_t> ids, archive::sql::ListLiveMessageIds(*tx));
  for (std::int64_t id : ids) {
    ASSIGN_OR_RETURN(std::optional<storage::Row> row,
                     archive::sql::FindMessageContentRow(*tx, id, /*live_only=*/false));
    if (!row) {
      return core::Internal("search: message " + std::to_string(id) + " vanished mid-rebuild");
    }
    ASSIGN_OR_RETURN(model::Message m, archive::MessageFromRow(*keys_, *row));
    RETURN_IF_ERROR(index_->Add(*tx, m.id, m.text));
  }
  RETURN_IF_ERROR(archive::sql::DeleteSetting(*tx, search::kIndexFormatKey));
  RETURN_IF_ERROR(tx->Commit());
  CUSTOS_LOG_INFO("search: rebuilt the index of {} messages with word prefixes", ids.size());
  return core::Status::Ok();
}

core::Result<SearchResults> Custos::Search(std::string_view query_text,
                                           std::optional<std::string> cursor, int limit,
                                           const ContentScope& scope) const {
  return search_->Search(query_text, std::move(cursor), limit, scope);
}

core::Result<ContentScope> Custos::ContentScopeFor(const std::vector<std::string>& groups) const {
  std::set<std::string> wanted;
  for (const std::string& g : groups) {
    wanted.insert(core::ToLowerAscii(core::TrimAscii(g)));
  }
  ASSIGN_OR_RETURN(std::vector<directory::KnownPerson> people, directory_->People());
  std::set<std::string> hashes;
  for (const directory::KnownPerson& p : people) {
    if (!p.employee || wanted.count(core::ToLowerAscii(core::TrimAscii(p.group))) == 0) {
      continue;
    }
    for (const std::string& id : p.identities) {
      hashes.insert(archive::IdentityHash(*keys_, id));
    }
    if (!p.primary.empty()) {
      hashes.insert(archive::IdentityHash(*keys_, p.primary));
    }
  }
  return ContentScope(keys_.get(), std::vector<std::string>(hashes.begin(), hashes.end()));
}

core::Result<archive::Page<model::Conversation>> Custos::ListConversations(
    const ConversationQuery& q, std::optional<archive::PageCursor> after, int limit,
    const ContentScope& scope) const {
  archive::ConversationFilter filter;
  if (scope.scoped()) {
    filter.scope_hashes = scope.identity_hashes();
  }
  if (!q.channel.empty()) {
    ASSIGN_OR_RETURN(filter.channel, CheckChannel(q.channel));
  }
  if (!q.person.empty()) {
    ASSIGN_OR_RETURN(filter.participant_hashes, PersonIdentityHashes(q.person));
  }
  RETURN_IF_ERROR(ParseSinceUntil(q.since, q.until, &filter.since, &filter.until));
  return store_->ListConversations(filter, after, limit);
}

core::Status Custos::CheckRules(const std::vector<std::string>& rules) const {
  if (rules.empty()) {
    return core::Status::Ok();
  }
  std::set<std::string> known;
  if (std::shared_ptr<const policy::Pack> pack = policy_->current()) {
    for (const policy::RuleInfo& r : pack->Rules()) {
      known.insert(r.id);
    }
  }
  {
    ASSIGN_OR_RETURN(auto tx, db_->Begin(storage::TxMode::kRead));
    ASSIGN_OR_RETURN(std::vector<std::string> recorded, archive::RecordedRules(*tx));
    known.insert(recorded.begin(), recorded.end());
  }
  for (const std::string& rule : rules) {
    if (known.count(rule) == 0) {
      return core::InvalidArgument("rule: unknown rule \"" + rule +
                                   "\" (neither in the policy pack in force nor in any verdict;"
                                   " `custos policy show` lists the rules)");
    }
  }
  return core::Status::Ok();
}

core::Result<std::vector<std::string>> Custos::PersonIdentityHashes(std::string_view person) const {
  std::set<std::string> hashes;
  const std::string trimmed(core::TrimAscii(person));
  if (trimmed.empty()) {
    return core::InvalidArgument("person: needs a value");
  }
  hashes.insert(archive::IdentityHash(*keys_, trimmed));
  ASSIGN_OR_RETURN(std::vector<directory::KnownPerson> people, directory_->People());
  if (!people.empty()) {
    config::LoadResult loaded =
        config::LoadConfigFile(data_dir_ + "/custos.yaml", config::ProcessEnvironment());
    const std::string region = loaded.ok() ? loaded.config.directory_default_region : "GB";
    auto resolver = directory_->LoadResolver(region.empty() ? "GB" : region);
    if (resolver.has_value()) {
      const directory::Resolved who = resolver->Resolve(trimmed);
      for (const directory::KnownPerson& p : people) {
        if (p.id != 0 && p.id == who.person_id) {
          for (const std::string& id : p.identities) {
            hashes.insert(archive::IdentityHash(*keys_, id));
          }
          if (!p.primary.empty()) {
            hashes.insert(archive::IdentityHash(*keys_, p.primary));
          }
        }
      }
    }
  }
  return std::vector<std::string>(hashes.begin(), hashes.end());
}

core::Result<VerdictListing> Custos::ListVerdicts(const VerdictQuery& q,
                                                  std::optional<std::string> cursor,
                                                  int limit) const {
  archive::VerdictFilter filter;
  const auto one_of =
      [](const char* name, const std::string& value,
         std::initializer_list<std::string_view> known) -> core::Result<std::string> {
    const std::string lower = core::ToLowerAscii(value);
    std::string list;
    for (std::string_view k : known) {
      if (k == lower) {
        return lower;
      }
      list += (list.empty() ? "" : ", ") + std::string(k);
    }
    return core::InvalidArgument(std::string(name) + ": unknown value \"" + value +
                                 "\" (one of: " + list + ")");
  };
  if (!q.severity.empty()) {
    ASSIGN_OR_RETURN(filter.severity,
                     one_of("severity", q.severity, {"info", "low", "medium", "high", "critical"}));
  }
  if (!q.action.empty()) {
    ASSIGN_OR_RETURN(
        filter.action,
        one_of("action", q.action, {"allow", "warn", "flag", "escalate", "redact", "block"}));
  }
  if (!q.channel.empty()) {
    ASSIGN_OR_RETURN(filter.channel, CheckChannel(q.channel));
  }
  if (!q.rule.empty()) {
    RETURN_IF_ERROR(CheckRules({q.rule}));
    filter.rule = q.rule;
  }
  if (!q.person.empty()) {
    ASSIGN_OR_RETURN(filter.sender_hashes, PersonIdentityHashes(q.person));
  }
  RETURN_IF_ERROR(ParseSinceUntil(q.since, q.until, &filter.since, &filter.until));
  std::optional<std::pair<core::Micros, std::int64_t>> after;
  if (cursor && !cursor->empty()) {
    ASSIGN_OR_RETURN(archive::PageCursor c, archive::DecodeCursor(*cursor));
    after = std::make_pair(c.time, c.id);
  }
  VerdictListing out;
  ASSIGN_OR_RETURN(auto tx, db_->Begin(storage::TxMode::kRead));
  ASSIGN_OR_RETURN(archive::VerdictList list, archive::ListVerdicts(*tx, filter, after, limit));
  for (archive::VerdictListItem& row : list.items) {
    VerdictItem item;
    auto body = archive::ReadVerdictRecordJson(*tx, *keys_, row.summary.record_id);
    if (body.has_value()) {
      item.verdict_json = std::move(body).value();
    } else if (body.error().code() != core::StatusCode::kFailedPrecondition) {
      return body.error();
    }
    item.row = std::move(row);
    out.items.push_back(std::move(item));
  }
  if (list.next) {
    out.next_cursor = archive::EncodeCursor({list.next->first, list.next->second});
  }
  return out;
}

core::Result<std::optional<BootstrapToken>> Custos::BootstrapAdminToken() {
  ASSIGN_OR_RETURN(auto tx, db_->Begin(storage::TxMode::kWrite));
  ASSIGN_OR_RETURN(const std::int64_t admins, sql::CountTokensWithRole(*tx, "admin"));
  if (admins > 0) {
    return std::optional<BootstrapToken>();
  }
  ASSIGN_OR_RETURN(std::string random, crypto::RandomBytes(32));
  BootstrapToken token{"cst_" + core::HexEncode(random), data_dir_ + "/admin-token"};
  TokenInfo info;
  info.name = "admin";
  info.roles = BootstrapRoles();
  info.created_at = clock_->Now();
  info.created_by = "system";
  RETURN_IF_ERROR(sql::InsertToken(*tx, info, crypto::Sha256(token.token)).status());
  RETURN_IF_ERROR(core::LocalFileSystem().WriteFileAtomic(token.path, token.token + "\n"));
  core::Status committed = tx->Commit();
  if (!committed.ok()) {
    ::unlink(token.path.c_str());
    return committed;
  }
  return std::optional<BootstrapToken>(std::move(token));
}

core::Result<TokenInfo> Custos::VerifyToken(std::string_view token) const {
  ASSIGN_OR_RETURN(TokenInfo info, app::VerifyToken(*db_, token, clock_->Now()));
  if (const core::Status touched = app::TouchToken(*db_, info, clock_->Now()); !touched.ok()) {
    // A busy database must not refuse the request: the last use is advisory.
    CUSTOS_LOG_WARN("token {}: last use not recorded: {}", info.id, touched.message());
  }
  return info;
}

core::Result<int> Custos::RotateKeys(const std::string& data_dir) {
  const std::string keyring_path = data_dir + "/keys/keyring";
  const std::string lock_path = keyring_path + ".lock";
  if (!std::filesystem::exists(keyring_path)) {
    return core::NotFound("no key ring at " + keyring_path);
  }
  // A writing command: not beside a server or another writer (app/data_lock.h).
  ASSIGN_OR_RETURN(std::unique_ptr<DataLock> dir_lock, DataLock::Acquire(data_dir));
  const int lock = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (lock < 0) {
    return core::Unavailable("cannot open " + lock_path + ": " +
                             std::error_code(errno, std::generic_category()).message());
  }
  core::Result<int> version = core::Unavailable("cannot lock " + lock_path);
  if (::flock(lock, LOCK_EX) == 0) {
    version = [&]() -> core::Result<int> {
      ASSIGN_OR_RETURN(crypto::KeyRing keys, crypto::KeyRing::Load(keyring_path));
      RETURN_IF_ERROR(keys.Rotate());
      return keys.CurrentVersion();
    }();
  }
  ::close(lock);  // releases the lock
  return version;
}

}  // namespace custos::app
