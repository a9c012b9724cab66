// SPDX-License-Identifier: Apache-2.0
#include "app/ingest.h"

#include <algorithm>

#include "app/metrics.h"
#include "archive/attachment_store.h"
#include "archive/payload.h"
#include "archive/verdicts.h"
#include "core/log.h"
#include "core/text.h"
#include "crypto/crypto.h"

namespace custos::app {
namespace {

// Upper bound of messages committed in one transaction.
constexpr std::size_t kMaxGroupMessages = 5'000;

core::Status Reject(std::string* field, std::string_view name, std::string_view message) {
  *field = std::string(name);
  return core::InvalidArgument("field \"" + std::string(name) + "\": " + std::string(message));
}

archive::VerdictEntry ToEntry(const model::Message& m, const policy::Verdict& v, bool blocked) {
  archive::VerdictEntry e;
  e.message_id = m.id;
  e.action = std::string(policy::ActionName(v.action));
  e.pack_version = v.pack_version;
  e.blocked = blocked;
  policy::Severity highest = policy::Severity::kInfo;
  for (const policy::RuleHit& h : v.hits) {
    highest = std::max(highest, h.severity);
    archive::StoredHit hit{h.rule_id,
                           h.clause,
                           std::string(policy::SeverityName(h.severity)),
                           std::string(policy::ActionName(h.action)),
                           {}};
    for (const policy::Evidence& ev : h.evidence) {
      hit.evidence.push_back(
          {static_cast<std::int64_t>(ev.begin), static_cast<std::int64_t>(ev.end), ev.text,
           ev.masked, ev.source, ev.view,
           ev.confidence ? std::string(policy::ConfidenceName(*ev.confidence)) : std::string()});
    }
    e.hits.push_back(std::move(hit));
  }
  e.severity = std::string(policy::SeverityName(highest));
  return e;
}

// At most this many recipients of one inbound message are looked up for withheld devices.
constexpr std::size_t kMaxGateRecipients = 100;

// The device gate for one live message: outbound/internal messages are decided by the device
// that sent them (or the sender's devices); inbound ones list the recipients' withheld devices.
void ApplyGate(const devices::MessagingGate& gate, const model::Message& m,
               const std::string& device_id, devices::GateResult* result,
               std::vector<std::string>* withheld) {
  if (m.direction == model::Direction::kInbound) {
    for (std::size_t i = 0; i < m.to.size() && i < kMaxGateRecipients; ++i) {
      for (std::string& d : gate.WithheldDevices(m.to[i])) {
        withheld->push_back(std::move(d));
      }
    }
    return;
  }
  const bool attachments = !m.attachments.empty();
  *result = device_id.empty() ? gate.Check(m.from, attachments)
                              : gate.CheckDevice(device_id, attachments);
}

// The verdict entry of a message the device gate refused: its policy hits plus "device-gate".
archive::VerdictEntry DeviceBlockedEntry(const model::Message& m, const policy::Verdict& v,
                                         const devices::GateResult& g) {
  archive::VerdictEntry e = ToEntry(m, v, /*blocked=*/true);
  e.action = "block";
  if (e.severity != "critical") {
    e.severity = "high";
  }
  e.hits.push_back({"device-gate", "device " + g.device_id + ": " + g.reason, "high", "block", {}});
  return e;
}

}  // namespace

std::string_view IngestStatusName(IngestStatus s) {
  switch (s) {
    case IngestStatus::kAccepted:
      return "accepted";
    case IngestStatus::kDuplicate:
      return "duplicate";
    case IngestStatus::kRejected:
      return "rejected";
    case IngestStatus::kFailed:
      return "failed";
    case IngestStatus::kBlocked:
      return "blocked";
  }
  return "failed";
}

namespace {

// Attachments that carry their bytes: size and SHA-256 come from the bytes (computed here, on
// the submitting thread); declared values must agree.
core::Status NormaliseAttachmentContent(model::Message& m, std::string* field) {
  for (std::size_t i = 0; i < m.attachments.size(); ++i) {
    model::Attachment& a = m.attachments[i];
    if (!a.content) {
      continue;
    }
    const std::string at = "attachments[" + std::to_string(i) + "]";
    if (a.content->size() > archive::kMaxAttachmentBytes) {
      return Reject(field, at + ".content",
                    "is " + std::to_string(a.content->size()) + " bytes; the limit is " +
                        std::to_string(archive::kMaxAttachmentBytes));
    }
    const std::string sha = core::HexEncode(crypto::Sha256(*a.content));
    if (!a.sha256.empty() && a.sha256 != sha) {
      return Reject(field, at + ".sha256",
                    "does not match the content (its SHA-256 is " + sha + ")");
    }
    const auto size = static_cast<std::int64_t>(a.content->size());
    if (a.size != 0 && a.size != size) {
      return Reject(field, at + ".size",
                    "is " + std::to_string(a.size) + " but the content has " +
                        std::to_string(size) + " bytes");
    }
    a.sha256 = sha;
    a.size = size;
  }
  return core::Status::Ok();
}

bool HasContent(const model::Message& m) {
  return std::any_of(m.attachments.begin(), m.attachments.end(),
                     [](const model::Attachment& a) { return a.content.has_value(); });
}

bool HasContentAny(const std::vector<model::Message>& messages) {
  return std::any_of(messages.begin(), messages.end(), HasContent);
}

// Stores the bytes that came with messages (content-addressed: stored once) and drops them
// from the messages, so that only the metadata goes into their records.
core::Status StoreContent(storage::Transaction& tx, archive::AttachmentStore* store,
                          std::vector<model::Message>& messages) {
  if (store == nullptr) {
    return HasContentAny(messages)
               ? core::FailedPrecondition("attachment content cannot be stored here")
               : core::Status::Ok();
  }
  for (model::Message& m : messages) {
    for (model::Attachment& a : m.attachments) {
      if (!a.content) {
        continue;
      }
      ASSIGN_OR_RETURN(model::Attachment stored, store->Put(tx, *a.content, a.mime, a.name));
      if (stored.sha256 != a.sha256) {
        return core::Internal("attachment " + a.name + ": stored content hashes differently");
      }
      a.content.reset();
    }
  }
  return core::Status::Ok();
}

}  // namespace

core::Status Normalise(model::Message& m, std::string* field) {
  for (const auto& [name, value] :
       {std::pair<std::string_view, const std::string*>{"source", &m.source},
        {"channel", &m.channel},
        {"conversation", &m.conversation},
        {"from", &m.from}}) {
    if (core::TrimAscii(*value).empty()) {
      return Reject(field, name, "is required");
    }
    if (!core::IsValidUtf8(*value)) {
      return Reject(field, name, "is not valid UTF-8");
    }
    if (value->size() > 1024) {
      return Reject(field, name, "is longer than 1024 bytes");
    }
  }
  m.channel = core::ToLowerAscii(m.channel);
  if (!model::IsKnownChannel(m.channel)) {
    return Reject(field, "channel",
                  "unknown channel \"" + std::string(core::TruncateUtf8(m.channel, 32)) +
                      "\" (known: " + std::string(model::KnownChannelsList()) + ")");
  }
  if (m.text.size() > model::kMaxTextBytes) {
    return Reject(field, "text",
                  "is " + std::to_string(m.text.size()) + " bytes; the limit is " +
                      std::to_string(model::kMaxTextBytes));
  }
  if (!core::IsValidUtf8(m.text)) {
    return Reject(field, "text", "is not valid UTF-8");
  }
  if (m.to.size() > model::kMaxRecipients) {
    return Reject(field, "to",
                  "has more than " + std::to_string(model::kMaxRecipients) + " recipients");
  }
  if (m.attachments.size() > model::kMaxAttachments) {
    return Reject(field, "attachments",
                  "has more than " + std::to_string(model::kMaxAttachments) + " entries");
  }
  RETURN_IF_ERROR(NormaliseAttachmentContent(m, field));
  const bool needs_target = m.kind == model::EventKind::kEdit ||
                            m.kind == model::EventKind::kDelete ||
                            m.kind == model::EventKind::kReaction;
  if (needs_target && m.target_source_id.empty()) {
    return Reject(
        field, "target",
        std::string(model::EventKindName(m.kind)) + " event needs the source_id of its message");
  }
  m.idempotency_key = archive::MessageIdempotencyKey(m);
  return core::Status::Ok();
}

IngestService::IngestService(storage::Database* db, archive::MessageStore* store,
                             const search::Index* index, Metrics* metrics,
                             const crypto::KeyRing* keys, const core::Clock* clock)
    : db_(db), store_(store), index_(index), metrics_(metrics), keys_(keys), clock_(clock) {
  writer_ = std::thread([this] { WriterLoop(); });
}

IngestService::~IngestService() { Shutdown(); }

std::future<std::vector<IngestOutcome>> IngestService::Submit(std::vector<model::Message> batch,
                                                              Enforcement enforcement,
                                                              const std::string& device_id) {
  Pending p;
  p.outcomes.resize(batch.size());
  Evaluator evaluator;
  const devices::MessagingGate* gate = nullptr;
  bool can_store_content = false;
  {
    core::MutexLock lock(&mu_);
    evaluator = evaluator_;
    gate = gate_;
    can_store_content = attachments_ != nullptr;
  }
  for (std::size_t i = 0; i < batch.size(); ++i) {
    std::string field;
    core::Status s = core::Status::Ok();
    if (!device_id.empty()) {
      // A device's message is its person's, sent from it (docs/devices.md): bound before the
      // idempotency key is computed in the device's namespace.
      s = gate != nullptr ? gate->BindDeviceMessage(device_id, batch[i])
                          : core::FailedPrecondition("no device gate to bind the message to");
      if (!s.ok()) {
        field = s.code() == core::StatusCode::kInvalidArgument ? "direction" : "from";
      }
    }
    if (s.ok()) {
      s = Normalise(batch[i], &field);
    }
    if (s.ok() && !can_store_content && HasContent(batch[i])) {
      field = "attachments";
      s = core::InvalidArgument("attachment content cannot be stored here (no attachment store)");
    }
    if (!s.ok()) {
      p.outcomes[i] = {IngestStatus::kRejected, 0, field, s.message(), {}, "", {}};
      metrics_->Rejected();
      continue;
    }
    policy::Verdict verdict = evaluator ? evaluator(batch[i]) : policy::Verdict{};
    devices::GateResult gated;
    std::vector<std::string> withheld;
    if (gate != nullptr && enforcement == Enforcement::kEnforce) {
      ApplyGate(*gate, batch[i], device_id, &gated, &withheld);
    }
    p.blocked.push_back(gated.decision == devices::GateDecision::kBlocked ||
                        (enforcement == Enforcement::kEnforce &&
                         verdict.action == policy::Action::kBlock &&
                         batch[i].direction == model::Direction::kOutbound));
    p.gates.push_back(std::move(gated));
    p.withheld.push_back(std::move(withheld));
    p.verdicts.push_back(std::move(verdict));
    p.messages.push_back(std::move(batch[i]));
    p.positions.push_back(i);
  }
  std::future<std::vector<IngestOutcome>> result = p.done.get_future();
  core::MutexLock lock(&mu_);
  if (stopping_) {
    lock.Unlock();
    for (std::size_t pos : p.positions) {
      p.outcomes[pos] = {IngestStatus::kFailed, 0, "", "shutting down", {}, "", {}};
    }
    p.done.set_value(std::move(p.outcomes));
    return result;
  }
  if (p.messages.empty()) {
    lock.Unlock();
    p.done.set_value(std::move(p.outcomes));
    return result;
  }
  queue_.push_back(std::move(p));
  lock.Unlock();
  cv_.Signal();
  return result;
}

std::vector<IngestOutcome> IngestService::Ingest(std::vector<model::Message> batch,
                                                 Enforcement enforcement,
                                                 const std::string& device_id) {
  return Submit(std::move(batch), enforcement, device_id).get();
}

int IngestService::Subscribe(Subscriber fn) {
  core::MutexLock lock(&mu_);
  const int token = next_token_++;
  subscribers_.emplace(token, std::move(fn));
  return token;
}

void IngestService::Unsubscribe(int token) {
  core::MutexLock lock(&mu_);
  subscribers_.erase(token);
}

void IngestService::SetEvaluator(Evaluator evaluator) {
  core::MutexLock lock(&mu_);
  evaluator_ = std::move(evaluator);
}

void IngestService::SetGate(const devices::MessagingGate* gate) {
  core::MutexLock lock(&mu_);
  gate_ = gate;
}

void IngestService::SetAttachmentStore(archive::AttachmentStore* attachments) {
  core::MutexLock lock(&mu_);
  attachments_ = attachments;
}

void IngestService::Shutdown() {
  {
    core::MutexLock lock(&mu_);
    if (stopping_ && !writer_.joinable()) {
      return;
    }
    stopping_ = true;
  }
  cv_.SignalAll();
  if (writer_.joinable()) {
    writer_.join();
  }
}

void IngestService::WriterLoop() {
  while (true) {
    std::vector<Pending> group;
    {
      core::MutexLock lock(&mu_);
      while (!stopping_ && queue_.empty()) {
        cv_.Wait(&mu_);
      }
      if (queue_.empty()) {
        return;  // stopping, and everything queued has been committed
      }
      std::size_t count = 0;
      while (!queue_.empty() && (group.empty() || count < kMaxGroupMessages)) {
        count += queue_.front().messages.size();
        group.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    CommitGroup(group);
  }
}

void IngestService::CommitGroup(std::vector<Pending>& group) {
  const core::Micros start = core::SteadyNowMicros();
  std::vector<model::Message> all;
  std::vector<policy::Verdict> verdicts;
  std::vector<bool> blocked;
  std::vector<devices::GateResult> gates;
  std::vector<std::vector<std::string>> withheld;
  for (Pending& p : group) {
    for (std::size_t i = 0; i < p.messages.size(); ++i) {
      all.push_back(std::move(p.messages[i]));
      verdicts.push_back(std::move(p.verdicts[i]));
      blocked.push_back(p.blocked[i]);
      gates.push_back(std::move(p.gates[i]));
      withheld.push_back(std::move(p.withheld[i]));
    }
  }
  core::Status status;
  std::vector<archive::AppendOutcome> stored;
  archive::AttachmentStore* attachments = nullptr;
  {
    core::MutexLock lock(&mu_);
    attachments = attachments_;
  }
  {
    auto tx = db_->Begin(storage::TxMode::kWrite);
    if (!tx.has_value()) {
      status = tx.error();
    } else if (status = StoreContent(**tx, attachments, all); !status.ok()) {
      // reported below, like any failed commit
    } else {
      auto appended = store_->Append(**tx, all);
      if (!appended.has_value()) {
        status = appended.error();
      } else {
        stored = std::move(appended).value();
        std::vector<archive::VerdictEntry> entries;
        std::vector<devices::GateEvent> gate_events;
        for (std::size_t i = 0; i < all.size() && status.ok(); ++i) {
          if (stored[i].duplicate) {
            continue;
          }
          if (index_ != nullptr) {
            status = index_->Add(**tx, all[i].id, all[i].text);
          }
          const bool device_blocked = gates[i].decision == devices::GateDecision::kBlocked;
          if (device_blocked) {
            entries.push_back(DeviceBlockedEntry(all[i], verdicts[i], gates[i]));
            gate_events.push_back(
                {gates[i].device_id, "send_blocked", all[i].id, gates[i].reason, clock_->Now()});
          } else if (!verdicts[i].hits.empty() || blocked[i]) {
            entries.push_back(ToEntry(all[i], verdicts[i], blocked[i]));
          }
          for (const std::string& d : withheld[i]) {
            gate_events.push_back({d, "delivery_withheld", all[i].id,
                                   "inbound message archived, not delivered", clock_->Now()});
          }
        }
        if (status.ok() && !entries.empty()) {
          status = archive::AppendVerdicts(**tx, *keys_, clock_->Now(), entries).status();
        }
        if (status.ok() && !gate_events.empty()) {
          status = devices::RecordGateEvents(**tx, *keys_, gate_events);
        }
        if (status.ok()) {
          status = (*tx)->Commit();  // durable when it returns OK
        }
      }
    }
  }
  metrics_->CommitLatency(static_cast<double>(core::SteadyNowMicros() - start) / 1e6);
  if (!status.ok()) {
    CUSTOS_LOG_ERROR("ingest: commit of {} messages failed: {}", all.size(), status.ToString());
  }

  std::size_t k = 0;
  for (Pending& p : group) {
    for (std::size_t pos : p.positions) {
      IngestOutcome& o = p.outcomes[pos];
      if (!status.ok()) {
        o = {IngestStatus::kFailed, 0, "", status.message(), {}, "", {}};
      } else if (stored[k].duplicate) {
        o = {IngestStatus::kDuplicate, stored[k].id, "", "", {}, "", {}};
        metrics_->Duplicate();
      } else if (blocked[k] && gates[k].decision == devices::GateDecision::kBlocked) {
        o = {IngestStatus::kBlocked,
             stored[k].id,
             "device",
             "device " + gates[k].device_id + ": " + gates[k].reason,
             verdicts[k],
             gates[k].device_id,
             {}};
        metrics_->MessageIngested(all[k].channel);
        metrics_->Verdict(verdicts[k], /*blocked=*/true);
      } else if (blocked[k]) {
        o = {IngestStatus::kBlocked, stored[k].id, "", verdicts[k].ToText(), verdicts[k], "", {}};
        metrics_->MessageIngested(all[k].channel);
        metrics_->Verdict(verdicts[k], /*blocked=*/true);
      } else {
        o = {IngestStatus::kAccepted, stored[k].id, "", "", verdicts[k], "", withheld[k]};
        metrics_->MessageIngested(all[k].channel);
        metrics_->Verdict(verdicts[k], /*blocked=*/false);
      }
      ++k;
    }
    p.done.set_value(std::move(p.outcomes));
  }
  if (!status.ok()) {
    return;
  }
  std::vector<Subscriber> subscribers;
  {
    core::MutexLock lock(&mu_);
    for (const auto& [token, fn] : subscribers_) {
      subscribers.push_back(fn);
    }
  }
  for (std::size_t i = 0; i < all.size(); ++i) {
    if (stored[i].duplicate) {
      continue;
    }
    for (const Subscriber& fn : subscribers) {
      fn(all[i]);
    }
  }
}

}  // namespace custos::app
