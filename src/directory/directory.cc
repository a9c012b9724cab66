// SPDX-License-Identifier: Apache-2.0
#include "directory/directory.h"

#include <map>

#include <nlohmann/json.hpp>

#include "archive/payload.h"
#include "core/text.h"
#include "directory/identity.h"

namespace custos::directory {
namespace {

using storage::Blob;

constexpr std::string_view kPeople = "directory_people";
constexpr std::string_view kParties = "directory_parties";

std::string Aad(std::string_view table, std::string_view key_hash) {
  return std::string(table) + '\x1f' + core::HexEncode(key_hash);
}

std::string PrimaryOf(const PersonEntry& p) {
  if (!p.emails.empty()) {
    return p.emails.front();
  }
  if (!p.phones.empty()) {
    return p.phones.front();
  }
  if (!p.handles.empty()) {
    return p.handles.front();
  }
  return p.name;
}

nlohmann::json PersonJson(const PersonEntry& p) {
  return {{"name", p.name},       {"emails", p.emails}, {"phones", p.phones},
          {"handles", p.handles}, {"group", p.group},   {"manager", p.manager}};
}

KnownPerson FromJson(std::int64_t id, bool employee, const nlohmann::json& j) {
  PersonEntry p;
  p.name = j.value("name", "");
  p.emails = j.value("emails", std::vector<std::string>{});
  p.phones = j.value("phones", std::vector<std::string>{});
  p.handles = j.value("handles", std::vector<std::string>{});
  KnownPerson k;
  k.id = id;
  k.name = p.name;
  k.primary = PrimaryOf(p);
  k.group = j.value("group", "");
  k.employee = employee;
  for (const auto* list : {&p.emails, &p.phones, &p.handles}) {
    k.identities.insert(k.identities.end(), list->begin(), list->end());
  }
  return k;
}

}  // namespace

std::string DirectoryIdentityHash(const crypto::KeyRing& keys, std::string_view identity) {
  return keys.IndexHash("directory-identity\x1f" + core::ToLowerAscii(identity));
}

core::Result<std::int64_t> FindPersonId(storage::Transaction& tx, const crypto::KeyRing& keys,
                                        std::string_view raw, std::string_view region) {
  const std::string key = LookupKey(raw, region);
  if (key.empty()) {
    return std::int64_t{0};
  }
  std::vector<std::string> candidates{key};
  // A numeric handle (a Telegram user id such as "528441660") may also read as a local phone
  // number of the default region; the directory keeps handles as given, so try that too.
  const std::string as_given = core::ToLowerAscii(core::TrimAscii(raw));
  if (as_given != key && !as_given.empty()) {
    candidates.push_back(as_given);
  }
  // A handle: "@anna_t" and "anna_t" are the same Telegram (or Slack) handle.
  if (key.front() == '@') {
    candidates.push_back(key.substr(1));
  } else if (key.find('@') == std::string::npos && key.front() != '+') {
    candidates.push_back("@" + key);
  }
  for (const std::string& candidate : candidates) {
    if (candidate.empty()) {
      continue;
    }
    ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT person_id FROM directory_identities WHERE"
                                         " identity_hash = ?",
                                         {Blob{DirectoryIdentityHash(keys, candidate)}}));
    if (!rows.empty()) {
      return rows[0].Int(0);
    }
  }
  return std::int64_t{0};
}

core::Result<std::optional<KnownPerson>> LoadPerson(storage::Transaction& tx,
                                                    const crypto::KeyRing& keys, std::int64_t id) {
  ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT id, key_hash, employee, key_version, wrapped_key,"
                                       " payload FROM directory_people WHERE id = ?",
                                       {id}));
  if (rows.empty()) {
    return std::optional<KnownPerson>();
  }
  const storage::Row& r = rows[0];
  crypto::Envelope sealed{static_cast<int>(r.Int(3)), r.Text(4), r.Text(5)};
  ASSIGN_OR_RETURN(std::string plain, keys.OpenEnvelope(sealed, Aad(kPeople, r.Text(1))));
  const nlohmann::json j = nlohmann::json::parse(plain, nullptr, false);
  if (!j.is_object()) {
    return core::DataLoss("directory person " + std::to_string(id) + " is malformed");
  }
  return std::optional<KnownPerson>(FromJson(id, r.Int(2) != 0, j));
}

Directory::Directory(storage::Database* db, const crypto::KeyRing* keys, const core::Clock* clock)
    : db_(db), keys_(keys), clock_(clock) {}

std::string Directory::IdentityHash(std::string_view identity) const {
  return DirectoryIdentityHash(*keys_, identity);
}

