// SPDX-License-Identifier: Apache-2.0
#include "directory/sql/directory.h"

namespace custos::directory::sql {
namespace {

using storage::Blob;

constexpr std::string_view kPersonSelect =
    "SELECT id, key_hash, employee, key_version, wrapped_key, payload FROM directory_people";

PersonRow PersonOf(const storage::Row& r) {
  return PersonRow{r.Int(0), r.Text(1), r.Int(2) != 0,
                   crypto::Envelope{static_cast<int>(r.Int(3)), r.Text(4), r.Text(5)}};
}

}  // namespace

core::Result<std::optional<std::int64_t>> FindIdentityOwner(storage::Transaction& tx,
                                                            const std::string& identity_hash) {
  ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT person_id FROM directory_identities WHERE"
                                       " identity_hash = ?",
                                       {Blob{identity_hash}}));
  if (rows.empty()) {
    return std::optional<std::int64_t>();
  }
  return std::optional<std::int64_t>(rows[0].Int(0));
}

core::Result<std::optional<PersonRow>> FindPerson(storage::Transaction& tx, std::int64_t id) {
  ASSIGN_OR_RETURN(auto rows, tx.Query(std::string(kPersonSelect) + " WHERE id = ?", {id}));
  if (rows.empty()) {
    return std::optional<PersonRow>();
  }
  return std::optional<PersonRow>(PersonOf(rows[0]));
}

core::Result<std::vector<PersonRow>> ListPeople(storage::Transaction& tx) {
  ASSIGN_OR_RETURN(auto rows, tx.Query(std::string(kPersonSelect) + " ORDER BY id"));
  std::vector<PersonRow> out;
  out.reserve(rows.size());
  for (const storage::Row& r : rows) {
    out.push_back(PersonOf(r));
  }
  return out;
}

core::Result<std::optional<std::int64_t>> FindPersonByKey(storage::Transaction& tx,
                                                          const std::string& key_hash) {
  ASSIGN_OR_RETURN(
      auto rows, tx.Query("SELECT id FROM directory_people WHERE key_hash = ?", {Blob{key_hash}}));
  if (rows.empty()) {
    return std::optional<std::int64_t>();
  }
  return std::optional<std::int64_t>(rows[0].Int(0));
}

core::Result<std::int64_t> InsertPerson(storage::Transaction& tx, const std::string& key_hash,
                                        bool employee, const crypto::Envelope& sealed,
                                        core::Micros at) {
  RETURN_IF_ERROR(tx.Execute(
      "INSERT INTO directory_people (key_hash, employee, key_version, wrapped_key, payload,"
      " updated_at) VALUES (?, ?, ?, ?, ?, ?)",
      {Blob{key_hash}, std::int64_t{employee ? 1 : 0}, std::int64_t{sealed.key_version},
       Blob{sealed.wrapped_key}, Blob{sealed.ciphertext}, at}));
  ASSIGN_OR_RETURN(auto row, tx.Query("SELECT last_insert_rowid()"));
  return row[0].Int(0);
}

core::Status UpdatePerson(storage::Transaction& tx, std::int64_t id, bool employee,
                          const crypto::Envelope& sealed, core::Micros at) {
  return tx.Execute(
      "UPDATE directory_people SET employee = ?, key_version = ?, wrapped_key = ?,"
      " payload = ?, updated_at = ? WHERE id = ?",
      {std::int64_t{employee ? 1 : 0}, std::int64_t{sealed.key_version}, Blob{sealed.wrapped_key},
       Blob{sealed.ciphertext}, at, id});
}

core::Status DeletePersonIdentities(storage::Transaction& tx, std::int64_t person_id) {
  return tx.Execute("DELETE FROM directory_identities WHERE person_id = ?", {person_id});
}

core::Status InsertIdentity(storage::Transaction& tx, const std::string& identity_hash,
                            std::int64_t person_id) {
  return tx.Execute("INSERT INTO directory_identities (identity_hash, person_id) VALUES (?, ?)",
                    {Blob{identity_hash}, person_id});
}

