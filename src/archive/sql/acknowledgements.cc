// SPDX-License-Identifier: Apache-2.0
#include "archive/sql/acknowledgements.h"

namespace custos::archive::sql {
namespace {

constexpr const char* kColumns = "record_id, version, person_id, acknowledged_at";

Acknowledgement FromRow(const storage::Row& r) {
  return Acknowledgement{r.Int(0), r.Text(1), r.Int(2), r.Int(3)};
}

}  // namespace

core::Status InsertAcknowledgementRow(storage::Transaction& tx, const Acknowledgement& ack) {
  return tx.Execute(
      "INSERT INTO policy_acknowledgements (record_id, version, person_id, acknowledged_at) "
      "VALUES (?, ?, ?, ?)",
      {ack.record_id, ack.version, ack.person_id, ack.acknowledged_at});
}

core::Result<std::optional<Acknowledgement>> FindAcknowledgement(storage::Transaction& tx,
                                                                 const std::string& version,
                                                                 std::int64_t person_id) {
  ASSIGN_OR_RETURN(auto rows, tx.Query(std::string("SELECT ") + kColumns +
                                           " FROM policy_acknowledgements WHERE version = ? AND "
                                           "person_id = ?",
                                       {version, person_id}));
  if (rows.empty()) {
    return std::optional<Acknowledgement>();
  }
  return std::optional<Acknowledgement>(FromRow(rows[0]));
}

core::Result<std::vector<Acknowledgement>> FindAcknowledgements(storage::Transaction& tx,
                                                                const std::string& version) {
  ASSIGN_OR_RETURN(auto rows, tx.Query(std::string("SELECT ") + kColumns +
                                           " FROM policy_acknowledgements WHERE version = ? "
                                           "ORDER BY id",
                                       {version}));
  std::vector<Acknowledgement> out;
  out.reserve(rows.size());
  for (const storage::Row& r : rows) {
    out.push_back(FromRow(r));
  }
  return out;
}

core::Result<bool> PolicyVersionRecorded(storage::Transaction& tx, const std::string& version) {
  ASSIGN_OR_RETURN(auto rows,
                   tx.Query("SELECT 1 FROM policy_packs WHERE version = ? LIMIT 1", {version}));
  return !rows.empty();
}

}  // namespace custos::archive::sql
