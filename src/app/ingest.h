// SPDX-License-Identifier: Apache-2.0
// The ingest service: the one path by which every message enters custos.
//
//   normalise -> evaluate (the policy hook: one verdict per message) -> commit (one
//   transaction: message records, verdict records for messages with hits, index) -> publish
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
// reported, not stored again.
//
// Thread-safety: all public methods are safe to call from any thread.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <future>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "archive/attachment_store.h"
#include "archive/message_store.h"
#include "core/mutex.h"
#include "core/status.h"
#include "core/time.h"
#include "crypto/keyring.h"
#include "devices/gate.h"
#include "model/message.h"
#include "policy/verdict.h"
#include "search/index.h"
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

  // `keys` and `clock` seal and date the verdict records.
  IngestService(storage::Database* db, archive::MessageStore* store, const search::Index* index,
                Metrics* metrics, const crypto::KeyRing* keys, const core::Clock* clock);
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

  // Submit + wait.
  std::vector<IngestOutcome> Ingest(std::vector<model::Message> batch,
                                    Enforcement enforcement = Enforcement::kEnforce,
                                    const std::string& device_id = {});

  // Subscribers are called on the writer thread after each commit, once per stored message.
  int Subscribe(Subscriber fn);
  void Unsubscribe(int token);

  void SetEvaluator(Evaluator evaluator);

  // The device gate; nullptr (the default) gates nothing. Must outlive the service.
  void SetGate(const devices::MessagingGate* gate);

  // Where attachment bytes that come with a message (Attachment::content) are stored, in the
  // message's own transaction. Without one, such a message is rejected.
  void SetAttachmentStore(archive::AttachmentStore* attachments);

  // Stops accepting, commits what is queued, and joins the writer. Idempotent.
  void Shutdown();

 private:
  struct Pending {
    std::vector<model::Message> messages;    // only those that passed Normalise
    std::vector<policy::Verdict> verdicts;   // one per message
    std::vector<bool> blocked;               // one per message: archived as blocked
    std::vector<devices::GateResult> gates;  // one per message: kBlocked when the device gate
                                             // refused it
    std::vector<std::vector<std::string>> withheld;  // one per message
    std::vector<std::size_t> positions;              // their index in the caller's batch
    std::vector<IngestOutcome> outcomes;             // one per message of the caller's batch
    std::promise<std::vector<IngestOutcome>> done;
  };

  void WriterLoop();
  void CommitGroup(std::vector<Pending>& group);

  // Immutable after construction.
  storage::Database* db_;
  archive::MessageStore* store_;
  const search::Index* index_;
  Metrics* metrics_;
  const crypto::KeyRing* keys_;
  const core::Clock* clock_;

  core::Mutex mu_;
  core::CondVar cv_;
  std::deque<Pending> queue_ CUSTOS_GUARDED_BY(mu_);
  bool stopping_ CUSTOS_GUARDED_BY(mu_) = false;
  std::map<int, Subscriber> subscribers_ CUSTOS_GUARDED_BY(mu_);
  int next_token_ CUSTOS_GUARDED_BY(mu_) = 1;
  Evaluator evaluator_ CUSTOS_GUARDED_BY(mu_);
  const devices::MessagingGate* gate_ CUSTOS_GUARDED_BY(mu_) = nullptr;
  archive::AttachmentStore* attachments_ CUSTOS_GUARDED_BY(mu_) = nullptr;

  std::thread writer_;
};

}  // namespace custos::app