core::Result<bool> IdentityKnown(storage::Transaction& tx, const std::string& identity_hash) {
  ASSIGN_OR_RETURN(auto known,
                   tx.Query("SELECT 1 FROM directory_identities WHERE identity_hash = ?1"
                            " UNION ALL SELECT 1 FROM directory_parties WHERE identity_hash = ?1",
                            {Blob{identity_hash}}));
  return !known.empty();
}

core::Status InsertParty(storage::Transaction& tx, const std::string& identity_hash,
                         const crypto::Envelope& sealed, std::int64_t import_run_id,
                         core::Micros at) {
  return tx.Execute(
      "INSERT INTO directory_parties (identity_hash, key_version, wrapped_key, payload,"
      " first_run_id, first_seen_at) VALUES (?, ?, ?, ?, ?, ?)",
      {Blob{identity_hash}, std::int64_t{sealed.key_version}, Blob{sealed.wrapped_key},
       Blob{sealed.ciphertext}, import_run_id, at});
}

core::Status DeleteParty(storage::Transaction& tx, const std::string& identity_hash) {
  return tx.Execute("DELETE FROM directory_parties WHERE identity_hash = ?", {Blob{identity_hash}});
}

core::Result<std::int64_t> CountParties(storage::Transaction& tx) {
  ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT count(*) FROM directory_parties"));
  return rows[0].Int(0);
}

core::Status UpsertConversationLabel(storage::Transaction& tx, std::int64_t conversation_id,
                                     const std::string& label, std::int64_t import_run_id,
                                     core::Micros at) {
  return tx.Execute(
      "INSERT INTO conversation_labels (conversation_id, label, import_run_id, updated_at)"
      " VALUES (?1, ?2, ?3, ?4) ON CONFLICT (conversation_id) DO UPDATE SET"
      " label = CASE WHEN label = 'external' THEN 'external' ELSE excluded.label END,"
      " import_run_id = excluded.import_run_id, updated_at = excluded.updated_at",
      {conversation_id, label, import_run_id, at});
}

core::Result<std::vector<StoredLabel>> ListLabels(storage::Transaction& tx,
                                                  const std::string& only) {
  ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT conversation_id, label, coalesce(import_run_id, 0)"
                                       " FROM conversation_labels WHERE ?1 = '' OR label = ?1"
                                       " ORDER BY conversation_id",
                                       {only}));
  std::vector<StoredLabel> out;
  out.reserve(rows.size());
  for (const storage::Row& r : rows) {
    out.push_back({r.Int(0), r.Text(1), r.Int(2)});
  }
  return out;
}

core::Result<std::optional<std::string>> FindLabel(storage::Transaction& tx,
                                                   std::int64_t conversation_id) {
  ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT label FROM conversation_labels WHERE"
                                       " conversation_id = ?",
                                       {conversation_id}));
  if (rows.empty()) {
    return std::optional<std::string>();
  }
  return std::optional<std::string>(rows[0].Text(0));
}

core::Result<std::vector<std::string>> StoredIdempotencyHashes(
    storage::Transaction& tx, const std::vector<std::string>& idem_hashes) {
  std::vector<std::string> out;
  if (idem_hashes.empty()) {
    return out;
  }
  std::string sql = "SELECT idem_hash FROM messages WHERE idem_hash IN (";
  std::vector<storage::Value> params;
  params.reserve(idem_hashes.size());
  for (std::size_t i = 0; i < idem_hashes.size(); ++i) {
    sql += i == 0 ? "?" : ", ?";
    params.emplace_back(Blob{idem_hashes[i]});
  }
  sql += ")";
  ASSIGN_OR_RETURN(auto rows, tx.Query(sql, params));
  out.reserve(rows.size());
  for (const storage::Row& r : rows) {
    out.push_back(r.Text(0));
  }
  return out;
}

}  // namespace custos::directory::sql
