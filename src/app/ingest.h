// SPDX-License-Identifier: Apache-2.0
// The ingest service: the one path by which every message enters custos.
//
//   normalise -> evaluate (the policy hook: one verdict per message) -> admit (each commit
//   step may refuse a message) -> commit: one write transaction running the commit steps in
//   order (app/commit/steps.cc: attachment content, message records, index, verdicts, device
//   gate events) -> complete the callers' futures -> notify (live subscribers; cursor runners)
//
// Enforcement: for live traffic (kEnforce), an outbound message whose verdict is `block` is
// archived as blocked (its verdict record says so) and reported kBlocked with the
// explanation; subscribers see it like every stored message. History (imports, demo data: messages
// that were sent long ago) is evaluated and its verdicts recorded, but nothing is blocked
// (kRecordOnly).
//
// Callers submit batches; a single writer thread gathers whatever is queued (group commit),
// commits it in one durable transaction and only then completes the callers' futures, so an
// "accepted" outcome always means "on stable storage". Duplicates (same idempotency key) are
// reported, not stored again. Each message travels as one IngestItem (app/commit/commit_step.h).
//
// After a commit, subscribers are told in process (the live event stream); they are not
// durable. Work that must not be lost reads the log through a durable cursor
// (app/cursor/cursor_runner.h), which SubscribeCommits wakes (docs/ingest.md).
//
// Thread-safety: all public methods are safe to call from any thread.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "app/commit/commit_step.h"
#include "core/mutex.h"
#include "core/status.h"
#include "devices/gate.h"
#include "model/message.h"
#include "policy/verdict.h"
#include "storage/database.h"

namespace custos::app {

class Metrics;

// kRejected: the message itself is bad (field and error say why). kFailed: it could not be
// committed (storage error, shutting down); submitting it again may succeed. kBlocked: an
// outbound message the policy blocks: archived as blocked (id set), never delivered.
enum class IngestStatus { kAccepted, kDuplicate, kRejected, kFailed, kBlocked };

enum class Enforcement { kEnforce, kRecordOnly };

std::string_view IngestStatusName(IngestStatus s);

struct IngestOutcome {
  IngestStatus status = IngestStatus::kRejected;
  std::int64_t id = 0;      // stored id (existing one for duplicates)
  std::string field;        // for kRejected: the field at fault
  std::string error;        // for kRejected and kFailed: why; for kBlocked: the explanation
  policy::Verdict verdict;  // allow without hits when nothing hit (or no policy is loaded)
  std::string device_id;    // kBlocked by the device gate: the device that decided; else ""
  std::vector<std::string> withheld_devices;  // inbound: devices it is not delivered to
};

// The policy hook: the verdict of the running pack for one (normalised) message. Called on
// the submitting thread; must be thread-safe.
using Evaluator = std::function<policy::Verdict(const model::Message&)>;

// Checks required fields and limits, lower-cases the channel and computes the idempotency
// key (source + source_id, or a content fingerprint when source_id is empty). On failure
// sets `*field` and returns kInvalidArgument.
core::Status Normalise(model::Message& message, std::string* field);

class IngestService {
 public:
  using Subscriber = std::function<void(const model::Message&)>;

  // `steps` run in order inside every group's transaction (app/commit/steps.h:
  // DefaultCommitSteps). `db` and `metrics` must outlive the service.
  IngestService(storage::Database* db, Metrics* metrics, CommitSteps steps);
  ~IngestService();  // Calls Shutdown().
  IngestService(const IngestService&) = delete;
  IngestService& operator=(const IngestService&) = delete;

  // Queues a batch; the future completes once every message of it is committed (or
  // rejected), with outcomes in input order. After Shutdown() every message fails with
  // "shutting down".
  // `device_id`: the enrolled device the batch was sent from ("" when not known).
  std::future<std::vector<IngestOutcome>> Submit(std::vector<model::Message> batch,
                                                 Enforcement enforcement = Enforcement::kEnforce,
                                                 const std::string& device_id = {});

