// SPDX-License-Identifier: Apache-2.0
// LogService::Evidence (app/log_service.h): the evidence bundle of one message.
#include <algorithm>
#include <utility>

#include "app/log_service.h"
#include "archive/sql/messages.h"
#include "archive/sql/verdicts.h"

namespace custos::app {

core::Result<archive::EvidenceBundle> LogService::Evidence(std::int64_t message_id) const {
  std::int64_t record_id = 0;
  std::int64_t verdict_record_id = 0;
  {
    ASSIGN_OR_RETURN(auto tx, db_->Begin(storage::TxMode::kRead));
    ASSIGN_OR_RETURN(std::optional<std::int64_t> message,
                     archive::sql::FindMessageRecordId(*tx, message_id));
    if (!message) {
      return core::NotFound("no message " + std::to_string(message_id));
    }
    record_id = *message;
    ASSIGN_OR_RETURN(std::optional<std::int64_t> verdict,
                     archive::sql::FindVerdictRecordId(*tx, message_id));
    verdict_record_id = verdict.value_or(0);
  }
  archive::EvidenceBundle bundle;
  bundle.message_id = message_id;
  bundle.origin = origin_;
  ASSIGN_OR_RETURN(bundle.verifier_key, PublicKey());
  // The newest record first: its checkpoint covers the other one too.
  const std::int64_t newest = std::max(record_id, verdict_record_id);
  ASSIGN_OR_RETURN(archive::RecordInclusion last, ProveInclusion(newest));
  bundle.checkpoint = last.checkpoint;
  bundle.tree_size = last.tree_size;
  bundle.root_hash = last.root_hash;
  for (const auto& [role, id] :
       {std::pair<const char*, std::int64_t>{"message", record_id},
        std::pair<const char*, std::int64_t>{"verdict", verdict_record_id}}) {
    if (id == 0) {
      continue;
    }
    archive::EvidenceItem item;
    item.role = role;
    if (id == newest) {
      item.inclusion = last;
    } else {
      ASSIGN_OR_RETURN(item.inclusion, ProveInclusion(id, bundle.tree_size));
    }
    auto canonical = RecordCanonical(id);
    if (canonical.has_value()) {
      item.canonical = std::move(canonical).value();
    } else if (canonical.error().code() != core::StatusCode::kFailedPrecondition) {
      return canonical.error();  // disposed of is fine: the leaf hash proves what was there
    }
    bundle.items.push_back(std::move(item));
  }
  return bundle;
}

}  // namespace custos::app