core::Result<DirectoryImportSummary> Directory::ImportPeople(
    const std::vector<PersonEntry>& people) {
  DirectoryImportSummary summary;
  ASSIGN_OR_RETURN(auto tx, db_->Begin(storage::TxMode::kWrite));
  const core::Micros now = clock_->Now();
  std::map<std::string, std::string> seen;  // key hash -> where, within this import
  for (const PersonEntry& p : people) {
    const std::string key_hash =
        keys_->IndexHash("directory-person\x1f" + core::ToLowerAscii(PrimaryOf(p)));
    if (const auto [it, fresh] = seen.emplace(key_hash, p.where); !fresh) {
      tx->Rollback();
      return core::AlreadyExists(p.where + ": the same person (first e-mail, else name) as " +
                                 it->second);
    }
    ASSIGN_OR_RETURN(crypto::Envelope sealed,
                     keys_->SealEnvelope(PersonJson(p).dump(), Aad(kPeople, key_hash)));
    ASSIGN_OR_RETURN(auto existing, tx->Query("SELECT id FROM directory_people WHERE key_hash = ?",
                                              {Blob{key_hash}}));
    std::int64_t id = 0;
    if (existing.empty()) {
      RETURN_IF_ERROR(tx->Execute(
          "INSERT INTO directory_people (key_hash, employee, key_version, wrapped_key, payload,"
          " updated_at) VALUES (?, ?, ?, ?, ?, ?)",
          {Blob{key_hash}, std::int64_t{p.employee ? 1 : 0}, std::int64_t{sealed.key_version},
           Blob{sealed.wrapped_key}, Blob{sealed.ciphertext}, now}));
      ASSIGN_OR_RETURN(auto row, tx->Query("SELECT last_insert_rowid()"));
      id = row[0].Int(0);
      ++summary.added;
    } else {
      id = existing[0].Int(0);
      RETURN_IF_ERROR(
          tx->Execute("UPDATE directory_people SET employee = ?, key_version = ?, wrapped_key = ?,"
                      " payload = ?, updated_at = ? WHERE id = ?",
                      {std::int64_t{p.employee ? 1 : 0}, std::int64_t{sealed.key_version},
                       Blob{sealed.wrapped_key}, Blob{sealed.ciphertext}, now, id}));
      RETURN_IF_ERROR(tx->Execute("DELETE FROM directory_identities WHERE person_id = ?", {id}));
      ++summary.updated;
    }
    std::vector<std::string> identities(p.emails);
    identities.insert(identities.end(), p.phones.begin(), p.phones.end());
    identities.insert(identities.end(), p.handles.begin(), p.handles.end());
    for (const std::string& identity : identities) {
      const std::string hash = IdentityHash(identity);
      ASSIGN_OR_RETURN(auto owner, tx->Query("SELECT person_id FROM directory_identities WHERE"
                                             " identity_hash = ?",
                                             {Blob{hash}}));
      if (!owner.empty() && owner[0].Int(0) != id) {
        tx->Rollback();
        return core::AlreadyExists(p.where + ": \"" + identity +
                                   "\" already belongs to another person of the directory");
      }
      if (owner.empty()) {
        RETURN_IF_ERROR(
            tx->Execute("INSERT INTO directory_identities (identity_hash, person_id) VALUES (?, ?)",
                        {Blob{hash}, id}));
        ++summary.identities;
      }
      // An identity that was an external party is now a known person's.
      RETURN_IF_ERROR(
          tx->Execute("DELETE FROM directory_parties WHERE identity_hash = ?", {Blob{hash}}));
    }
  }
  RETURN_IF_ERROR(tx->Commit());
  return summary;
}

core::Result<std::vector<KnownPerson>> Directory::People() const {
  ASSIGN_OR_RETURN(auto tx, db_->Begin(storage::TxMode::kRead));
  ASSIGN_OR_RETURN(auto rows, tx->Query("SELECT id, key_hash, employee, key_version, wrapped_key,"
                                        " payload FROM directory_people ORDER BY id"));
  std::vector<KnownPerson> out;
  for (const storage::Row& r : rows) {
    crypto::Envelope sealed{static_cast<int>(r.Int(3)), r.Text(4), r.Text(5)};
    ASSIGN_OR_RETURN(std::string plain, keys_->OpenEnvelope(sealed, Aad(kPeople, r.Text(1))));
    const nlohmann::json j = nlohmann::json::parse(plain, nullptr, false);
    if (!j.is_object()) {
      return core::DataLoss("directory person " + std::to_string(r.Int(0)) + " is malformed");
    }
    out.push_back(FromJson(r.Int(0), r.Int(2) != 0, j));
  }
  return out;
}

core::Result<Resolver> Directory::LoadResolver(const std::string& default_region) const {
  Resolver resolver(default_region);
  ASSIGN_OR_RETURN(std::vector<KnownPerson> people, People());
  for (KnownPerson& p : people) {
    resolver.AddPerson(std::move(p));
  }
  return resolver;
}