  // A write that is not a message (an access record: app/access_audit.h): it runs inside the
  // next group's transaction, after the commit steps, so that many of them share one commit
  // (one fsync). The future completes once that group has committed, with OK, or with the
  // error that rolled the group back; kUnavailable "shutting down" after Shutdown(). A write's
  // error rolls back the whole group (the messages in it fail too), so a write must only fail
  // when storage does.
  using GroupWrite = std::function<core::Status(storage::Transaction&)>;
  std::future<core::Status> SubmitWrite(GroupWrite write);

  // Submit + wait.
  std::vector<IngestOutcome> Ingest(std::vector<model::Message> batch,
                                    Enforcement enforcement = Enforcement::kEnforce,
                                    const std::string& device_id = {});

  // Appends a commit step after the others. It admits messages submitted from now on and runs
  // from the next group on (waiting for a group in progress). For steps that live outside
  // app/commit/ (a test fixture); the built-in list is DefaultCommitSteps.
  void AddStep(std::unique_ptr<CommitStep> step);

  // Subscribers are called on the writer thread after each commit, once per stored message.
  int Subscribe(Subscriber fn);

  // `fn` is called on the writer thread after each group that committed (a wake-up for cursor
  // runners: CursorRunner::Notify). It must not block. Unsubscribe with the token.
  int SubscribeCommits(std::function<void()> fn);

  // Ends a Subscribe or SubscribeCommits: once this returns the callback is not running and is
  // not called again (it waits for a publication in progress; from inside a callback it does
  // not wait).
  void Unsubscribe(int token);

  void SetEvaluator(Evaluator evaluator);

  // The device gate; nullptr (the default) gates nothing. Must outlive the service.
  void SetGate(const devices::MessagingGate* gate);

  // Stops accepting, commits what is queued, and joins the writer. Idempotent.
  void Shutdown();

 private:
  struct Pending {
    std::vector<IngestItem> items;        // only those that passed Normalise and Admit
    std::vector<IngestOutcome> outcomes;  // one per message of the caller's batch
    std::promise<std::vector<IngestOutcome>> done;
    GroupWrite write;  // set for SubmitWrite (then `items` is empty and `done` unused)
    std::promise<core::Status> write_done;
  };

  // Normalise, admit, evaluate and gate one message; its outcome when it is refused.
  std::optional<IngestOutcome> Prepare(model::Message& message, Enforcement enforcement,
                                       const std::string& device_id, const Evaluator& evaluator,
                                       const devices::MessagingGate* gate, IngestItem* item);
  void WriterLoop();
  void CommitGroup(std::vector<Pending>& group);
  core::Status RunSteps(std::vector<IngestItem>& items, const std::vector<Pending*>& writes);
  IngestOutcome OutcomeOf(const IngestItem& item, const core::Status& status);
  void Publish(const std::vector<IngestItem>& items);

  // Immutable after construction.
  storage::Database* db_;
  Metrics* metrics_;

  // Read by submitters (Admit) and the writer (Apply); appended to by AddStep.
  core::Mutex steps_mu_;
  CommitSteps steps_ CUSTOS_GUARDED_BY(steps_mu_);

  // Held while callbacks run (Publish), so that Unsubscribe can wait for them.
  core::Mutex publish_mu_;

  core::Mutex mu_;
  core::CondVar cv_;
  std::deque<Pending> queue_ CUSTOS_GUARDED_BY(mu_);
  bool stopping_ CUSTOS_GUARDED_BY(mu_) = false;
  std::map<int, Subscriber> subscribers_ CUSTOS_GUARDED_BY(mu_);
  std::map<int, std::function<void()>> commit_listeners_ CUSTOS_GUARDED_BY(mu_);
  int next_token_ CUSTOS_GUARDED_BY(mu_) = 1;
  Evaluator evaluator_ CUSTOS_GUARDED_BY(mu_);
  const devices::MessagingGate* gate_ CUSTOS_GUARDED_BY(mu_) = nullptr;

  std::thread writer_;
};

}  // namespace custos::app
