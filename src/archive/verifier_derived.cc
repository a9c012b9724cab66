// SPDX-License-Identifier: Apache-2.0
// The derived-data part of `custos verify` (verifier.h): every row that indexes a record is
// recomputed from the record's decrypted body and compared column by column, and the
// conversations and their participants are recomputed from the messages.
#include <algorithm>
#include <filesystem>
#include <iterator>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>

#include <stdlib.h>

#include "archive/access.h"
#include "archive/message_store.h"
#include "archive/payload.h"
#include "archive/retention.h"
#include "archive/sql/access.h"
#include "archive/sql/verify_derived.h"
#include "archive/verifier_internal.h"
#include "core/mutex.h"
#include "core/text.h"
#include "core/time.h"
#include "storage/migrations.h"
#include "storage/sqlite/sqlite_database.h"

namespace custos::archive::internal {
namespace {

using Json = nlohmann::json;
using storage::Blob;
using storage::Row;

std::string RecordName(std::int64_t id) { return "record " + std::to_string(id); }

// The rows that index records of one kind: `table`'s column `record_col` names the record.
struct IndexSpec {
  const char* kind;
  const char* table;
  const char* record_col;
  const char* columns;             // selected after the record id
  const char* name_col;            // the row's own key, to name it
  const char* alt_kind = nullptr;  // a second kind the same rows index
};

// Order matters: DerivedChecker::rows_ is indexed by position.
constexpr IndexSpec kSpecs[] = {
    {"verdict", "verdicts", "record_id",
     "message_id, action, severity, blocked, pack_version, rules, created_at", "message_id"},
    {"hold", "holds", "record_id", "id, scope, person_hash, conversation_id, created_at", "id"},
    {"hold_release", "holds", "release_record_id", "id, released_at", "id"},
    {"disposition", "dispositions", "disposition_record_id",
     "record_id, message_id, class, disposed_at", "record_id"},
    {"policy_pack", "policy_packs", "record_id", "id, version, applied_at", "id"},
    {"import_run", "import_runs", "record_id",
     "id, importer, source_sha256, status, started_at, ended_at, imported, duplicates, rejected,"
     " skipped",
     "id"},
    {"device_event", "device_events", "record_id",
     "id, device_id, event, from_state, to_state, at, command_id, actor", "id"},
    {"policy_acknowledgement", "policy_acknowledgements", "record_id",
     "id, version, person_id, acknowledged_at", "id"},
    {"access", "access_log", "record_id", "record_id, kind, actor_hash, action, at, reads",
     "record_id", "access_refused"},
};

static_assert(std::size(kSpecs) == DerivedChecker::kSpecCount);

std::string RowSubject(const IndexSpec& spec, const Row& row) {
  return std::string(spec.table) + " row " + spec.name_col + "=" + std::to_string(row.Int(1));
}

// Body member `key` as a string ("" when absent or not a string).
std::string Str(const Json& body, const char* key) {
  const auto it = body.find(key);
  return it != body.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::optional<std::int64_t> Int(const Json& body, const char* key) {
  const auto it = body.find(key);
  if (it == body.end() || !it->is_number_integer()) {
    return std::nullopt;
  }
  return it->get<std::int64_t>();
}

std::optional<core::Micros> Time(const Json& body, const char* key) {
  auto t = core::ParseRfc3339(Str(body, key));
  return t.has_value() ? std::optional<core::Micros>(*t) : std::nullopt;
}

std::string VerdictRules(const Json& body) {
  std::string out;
  const auto hits = body.find("hits");
  if (hits == body.end() || !hits->is_array()) {
    return out;
  }
  for (const Json& h : *hits) {
    if (!out.empty()) {
      out.push_back(' ');
    }
    out += h.is_object() ? Str(h, "rule") : std::string();
  }
  return out;
}

}  // namespace

DerivedChecker::DerivedChecker(storage::Transaction& tx, const crypto::KeyRing& keys,
                               Problems& problems, VerifyReport& report,
                               const VerifyOptions& options)
    : tx_(tx), keys_(keys), problems_(problems), report_(report), options_(options) {}

core::Status DerivedChecker::Begin() {
  return sql::EachConversationKey(tx_, [this](const Row& r) {
    conversations_[r.Int(0)] = {r.Text(1), r.Text(2)};
    return true;
  });
}

core::Status DerivedChecker::LoadChunk(std::int64_t first, std::int64_t last) {
  messages_.clear();
  RETURN_IF_ERROR(sql::EachMessageInRecordRange(tx_, first, last, [this](const Row& r) {
    messages_.emplace(r.Int(0), r);
    return true;
  }));
  for (std::size_t i = 0; i < std::size(kSpecs); ++i) {
    rows_[i].clear();
    const IndexSpec& s = kSpecs[i];
    RETURN_IF_ERROR(sql::EachIndexRowInRecordRange(tx_, s.table, s.record_col, s.columns, first,
                                                   last, [this, i](const Row& r) {
                                                     rows_[i].emplace(r.Int(0), r);
                                                     return true;
                                                   }));
  }
  return core::Status::Ok();
}

const Row* DerivedChecker::MessageRow(std::int64_t record_id) const {
  const auto it = messages_.find(record_id);
  return it == messages_.end() ? nullptr : &it->second;
}

void DerivedChecker::Differs(const std::string& subject, std::int64_t record_id, const char* column,
                             bool equal) {
  if (!equal) {
    problems_.Add(subject,
                  std::string("its ") + column + " column differs from " + RecordName(record_id) +
                      " (recomputed from the sealed record)",
                  record_id);
  }
}

void DerivedChecker::Check(std::int64_t id, const std::string* kind, core::Micros created_at,
                           const Json* body, bool disposed) {
  for (std::size_t i = 0; i < std::size(kSpecs); ++i) {
    const IndexSpec& s = kSpecs[i];
    const auto it = rows_[i].find(id);
    const bool is_kind =
        kind != nullptr && (*kind == s.kind || (s.alt_kind != nullptr && *kind == s.alt_kind));
    if (it == rows_[i].end()) {
      if (is_kind) {
        problems_.Add(RecordName(id),
                      std::string("is a ") + s.kind + " record but no " + s.table + " row (" +
                          s.record_col + ") points at it",
                      id);
      }
      continue;
    }
    const std::string subject = RowSubject(s, it->second);
    if (kind == nullptr) {
      problems_.Add(subject,
                    std::string("its ") + s.record_col + " points at " + RecordName(id) +
                        ", which is missing",
                    id);
    } else if (!is_kind) {
      problems_.Add(subject,
                    std::string("its ") + s.record_col + " points at " + RecordName(id) + ", a " +
                        *kind + " record",
                    id);
    } else if (body != nullptr && !disposed) {
      CheckRow(i, subject, id, created_at, *body, it->second);
    }
  }
}

void DerivedChecker::CheckRow(std::size_t spec, const std::string& subject, std::int64_t id,
                              core::Micros created_at, const Json& body, const Row& r) {
  ++report_.derived_rows;
  const std::string kind = kSpecs[spec].kind;
  if (kind == "verdict") {
    Differs(subject, id, "message_id", Int(body, "message_id") == r.Int(1));
    Differs(subject, id, "action", Str(body, "action") == r.Text(2));
    Differs(subject, id, "severity", Str(body, "severity") == r.Text(3));
    const auto blocked = body.find("blocked");
    Differs(subject, id, "blocked",
            blocked != body.end() && blocked->is_boolean() &&
                blocked->get<bool>() == (r.Int(4) == 1) && (r.Int(4) == 0 || r.Int(4) == 1));
    Differs(subject, id, "pack_version", Str(body, "pack_version") == r.Text(5));
    Differs(subject, id, "rules", VerdictRules(body) == r.Text(6));
    Differs(subject, id, "created_at", created_at == r.Int(7));
  } else if (kind == "hold") {
    Differs(subject, id, "id", Int(body, "hold_id") == r.Int(1));
    const std::string scope = Str(body, "scope");
    Differs(subject, id, "scope", scope == r.Text(2));
    const bool person = scope == "person" && body.contains("person");
    Differs(subject, id, "person_hash",
            person ? !r.IsNull(3) && r.Text(3) == IdentityHash(keys_, Str(body, "person"))
                   : r.IsNull(3));
    const auto conversation = Int(body, "conversation_id");
    Differs(subject, id, "conversation_id",
            conversation ? !r.IsNull(4) && r.Int(4) == *conversation : r.IsNull(4));
    Differs(subject, id, "created_at", created_at == r.Int(5));
  } else if (kind == "hold_release") {
    Differs(subject, id, "id", Int(body, "hold_id") == r.Int(1));
    Differs(subject, id, "released_at", !r.IsNull(2) && created_at == r.Int(2));
  } else if (kind == "disposition") {
    Differs(subject, id, "record_id", Int(body, "record_id") == r.Int(1));
    const auto message = Int(body, "message_id");
    Differs(subject, id, "message_id",
            message && *message != 0 ? !r.IsNull(2) && r.Int(2) == *message : r.IsNull(2));
    Differs(subject, id, "class", Str(body, "class") == r.Text(3));
    Differs(subject, id, "disposed_at", created_at == r.Int(4));
    // What stays of the disposed record (its records row, its messages or verdicts row) as it
    // was at the disposal; dispositions written before rows_sha256 existed carry none.
    const std::string rows = Str(body, "rows_sha256");
    const auto record = Int(body, "record_id");
    if (!rows.empty() && record) {
      auto now = DisposedRowsDigest(tx_, *record);
      if (!now.has_value()) {
        problems_.Add(subject, "its disposed rows cannot be read: " + now.error().message(), id);
      } else if (*now != rows) {
        problems_.Add("record " + std::to_string(*record),
                      "the rows kept after its disposal (records row, messages or verdicts row) "
                      "differ from those its disposition record " +
                          std::to_string(id) + " describes",
                      *record);
      }
    }
  } else if (kind == "policy_pack") {
    Differs(subject, id, "version", Str(body, "version") == r.Text(2));
    Differs(subject, id, "applied_at", created_at == r.Int(3));
  } else if (kind == "import_run") {
    Differs(subject, id, "id", Int(body, "run_id") == r.Int(1));
    Differs(subject, id, "importer", Str(body, "importer") == r.Text(2));
    Differs(subject, id, "source_sha256", Str(body, "source_sha256") == r.Text(3));
    Differs(subject, id, "status", Str(body, "status") == r.Text(4));
    Differs(subject, id, "started_at", Time(body, "started_at") == r.Int(5));
    Differs(subject, id, "ended_at", !r.IsNull(6) && Time(body, "ended_at") == r.Int(6));
    Differs(subject, id, "imported", Int(body, "imported") == r.Int(7));
    Differs(subject, id, "duplicates", Int(body, "duplicates") == r.Int(8));
    Differs(subject, id, "rejected", Int(body, "rejected") == r.Int(9));
    Differs(subject, id, "skipped", Int(body, "skipped") == r.Int(10));
  } else if (kind == "device_event") {
    Differs(subject, id, "device_id", Str(body, "device") == r.Text(2));
    Differs(subject, id, "event", Str(body, "event") == r.Text(3));
    Differs(subject, id, "from_state", Str(body, "from") == r.Text(4));
    Differs(subject, id, "to_state", Str(body, "to") == r.Text(5));
    Differs(subject, id, "at", created_at == r.Int(6));
    const auto command = Int(body, "command_id");
    Differs(subject, id, "command_id",
            command ? !r.IsNull(7) && r.Int(7) == *command : r.IsNull(7));
    Differs(subject, id, "actor", DeviceActorHash(keys_, Str(body, "actor")) == r.Text(8));
  } else if (kind == "policy_acknowledgement") {
    Differs(subject, id, "version", Str(body, "version") == r.Text(2));
    Differs(subject, id, "person_id", Int(body, "person_id") == r.Int(3));
    Differs(subject, id, "acknowledged_at", created_at == r.Int(4));
  } else if (kind == "access") {
    CheckAccessRow(subject, id, body, r);
  }
}

void DerivedChecker::CheckAccessRow(const std::string& subject, std::int64_t id, const Json& body,
                                    const Row& r) {
  const bool refused = r.Text(2) == "access_refused";
  const bool body_refused = body.contains("route");
  Differs(subject, id, "kind", refused == body_refused);
  Differs(subject, id, "actor_hash", AccessActorHash(keys_, Str(body, "actor")) == r.Text(3));
  Differs(subject, id, "action", Str(body, refused ? "route" : "action") == r.Text(4));
  Differs(subject, id, "at", Time(body, "read_at") == r.Int(5));
  std::vector<std::int64_t> listed;
  if (const auto ids = body.find("record_ids"); ids != body.end() && ids->is_array()) {
    for (const Json& v : *ids) {
      listed.push_back(v.is_number_integer() ? v.get<std::int64_t>() : 0);
    }
  }
  Differs(subject, id, "reads", static_cast<std::int64_t>(listed.size()) == r.Int(6));
  std::sort(listed.begin(), listed.end());
  listed.erase(std::unique(listed.begin(), listed.end()), listed.end());
  auto stored = sql::AccessReadRecords(tx_, id);
  if (!stored.has_value()) {
    problems_.Add(subject, "its access_reads rows cannot be read: " + stored.error().message(), id);
  } else if (*stored != listed) {
    problems_.Add(subject,
                  "its access_reads rows differ from the records " + RecordName(id) +
                      " lists (recomputed from the sealed record)",
                  id);
  }
}

void DerivedChecker::CheckMessage(std::int64_t record_id, core::Micros created_at,
                                  const std::string& canonical) {
  const Row* row = MessageRow(record_id);
  if (row == nullptr) {
    return;  // reported by the message link check
  }
  auto decoded = DecodeMessageRecord(canonical);
  if (!decoded.has_value()) {
    problems_.Add(RecordName(record_id), decoded.error().message(), record_id);
    return;
  }
  model::Message& m = *decoded;
  const Row& r = *row;
  m.id = r.Int(1);
  m.conversation_id = r.Int(3);
  m.record_id = record_id;
  const std::string subject = "message " + std::to_string(m.id);
  ++report_.derived_rows;
  Differs(subject, record_id, "idem_hash",
          r.Text(2) == IdempotencyHash(keys_, MessageIdempotencyKey(m)));
  const auto conversation = conversations_.find(m.conversation_id);
  Differs(subject, record_id, "conversation_id",
          conversation != conversations_.end() &&
              conversation->second.second == ConversationHash(keys_, m.channel, m.conversation));
  Differs(subject, record_id, "channel", r.Text(4) == m.channel);
  Differs(subject, record_id, "kind", r.Text(5) == model::EventKindName(m.kind));
  Differs(subject, record_id, "direction", r.Text(6) == model::DirectionName(m.direction));
  Differs(subject, record_id, "sent_at", r.Int(7) == m.sent_at);
  Differs(subject, record_id, "committed_at", r.Int(8) == created_at);
  Differs(subject, record_id, "sender_hash", r.Text(9) == IdentityHash(keys_, m.from));
  Differs(subject, record_id, "target_hash",
          m.target_source_id.empty()
              ? r.IsNull(10)
              : !r.IsNull(10) &&
                    r.Text(10) == TargetHash(keys_, m.principal, m.source, m.target_source_id));
  auto expect = [&](const std::string& handle) {
    if (!handle.empty()) {
      std::string key = std::to_string(m.conversation_id);
      key.push_back(':');
      key += IdentityHash(keys_, handle);
      participants_.insert(std::move(key));
    }
  };
  expect(m.from);
  for (const std::string& to : m.to) {
    expect(to);
  }
  if (options_.on_message) {
    options_.on_message(m);
  }
}

void DerivedChecker::Disposed(std::int64_t record_id) {
  if (const Row* row = MessageRow(record_id)) {
    disposed_conversations_.insert(row->Int(3));
  }
}

core::Status DerivedChecker::CheckBeyondLog(std::int64_t size) {
  for (const IndexSpec& s : kSpecs) {
    ASSIGN_OR_RETURN(auto rows,
                     sql::FindIndexRowBeyondLog(tx_, s.table, s.name_col, s.record_col, size));
    if (!rows.empty()) {
      problems_.Add(
          std::string(s.table) + " row " + s.name_col + "=" + std::to_string(rows[0].Int(0)),
          std::string("its ") + s.record_col + " points at " + RecordName(rows[0].Int(1)) +
              ", which does not exist",
          rows[0].Int(1));
    }
  }
  return core::Status::Ok();
}

core::Status DerivedChecker::Finish() {
  // Conversations: the sealed key must hash to key_hash, the counters must be the messages'.
  std::map<std::int64_t, std::tuple<std::int64_t, core::Micros, core::Micros>> aggregates;
  RETURN_IF_ERROR(sql::EachConversationAggregate(tx_, [&aggregates](const Row& r) {
    aggregates[r.Int(0)] = {r.Int(1), r.Int(2), r.Int(3)};
    return true;
  }));
  core::Status inner;
  RETURN_IF_ERROR(sql::EachConversation(tx_, [&](const Row& r) {
    ++report_.derived_rows;
    const std::int64_t id = r.Int(0);
    const std::string subject = "conversation " + std::to_string(id);
    auto key = OpenColumns(keys_, "conversations", id, r, 2);
    if (!key.has_value()) {
      problems_.Add(subject, "its sealed key does not decrypt (" + key.error().message() + ")", 0);
    } else if (ConversationHash(keys_, r.Text(1), *key) != r.Text(8)) {
      problems_.Add(subject,
                    "its key_hash or channel column differs from the keyed hash of its "
                    "sealed conversation key",
                    0);
    }
    const auto agg = aggregates.find(id);
    if (agg == aggregates.end()) {
      problems_.Add(subject, "has no messages", 0);
      return true;
    }
    const auto& [count, first, last] = agg->second;
    auto column = [&](const char* name, bool equal) {
      if (!equal) {
        problems_.Add(subject, std::string("its ") + name + " column differs from its messages", 0);
      }
    };
    column("message_count", r.Int(5) == count);
    column("first_message_at", r.Int(6) == first);
    column("last_message_at", r.Int(7) == last);
    aggregates.erase(agg);
    return true;
  }));
  for (const auto& [id, agg] : aggregates) {
    problems_.Add("conversation " + std::to_string(id),
                  "is missing: messages point at it but there is no conversations row", 0);
  }
  // Participants: each sealed handle must hash to its identity_hash; every handle of a live
  // message must be there; others only for conversations with disposed-of messages.
  RETURN_IF_ERROR(sql::EachParticipant(tx_, [&](const Row& r) {
    ++report_.derived_rows;
    const std::int64_t conversation = r.Int(0);
    const std::string subject = "participant of conversation " + std::to_string(conversation);
    auto handle = OpenColumns(keys_, "participants", conversation, r, 2);
    if (!handle.has_value()) {
      problems_.Add(subject,
                    "its sealed handle does not decrypt (" + handle.error().message() + ")", 0);
      return true;
    }
    if (IdentityHash(keys_, *handle) != r.Text(1)) {
      problems_.Add(subject,
                    "its identity_hash column differs from the keyed hash of its sealed "
                    "handle",
                    0);
      return true;
    }
    std::string key = std::to_string(conversation);
    key.push_back(':');
    key += r.Text(1);
    if (participants_.erase(key) == 0 && disposed_conversations_.count(conversation) == 0) {
      problems_.Add(subject, "names a handle that none of its messages has", 0);
    }
    return true;
  }));
  for (const std::string& key : participants_) {
    problems_.Add("conversation " + key.substr(0, key.find(':')),
                  "lacks a participant row for a handle of one of its messages", 0);
  }
  return inner;
}

namespace {

// The sql::SchemaRows of a new SQLite database that every migration has created (a scratch file
// in the temporary directory, removed at once), cached for the process.
core::Result<std::vector<Row>> ExpectedSchema() {
  static core::Mutex mu;
  static std::optional<std::vector<Row>> cached;
  core::MutexLock lock(&mu);
  if (cached) {
    return *cached;
  }
  std::error_code ec;
  std::string pattern =
      (std::filesystem::temp_directory_path(ec) / "custos-verify-schema-XXXXXX").string();
  if (ec || ::mkdtemp(pattern.data()) == nullptr) {
    return core::Internal("verify: cannot create a scratch directory for the expected schema");
  }
  const std::string dir = pattern;
  core::Result<std::vector<Row>> rows = [&]() -> core::Result<std::vector<Row>> {
    ASSIGN_OR_RETURN(auto db, storage::OpenSqlite(dir + "/schema.db"));
    ASSIGN_OR_RETURN(auto tx, db->Begin(storage::TxMode::kRead));
    return sql::SchemaRows(*tx);
  }();
  std::filesystem::remove_all(dir, ec);
  if (rows.has_value()) {
    cached = *rows;
  }
  return rows;
}

}  // namespace

core::Status CheckDatabaseFile(storage::Transaction& tx, Problems& problems) {
  ASSIGN_OR_RETURN(std::vector<std::string> lines, sql::IntegrityCheck(tx));
  for (const std::string& line : lines) {
    if (line != "ok") {
      problems.Add("custos.db", "fails SQLite's integrity check: " + line, 0);
    }
  }
  // The applied migrations are the ones this custos knows, under their names.
  ASSIGN_OR_RETURN(auto applied, sql::AppliedMigrations(tx));
  const auto& known = storage::AllMigrations();
  for (std::size_t i = 0; i < applied.size(); ++i) {
    const std::int64_t version = applied[i].Int(0);
    if (i >= known.size() || known[i].version != version ||
        applied[i].Text(1) != std::string(known[i].name)) {
      problems.Add("custos.db",
                   "schema_migrations row " + std::to_string(version) +
                       " is not a migration of this custos (expected " +
                       (i < known.size() ? std::to_string(known[i].version) + " \"" +
                                               std::string(known[i].name) + "\""
                                         : std::string("none")) +
                       ")",
                   0);
    }
  }
  // The schema is, word for word, the one the migrations create (a changed byte in the SQL text
  // of a table could otherwise leave it parseable and unnoticed). Compared only when every
  // migration of this custos has been applied.
  if (applied.size() == known.size()) {
    ASSIGN_OR_RETURN(auto have, sql::SchemaRows(tx));
    ASSIGN_OR_RETURN(auto want, ExpectedSchema());
    std::map<std::string, std::string> expected;
    for (const Row& r : want) {
      expected[r.Text(0) + " " + r.Text(1)] = r.Text(2) + "\n" + r.Text(3);
    }
    for (const Row& r : have) {
      const std::string name = r.Text(0) + " " + r.Text(1);
      const auto it = expected.find(name);
      if (it == expected.end()) {
        problems.Add("custos.db", "its schema has a " + name + " that custos does not create", 0);
      } else {
        if (it->second != r.Text(2) + "\n" + r.Text(3)) {
          problems.Add("custos.db", "the definition of " + name + " differs from custos' schema",
                       0);
        }
        expected.erase(it);
      }
    }
    for (const auto& [name, definition] : expected) {
      problems.Add("custos.db", "its schema lacks the " + name + " custos creates", 0);
    }
  }
  // custos never sets the header's user_version or application_id (the schema version is in
  // schema_migrations): any other value is a change to the file header.
  for (const char* field : {"user_version", "application_id"}) {
    ASSIGN_OR_RETURN(auto value, sql::HeaderField(tx, field));
    if (!value.empty() && value[0].Int(0) != 0) {
      problems.Add("custos.db",
                   std::string("its header's ") + field + " is " + std::to_string(value[0].Int(0)) +
                       "; custos writes 0 there",
                   0);
    }
  }
  return core::Status::Ok();
}

}  // namespace custos::archive::internal