core::Result<std::int64_t> Directory::RecordParties(const std::vector<std::string>& identities,
                                                    std::int64_t import_run_id) {
  std::int64_t added = 0;
  if (identities.empty()) {
    return added;
  }
  ASSIGN_OR_RETURN(auto tx, db_->Begin(storage::TxMode::kWrite));
  const core::Micros now = clock_->Now();
  for (const std::string& identity : identities) {
    const std::string hash = IdentityHash(identity);
    ASSIGN_OR_RETURN(
        auto known, tx->Query("SELECT 1 FROM directory_identities WHERE identity_hash = ?1"
                              " UNION ALL SELECT 1 FROM directory_parties WHERE identity_hash = ?1",
                              {Blob{hash}}));
    if (!known.empty()) {
      continue;
    }
    const nlohmann::json payload = {{"identity", identity}};
    ASSIGN_OR_RETURN(crypto::Envelope sealed,
                     keys_->SealEnvelope(payload.dump(), Aad(kParties, hash)));
    RETURN_IF_ERROR(tx->Execute(
        "INSERT INTO directory_parties (identity_hash, key_version, wrapped_key, payload,"
        " first_run_id, first_seen_at) VALUES (?, ?, ?, ?, ?, ?)",
        {Blob{hash}, std::int64_t{sealed.key_version}, Blob{sealed.wrapped_key},
         Blob{sealed.ciphertext}, import_run_id, now}));
    ++added;
  }
  RETURN_IF_ERROR(tx->Commit());
  return added;
}

core::Result<std::int64_t> Directory::PartyCount() const {
  ASSIGN_OR_RETURN(auto tx, db_->Begin(storage::TxMode::kRead));
  ASSIGN_OR_RETURN(auto rows, tx->Query("SELECT count(*) FROM directory_parties"));
  return rows[0].Int(0);
}

core::Status Directory::LabelConversations(const std::vector<ConversationLabel>& labels,
                                           std::int64_t import_run_id) {
  if (labels.empty()) {
    return core::Status::Ok();
  }
  ASSIGN_OR_RETURN(auto tx, db_->Begin(storage::TxMode::kWrite));
  const core::Micros now = clock_->Now();
  for (const ConversationLabel& l : labels) {
    const std::string hash = archive::ConversationHash(*keys_, l.channel, l.conversation);
    ASSIGN_OR_RETURN(auto conv,
                     tx->Query("SELECT id FROM conversations WHERE key_hash = ?", {Blob{hash}}));
    if (conv.empty()) {
      continue;
    }
    const std::string label = l.external ? "external" : "internal";
    RETURN_IF_ERROR(tx->Execute(
        "INSERT INTO conversation_labels (conversation_id, label, import_run_id, updated_at)"
        " VALUES (?1, ?2, ?3, ?4) ON CONFLICT (conversation_id) DO UPDATE SET"
        " label = CASE WHEN label = 'external' THEN 'external' ELSE excluded.label END,"
        " import_run_id = excluded.import_run_id, updated_at = excluded.updated_at",
        {conv[0].Int(0), label, import_run_id, now}));
  }
  return tx->Commit();
}

core::Result<std::vector<StoredLabel>> Directory::Labels(const std::string& only) const {
  ASSIGN_OR_RETURN(auto tx, db_->Begin(storage::TxMode::kRead));
  ASSIGN_OR_RETURN(auto rows, tx->Query("SELECT conversation_id, label, coalesce(import_run_id, 0)"
                                        " FROM conversation_labels WHERE ?1 = '' OR label = ?1"
                                        " ORDER BY conversation_id",
                                        {only}));
  std::vector<StoredLabel> out;
  for (const storage::Row& r : rows) {
    out.push_back({r.Int(0), r.Text(1), r.Int(2)});
  }
  return out;
}

core::Result<std::vector<bool>> Directory::StoredSourceIds(
    const std::string& source, const std::vector<std::string>& ids) const {
  std::vector<bool> out(ids.size(), false);
  if (ids.empty()) {
    return out;
  }
  std::string sql = "SELECT idem_hash FROM messages WHERE idem_hash IN (";
  std::vector<storage::Value> params;
  std::map<std::string, std::size_t> index;  // hash -> position in `ids`
  for (std::size_t i = 0; i < ids.size(); ++i) {
    std::string hash = archive::IdempotencyHash(*keys_, source + '\x1f' + ids[i]);
    sql += i == 0 ? "?" : ", ?";
    params.emplace_back(Blob{hash});
    index.emplace(std::move(hash), i);
  }
  sql += ")";
  ASSIGN_OR_RETURN(auto tx, db_->Begin(storage::TxMode::kRead));
  ASSIGN_OR_RETURN(auto rows, tx->Query(sql, params));
  for (const storage::Row& r : rows) {
    if (const auto it = index.find(r.Text(0)); it != index.end()) {
      out[it->second] = true;
    }
  }
  return out;
}

core::Result<std::optional<std::string>> Directory::LabelOf(std::int64_t conversation_id) const {
  ASSIGN_OR_RETURN(auto tx, db_->Begin(storage::TxMode::kRead));
  ASSIGN_OR_RETURN(auto rows, tx->Query("SELECT label FROM conversation_labels WHERE"
                                        " conversation_id = ?",
                                        {conversation_id}));
  if (rows.empty()) {
    return std::optional<std::string>();
  }
  return std::optional<std::string>(rows[0].Text(0));
}

}  // namespace custos::directory
