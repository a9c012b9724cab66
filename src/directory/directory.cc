// SPDX-License-Identifier: Apache-2.0
#include "directory/directory.h"

#include <map>

#include <nlohmann/json.hpp>

#include "archive/payload.h"
#include "archive/sql/messages.h"
#include "core/text.h"
#include "directory/identity.h"
#include "directory/sql/directory.h"

namespace custos::directory {
namespace {

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
    ASSIGN_OR_RETURN(std::optional<std::int64_t> owner,
                     sql::FindIdentityOwner(tx, DirectoryIdentityHash(keys, candidate)));
    if (owner) {
      return *owner;
    }
  }
  return std::int64_t{0};
}

core::Result<std::optional<KnownPerson>> LoadPerson(storage::Transaction& tx,
                                                    const crypto::KeyRing& keys, std::int64_t id) {
  ASSIGN_OR_RETURN(std::optional<sql::PersonRow> row, sql::FindPerson(tx, id));
  if (!row) {
    return std::optional<KnownPerson>();
  }
  ASSIGN_OR_RETURN(std::string plain, keys.OpenEnvelope(row->sealed, Aad(kPeople, row->key_hash)));
  const nlohmann::json j = nlohmann::json::parse(plain, nullptr, false);
  if (!j.is_object()) {
    return core::DataLoss("directory person " + std::to_string(id) + " is malformed");
  }
  return std::optional<KnownPerson>(FromJson(id, row->employee, j));
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
    ASSIGN_OR_RETURN(std::optional<std::int64_t> existing, sql::FindPersonByKey(*tx, key_hash));
    std::int64_t id = 0;
    if (!existing) {
      ASSIGN_OR_RETURN(id, sql::InsertPerson(*tx, key_hash, p.employee, sealed, now));
      ++summary.added;
    } else {
      id = *existing;
      RETURN_IF_ERROR(sql::UpdatePerson(*tx, id, p.employee, sealed, now));
      RETURN_IF_ERROR(sql::DeletePersonIdentities(*tx, id));
      ++summary.updated;
    }
    std::vector<std::string> identities(p.emails);
    identities.insert(identities.end(), p.phones.begin(), p.phones.end());
    identities.insert(identities.end(), p.handles.begin(), p.handles.end());
    for (const std::string& identity : identities) {
      const std::string hash = IdentityHash(identity);
      ASSIGN_OR_RETURN(std::optional<std::int64_t> owner, sql::FindIdentityOwner(*tx, hash));
      if (owner && *owner != id) {
        tx->Rollback();
        return core::AlreadyExists(p.where + ": \"" + identity +
                                   "\" already belongs to another person of the directory");
      }
      if (!owner) {
        RETURN_IF_ERROR(sql::InsertIdentity(*tx, hash, id));
        ++summary.identities;
      }
      // An identity that was an external party is now a known person's.
      RETURN_IF_ERROR(sql::DeleteParty(*tx, hash));
    }
  }
  RETURN_IF_ERROR(tx->Commit());
  return summary;
}

core::Result<std::vector<KnownPerson>> Directory::People() const {
  ASSIGN_OR_RETURN(auto tx, db_->Begin(storage::TxMode::kRead));
  ASSIGN_OR_RETURN(std::vector<sql::PersonRow> rows, sql::ListPeople(*tx));
  std::vector<KnownPerson> out;
  for (const sql::PersonRow& r : rows) {
    ASSIGN_OR_RETURN(std::string plain, keys_->OpenEnvelope(r.sealed, Aad(kPeople, r.key_hash)));
    const nlohmann::json j = nlohmann::json::parse(plain, nullptr, false);
    if (!j.is_object()) {
      return core::DataLoss("directory person " + std::to_string(r.id) + " is malformed");
    }
    out.push_back(FromJson(r.id, r.employee, j));
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
    ASSIGN_OR_RETURN(const bool known, sql::IdentityKnown(*tx, hash));
    if (known) {
      continue;
    }
    const nlohmann::json payload = {{"identity", identity}};
    ASSIGN_OR_RETURN(crypto::Envelope sealed,
                     keys_->SealEnvelope(payload.dump(), Aad(kParties, hash)));
    RETURN_IF_ERROR(sql::InsertParty(*tx, hash, sealed, import_run_id, now));
    ++added;
  }
  RETURN_IF_ERROR(tx->Commit());
  return added;
}

core::Result<std::int64_t> Directory::PartyCount() const {
  ASSIGN_OR_RETURN(auto tx, db_->Begin(storage::TxMode::kRead));
  return sql::CountParties(*tx);
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
    ASSIGN_OR_RETURN(std::optional<std::int64_t> conversation,
                     archive::sql::FindConversationId(*tx, hash));
    if (!conversation) {
      continue;
    }
    const std::string label = l.external ? "external" : "internal";
    RETURN_IF_ERROR(sql::UpsertConversationLabel(*tx, *conversation, label, import_run_id, now));
  }
  return tx->Commit();
}

core::Result<std::vector<StoredLabel>> Directory::Labels(const std::string& only) const {
  ASSIGN_OR_RETURN(auto tx, db_->Begin(storage::TxMode::kRead));
  return sql::ListLabels(*tx, only);
}

core::Result<std::vector<bool>> Directory::StoredSourceIds(
    const std::string& source, const std::vector<std::string>& ids) const {
  std::vector<bool> out(ids.size(), false);
  if (ids.empty()) {
    return out;
  }
  std::vector<std::string> hashes;
  hashes.reserve(ids.size());
  std::map<std::string, std::size_t> index;  // hash -> position in `ids`
  for (std::size_t i = 0; i < ids.size(); ++i) {
    std::string hash = archive::IdempotencyHash(*keys_, source + '\x1f' + ids[i]);
    hashes.push_back(hash);
    index.emplace(std::move(hash), i);
  }
  ASSIGN_OR_RETURN(auto tx, db_->Begin(storage::TxMode::kRead));
  ASSIGN_OR_RETURN(std::vector<std::string> stored, sql::StoredIdempotencyHashes(*tx, hashes));
  for (const std::string& hash : stored) {
    if (const auto it = index.find(hash); it != index.end()) {
      out[it->second] = true;
    }
  }
  return out;
}

core::Result<std::optional<std::string>> Directory::LabelOf(std::int64_t conversation_id) const {
  ASSIGN_OR_RETURN(auto tx, db_->Begin(storage::TxMode::kRead));
  return sql::FindLabel(*tx, conversation_id);
}

}  // namespace custos::directory
