// SPDX-License-Identifier: Apache-2.0
#include "app/custos.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <initializer_list>
#include <set>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "archive/payload.h"
#include "config/config.h"
#include "core/fs.h"
#include "core/log.h"
#include "core/text.h"
#include "crypto/crypto.h"
#include "directory/identity.h"
#include "policy/pack.h"
#include "search/query.h"
#include "storage/sqlite/sqlite_database.h"

namespace custos::app {
namespace {

constexpr std::size_t kSnippetBytes = 160;

core::Status MakeDir(const std::string& path) {
  std::error_code ec;
  std::filesystem::create_directories(path, ec);
  if (ec) {
    return core::InvalidArgument("cannot create data directory " + path + ": " + ec.message());
  }
  ::chmod(path.c_str(), 0700);
  return core::Status::Ok();
}

// A plain-text excerpt of `text` around the first token of `query` (or its start).
std::string Snippet(const std::string& text, const search::Query& query) {
  std::size_t at = 0;
  if (const std::string word = query.FirstWord(); !word.empty()) {
    const std::string lower = core::ToLowerAscii(text);
    const std::size_t found = lower.find(word);
    if (found != std::string::npos) {
      at = found;
    }
  }
  std::size_t begin = at > kSnippetBytes / 3 ? at - kSnippetBytes / 3 : 0;
  while (begin > 0 && (static_cast<unsigned char>(text[begin]) & 0xC0) == 0x80) {
    --begin;
  }
  std::string out = begin > 0 ? "…" : "";
  const std::string_view piece =
      core::TruncateUtf8(std::string_view(text).substr(begin), kSnippetBytes);
  out.append(piece);
  if (begin + piece.size() < text.size()) {
    out += "…";
  }
  std::replace(out.begin(), out.end(), '\n', ' ');
  return out;
}

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
  if (!options.read_only) {
    RETURN_IF_ERROR(MakeDir(options.data_dir));
    RETURN_IF_ERROR(MakeDir(options.data_dir + "/keys"));
    // One writer per data directory, for this object's life (app/data_lock.h).
    ASSIGN_OR_RETURN(c->lock_, DataLock::Acquire(options.data_dir));
  } else if (!std::filesystem::exists(options.data_dir + "/custos.db")) {
    return core::NotFound("no custos data directory at " + options.data_dir);
  }
  const std::string keyring_path = options.data_dir + "/keys/keyring";
  auto keys = options.read_only ? crypto::KeyRing::Load(keyring_path)
                                : crypto::KeyRing::LoadOrCreate(keyring_path);
  if (!keys.has_value()) {
    return keys.error();
  }
  c->keys_ = std::make_unique<crypto::KeyRing>(std::move(keys).value());
  storage::SqliteOptions db_options;
  db_options.read_only = options.read_only;
  ASSIGN_OR_RETURN(c->db_, storage::OpenSqlite(options.data_dir + "/custos.db", db_options));
  const core::Clock* clock = options.clock != nullptr ? options.clock : &c->clock_;
  c->store_ = std::make_unique<archive::MessageStore>(c->db_.get(), c->keys_.get(), clock);
  c->attachments_ = std::make_unique<archive::AttachmentStore>(c->db_.get(), c->keys_.get(), clock);
  const crypto::KeyRing* keyring = c->keys_.get();
  c->index_ = std::make_unique<search::Index>(
      [keyring](std::string_view token) {
        return keyring->IndexHash(std::string("token\x1f") + std::string(token));
      },
      [keyring](std::string_view handle) { return archive::IdentityHash(*keyring, handle); });
  ASSIGN_OR_RETURN(c->retention_, RetentionService::Open(c->db_.get(), c->keys_.get(),
                                                         c->store_.get(), c->index_.get(), clock,
                                                         options.data_dir + "/custos.yaml"));
  ASSIGN_OR_RETURN(c->log_,
                   LogService::Open(c->db_.get(), c->keys_.get(), clock,
                                    options.data_dir + "/keys/log-signer", options.read_only));
  c->directory_ = std::make_unique<directory::Directory>(c->db_.get(), c->keys_.get(), clock);
  c->import_runs_ = std::make_unique<directory::ImportRuns>(c->db_.get(), c->keys_.get(), clock);
  c->retention_->SetDirectory(c->directory_.get());  // person holds resolve through it
  ASSIGN_OR_RETURN(auto nanomdm, devices::LoadNanoMdmConfig(options.data_dir + "/custos.yaml"));
  if (nanomdm) {
    c->nanomdm_ = std::make_unique<devices::NanoMdmClient>(std::move(*nanomdm));
  }
  ASSIGN_OR_RETURN(c->policy_,
                   PolicyService::Open(c->db_.get(), c->keys_.get(), clock, options.data_dir,
                                       options.default_policy_pack.empty() ? DefaultPackDir()
                                       : options.default_policy_pack == kNoPolicyPack
                                           ? std::string()
                                           : options.default_policy_pack,
                                       options.read_only));
  // Retention classes with `rules` match the rule ids of archived verdicts; the ids are checked
  // against the pack in force at every run (app/retention_service.h).
  c->retention_->SetPackRules([policy = c->policy_.get()] {
    std::vector<std::string> ids;
    if (const std::shared_ptr<const policy::Pack> pack = policy->current()) {
      for (const policy::RuleInfo& rule : pack->Rules()) {
        ids.push_back(rule.id);
      }
    }
    return ids;
  });
  if (auto check = c->retention_->CheckRules(); !check.has_value()) {
    return check.error();
  } else {
    for (const std::string& w : check->warnings) {
      CUSTOS_LOG_WARN("retention: {}", w);
    }
    for (const std::string& e : check->errors) {
      CUSTOS_LOG_WARN("retention: {} (retention runs refuse until it is fixed)", e);
    }
  }
  // After the policy service: the device rules are the devices/ part of the pack in force
  // (installed at first start), and follow it when another pack is applied.
  ASSIGN_OR_RETURN(devices::Policy device_policy, devices::LoadDevicePolicy(options.data_dir));
  // The gate reads senders' phone numbers like the directory does (directory.default_region).
  std::string region = "GB";
  if (config::LoadResult loaded =
          config::LoadConfigFile(options.data_dir + "/custos.yaml", config::ProcessEnvironment());
      loaded.ok() && directory::IsKnownRegion(loaded.config.directory_default_region)) {
    region = loaded.config.directory_default_region;
  }
  c->devices_ = std::make_unique<devices::DeviceService>(c->db_.get(), c->keys_.get(), clock,
                                                         std::move(device_policy), region);
  if (!options.read_only) {
    // Device rows from before migration 7 are sealed now (docs/devices.md, "Storage").
    ASSIGN_OR_RETURN(const int sealed, c->devices_->SealLegacyRows());
    if (sealed > 0) {
      CUSTOS_LOG_INFO("devices: sealed {} device rows written before migration 7", sealed);
    }
  }
  c->policy_->SetOnChange([devices = c->devices_.get(), dir = options.data_dir] {
    core::Result<devices::Policy> next = devices::LoadDevicePolicy(dir);
    if (!next.has_value()) {  // checked before the pack was applied; the files changed since
      CUSTOS_LOG_WARN("devices: keeping the device policy in force: {}", next.error().message());
      return;
    }
    devices->SetPolicy(std::move(next).value());
  });
  if (!options.read_only) {
    RETURN_IF_ERROR(c->RebuildSearchIndexIfOld());
    c->ingest_ = std::make_unique<IngestService>(c->db_.get(), c->store_.get(), c->index_.get(),
                                                 &c->metrics_, c->keys_.get(), clock);
    const policy::Engine* engine = &c->policy_->engine();
    c->ingest_->SetEvaluator([engine](const model::Message& m) { return engine->Evaluate(m); });
    c->ingest_->SetGate(c->devices_.get());  // the device gate (docs/devices.md)
    c->ingest_->SetAttachmentStore(c->attachments_.get());
    // Ladder, staleness and lost timeouts move with time; commands expire (docs/devices.md).
    c->device_ticker_ =
        std::make_unique<devices::DeviceTicker>(c->devices_.get(), c->nanomdm_.get());
    c->device_ticker_->Start();
    c->retention_->Start();
    c->log_->Start();
  }
  return c;
}

Custos::~Custos() {
  if (ingest_) {
    ingest_->Shutdown();
  }
  if (log_) {
    log_->Shutdown();  // after ingest, so the final checkpoint covers every committed record
  }
}

core::Status Custos::RebuildSearchIndexIfOld() {
  ASSIGN_OR_RETURN(auto tx, db_->Begin(storage::TxMode::kWrite));
  ASSIGN_OR_RETURN(auto marked, tx->Query("SELECT value FROM settings WHERE key = ?",
                                          {std::string(search::kIndexFormatKey)}));
  if (marked.empty()) {
    return core::Status::Ok();
  }
  // Every live message again, in the current format (words, then prefixes); disposed messages
  // were removed from the index when their text was destroyed.
  RETURN_IF_ERROR(
      tx->Execute("INSERT INTO message_index (message_index) VALUES ('delete-all')", {}));
  ASSIGN_OR_RETURN(auto ids, tx->Query("SELECT m.id FROM messages m JOIN records r ON"
                                       " r.id = m.record_id WHERE r.payload IS NOT NULL"
                                       " ORDER BY m.id"));
  const std::string one = std::string(archive::kMessageSelect) + " WHERE m.id = ?";
  for (const storage::Row& id : ids) {
    ASSIGN_OR_RETURN(auto rows, tx->Query(one, {id.Int(0)}));
    ASSIGN_OR_RETURN(model::Message m, archive::MessageFromRow(*keys_, rows[0]));
    RETURN_IF_ERROR(index_->Add(*tx, m.id, m.text));
  }
  RETURN_IF_ERROR(
      tx->Execute("DELETE FROM settings WHERE key = ?", {std::string(search::kIndexFormatKey)}));
  RETURN_IF_ERROR(tx->Commit());
  CUSTOS_LOG_INFO("search: rebuilt the index of {} messages with word prefixes", ids.size());
  return core::Status::Ok();
}

core::Result<SearchResults> Custos::Search(std::string_view query_text,
                                           std::optional<std::string> cursor, int limit) const {
  ASSIGN_OR_RETURN(search::Query query, search::ParseQuery(query_text));
  std::optional<std::pair<core::Micros, std::int64_t>> after;
  if (cursor && !cursor->empty()) {
    ASSIGN_OR_RETURN(archive::PageCursor c, archive::DecodeCursor(*cursor));
    after = std::make_pair(c.time, c.id);
  }
  SearchResults out;
  if (query.HasPrefix()) {
    ASSIGN_OR_RETURN(auto tx, db_->Begin(storage::TxMode::kRead));
    ASSIGN_OR_RETURN(auto marked, tx->Query("SELECT value FROM settings WHERE key = ?",
                                            {std::string(search::kIndexFormatKey)}));
    if (!marked.empty()) {
      return core::FailedPrecondition(
          "the search index of this archive predates prefix search; open it once with a writing "
          "command (custos serve, or any import) to rebuild it, then search again");
    }
  }
  search::ConversationIds conversations;
  for (const std::string& c : query.Values(search::Term::Kind::kConversation)) {
    ASSIGN_OR_RETURN(conversations[c], store_->ResolveConversation(c));
  }
  RETURN_IF_ERROR(CheckRules(query.Values(search::Term::Kind::kRule)));
  search::SearchPage page;
  {
    ASSIGN_OR_RETURN(auto tx, db_->Begin(storage::TxMode::kRead));
    ASSIGN_OR_RETURN(page, index_->Search(*tx, query, conversations, after, limit));
  }
  std::vector<std::int64_t> ids;
  for (const search::Hit& hit : page.hits) {
    ids.push_back(hit.message_id);
  }
  ASSIGN_OR_RETURN(std::vector<model::Message> messages, store_->GetMany(ids));
  for (model::Message& m : messages) {
    std::string snippet = Snippet(m.text, query);
    out.results.push_back({std::move(m), std::move(snippet)});
  }
  if (page.next) {
    out.next_cursor = archive::EncodeCursor({page.next->first, page.next->second});
  }
  return out;
}

core::Result<archive::Page<model::Conversation>> Custos::ListConversations(
    const ConversationQuery& q, std::optional<archive::PageCursor> after, int limit) const {
  archive::ConversationFilter filter;
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
  ASSIGN_OR_RETURN(auto rows, tx->Query("SELECT COUNT(*) FROM api_tokens WHERE role = 'admin'"));
  if (rows[0].Int(0) > 0) {
    return std::optional<BootstrapToken>();
  }
  ASSIGN_OR_RETURN(std::string random, crypto::RandomBytes(32));
  BootstrapToken token{"cst_" + core::HexEncode(random), data_dir_ + "/admin-token"};
  RETURN_IF_ERROR(
      tx->Execute("INSERT INTO api_tokens (name, role, token_hash, created_at) VALUES (?, ?, ?, ?)",
                  {std::string("admin"), std::string("admin"),
                   storage::Blob{crypto::Sha256(token.token)}, clock_.Now()}));
  RETURN_IF_ERROR(core::LocalFileSystem().WriteFileAtomic(token.path, token.token + "\n"));
  core::Status committed = tx->Commit();
  if (!committed.ok()) {
    ::unlink(token.path.c_str());
    return committed;
  }
  return std::optional<BootstrapToken>(std::move(token));
}

core::Status Custos::VerifyToken(std::string_view token) const {
  if (token.empty()) {
    return core::Unauthenticated("missing bearer token");
  }
  const std::string hash = crypto::Sha256(token);
  ASSIGN_OR_RETURN(auto tx, db_->Begin(storage::TxMode::kRead));
  ASSIGN_OR_RETURN(auto rows, tx->Query("SELECT token_hash, expires_at, revoked_at FROM api_tokens "
                                        "WHERE token_hash = ?",
                                        {storage::Blob{hash}}));
  if (rows.empty() || !crypto::ConstantTimeEquals(rows[0].Text(0), hash)) {
    return core::Unauthenticated("invalid bearer token");
  }
  if (!rows[0].IsNull(2)) {
    return core::Unauthenticated("bearer token revoked");
  }
  if (!rows[0].IsNull(1) && rows[0].Int(1) <= clock_.Now()) {
    return core::Unauthenticated("bearer token expired at " + core::FormatRfc3339(rows[0].Int(1)));
  }
  return core::Status::Ok();
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
    return core::Unavailable("cannot open " + lock_path + ": " + std::strerror(errno));
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
