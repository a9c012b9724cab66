// SPDX-License-Identifier: Apache-2.0
#include "directory/json.h"

namespace custos::directory {

nlohmann::json ImportRunJson(const ImportRun& run) {
  nlohmann::json j = {{"id", run.id},
                      {"record_id", nullptr},
                      {"importer", run.importer},
                      {"version", run.version},
                      {"source_name", run.source_name},
                      {"source_sha256", run.source_sha256},
                      {"custodian", run.custodian},
                      {"status", run.status},
                      {"started_at", core::FormatRfc3339(run.started_at)},
                      {"ended_at", nullptr},
                      {"imported", run.imported},
                      {"duplicates", run.duplicates},
                      {"rejected", run.rejected},
                      {"skipped", run.SkippedTotal()},
                      {"skipped_by_kind", run.skipped}};
  if (run.record_id != 0) {
    j["record_id"] = run.record_id;
  }
  if (run.ended_at != 0) {
    j["ended_at"] = core::FormatRfc3339(run.ended_at);
  }
  if (!run.attachments_not_stored.empty()) {
    j["attachments_not_stored"] = run.attachments_not_stored;
  }
  if (!run.stopped_at.empty()) {
    j["stopped_at"] = run.stopped_at;
  }
  return j;
}

nlohmann::json LabelJson(const StoredLabel& label) {
  return {{"conversation_id", label.conversation_id},
          {"label", label.label},
          {"import_run", label.import_run_id}};
}

}  // namespace custos::directory
