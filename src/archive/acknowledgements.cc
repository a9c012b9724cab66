// SPDX-License-Identifier: Apache-2.0
#include "archive/acknowledgements.h"

#include "archive/canonical.h"
#include "archive/records.h"
#include "archive/sql/acknowledgements.h"

namespace custos::archive {

core::Result<Acknowledgement> AppendAcknowledgement(storage::Transaction& tx,
                                                    const crypto::KeyRing& keys, core::Micros at,
                                                    const AcknowledgementRecord& ack) {
  ASSIGN_OR_RETURN(RecordAppender records, RecordAppender::Begin(tx, keys));
  CanonicalValue::Object body;
  body["actor"] = ack.actor;
  body["person"] = ack.person;
  body["person_id"] = ack.person_id;
  body["version"] = ack.version;
  ASSIGN_OR_RETURN(const std::int64_t record_id,
                   records.Append("policy_acknowledgement", at, std::move(body)));
  Acknowledgement out{record_id, ack.version, ack.person_id, at};
  RETURN_IF_ERROR(sql::InsertAcknowledgementRow(tx, out));
  return out;
}

core::Result<std::optional<Acknowledgement>> FindAcknowledgement(storage::Transaction& tx,
                                                                 const std::string& version,
                                                                 std::int64_t person_id) {
  return sql::FindAcknowledgement(tx, version, person_id);
}

core::Result<std::vector<Acknowledgement>> AcknowledgementsOf(storage::Transaction& tx,
                                                              const std::string& version) {
  return sql::FindAcknowledgements(tx, version);
}

core::Result<bool> PolicyVersionRecorded(storage::Transaction& tx, const std::string& version) {
  return sql::PolicyVersionRecorded(tx, version);
}

}  // namespace custos::archive
