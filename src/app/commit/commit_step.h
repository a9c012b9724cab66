// SPDX-License-Identifier: Apache-2.0
// Commit steps: what the ingest writer does inside a group's one write transaction, as an
// explicit, ordered list (app/commit/steps.cc registers the built-in ones in one place). The
// group commit is:
//
//   begin write tx -> step 1 -> step 2 -> ... -> commit      (any step's error: roll back)
//
// Each step sees every message of the group as one IngestItem (the per-message state, from
// Submit to the caller's outcome) and writes through the group's transaction, so that what it
// writes is committed exactly when the messages are, or not at all. Adding a step (alerts, an
// outbound outbox) is a new file here plus one line in steps.cc, or IngestService::AddStep for a
// step that lives elsewhere (a test fixture). Work that must happen *after* the commit and must
// not be lost reads the log through a durable cursor instead (app/cursor/cursor_runner.h).
//
// Thread-safety: Apply runs on the ingest writer thread only, one group at a time; Admit runs
// on any submitting thread, concurrently, and must be safe for that (const, no shared state).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "devices/gate.h"
#include "model/message.h"
#include "policy/verdict.h"
#include "storage/database.h"

namespace custos::app {

// One message on its way through ingest. Submit fills the first block; the archive-append
// step sets `duplicate` and `id` (steps before it see false and 0). Steps after it skip
// duplicates unless they have a reason not to: a duplicate was stored by an earlier commit.
struct IngestItem {
  model::Message message;             // normalised; message.id is set when it is stored
  policy::Verdict verdict;            // allow without hits when nothing hit (or no policy)
  devices::GateResult gate;           // decision kBlocked: the device gate refused it
  std::vector<std::string> withheld;  // inbound: the devices it is not delivered to
  bool blocked = false;               // archived as blocked (policy block or device gate)
  std::size_t position = 0;           // its index in the caller's batch (IngestService's own)

  bool duplicate = false;  // already stored (same idempotency key)
  std::int64_t id = 0;     // the stored id: the existing one for a duplicate

  bool DeviceBlocked() const { return gate.decision == devices::GateDecision::kBlocked; }
};

// What a step gets for one group: the transaction and the group's messages in commit order.
struct CommitContext {
  storage::Transaction& tx;
  std::vector<IngestItem>& items;
};

class CommitStep {
 public:
  CommitStep() = default;
  CommitStep(const CommitStep&) = delete;
  CommitStep& operator=(const CommitStep&) = delete;
  virtual ~CommitStep() = default;

  // A short stable name for logs: "archive-append", "search-index".
  virtual std::string_view Name() const = 0;

  // Before a normalised message is queued: a non-OK Status rejects this one message
  // (IngestStatus::kRejected with `*field` and the Status' message). The default admits all.
  virtual core::Status Admit(const model::Message& message, std::string* field) const;

  // Inside the group's transaction, after the steps registered before it. A non-OK Status
  // rolls the whole group back: every message of it fails (kFailed) with that message, and
  // later steps do not run. May change the items (the archive step sets ids).
  virtual core::Status Apply(CommitContext& group) = 0;
};

using CommitSteps = std::vector<std::unique_ptr<CommitStep>>;

}  // namespace custos::app
