// SPDX-License-Identifier: Apache-2.0
#include "app/ingest.h"

#include <iterator>

#include "app/metrics.h"
#include "core/log.h"
#include "core/mutex.h"

namespace custos::app {
namespace {

// Upper bound of messages committed in one transaction.
constexpr std::size_t kMaxGroupMessages = 5'000;

// At most this many recipients of one inbound message are looked up for withheld devices.
constexpr std::size_t kMaxGateRecipients = 100;

// The device gate for one live message: outbound/internal messages are decided by the device
// that sent them (or the sender's devices); inbound ones list the recipients' withheld devices.
void ApplyGate(const devices::MessagingGate& gate, const std::string& device_id, IngestItem& item) {
  const model::Message& m = item.message;
  if (m.direction == model::Direction::kInbound) {
    for (std::size_t i = 0; i < m.to.size() && i < kMaxGateRecipients; ++i) {
      for (std::string& d : gate.WithheldDevices(m.to[i])) {
        item.withheld.push_back(std::move(d));
      }
    }
    return;
  }
  const bool attachments = !m.attachments.empty();
  item.gate = device_id.empty() ? gate.Check(m.from, attachments)
                                : gate.CheckDevice(device_id, attachments);
}

}  // namespace

IngestService::IngestService(storage::Database* db, Metrics* metrics, CommitSteps steps)
    : db_(db), metrics_(metrics), steps_(std::move(steps)) {
  writer_ = std::thread([this] { WriterLoop(); });
}

IngestService::~IngestService() { Shutdown(); }

std::optional<IngestOutcome> IngestService::Prepare(
    model::Message& message, Enforcement enforcement, const std::string& device_id,
    const Evaluator& evaluator, const devices::MessagingGate* gate, IngestItem* item) {
  std::string field;
  core::Status s = core::Status::Ok();
  if (!device_id.empty()) {
    // A device's message is its person's, sent from it (docs/devices.md): bound before the
    // idempotency key is computed in the device's namespace.
    s = gate != nullptr ? gate->BindDeviceMessage(device_id, message)
                        : core::FailedPrecondition("no device gate to bind the message to");
    if (!s.ok()) {
      field = s.code() == core::StatusCode::kInvalidArgument ? "direction" : "from";
    }
  }
  if (s.ok()) {
    s = Normalise(message, &field);
  }
  if (s.ok()) {
    core::MutexLock lock(&steps_mu_);
    for (const std::unique_ptr<CommitStep>& step : steps_) {
      if (s = step->Admit(message, &field); !s.ok()) {
        break;
      }
    }
  }
  if (!s.ok()) {
    metrics_->Rejected();
    IngestOutcome rejected;
    rejected.status = IngestStatus::kRejected;
    rejected.field = std::move(field);
    rejected.error = s.message();
    return rejected;
  }
  item->message = std::move(message);
  item->verdict = evaluator ? evaluator(item->message) : policy::Verdict{};
  if (gate != nullptr && enforcement == Enforcement::kEnforce) {
    ApplyGate(*gate, device_id, *item);
  }
  item->blocked = item->DeviceBlocked() || (enforcement == Enforcement::kEnforce &&
                                            item->verdict.action == policy::Action::kBlock &&
                                            item->message.direction == model::Direction::kOutbound);
  return std::nullopt;
}

std::future<std::vector<IngestOutcome>> IngestService::Submit(std::vector<model::Message> batch,
                                                              Enforcement enforcement,
                                                              const std::string& device_id) {
  Pending p;
  p.outcomes.resize(batch.size());
  Evaluator evaluator;
  const devices::MessagingGate* gate = nullptr;
  {
    core::MutexLock lock(&mu_);
    evaluator = evaluator_;
    gate = gate_;
  }
  for (std::size_t i = 0; i < batch.size(); ++i) {
    IngestItem item;
    item.position = i;
    if (std::optional<IngestOutcome> refused =
            Prepare(batch[i], enforcement, device_id, evaluator, gate, &item)) {
      p.outcomes[i] = std::move(*refused);
    } else {
      p.items.push_back(std::move(item));
    }
  }
  std::future<std::vector<IngestOutcome>> result = p.done.get_future();
  core::MutexLock lock(&mu_);
  if (stopping_) {
    lock.Unlock();
    for (const IngestItem& item : p.items) {
      p.outcomes[item.position].status = IngestStatus::kFailed;
      p.outcomes[item.position].error = "shutting down";
    }
    p.done.set_value(std::move(p.outcomes));
    return result;
  }
  if (p.items.empty()) {
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

std::future<core::Status> IngestService::SubmitWrite(GroupWrite write) {
  Pending p;
  p.write = std::move(write);
  std::future<core::Status> result = p.write_done.get_future();
  core::MutexLock lock(&mu_);
  if (stopping_) {
    lock.Unlock();
    p.write_done.set_value(core::Unavailable("shutting down"));
    return result;
  }
  queue_.push_back(std::move(p));
  lock.Unlock();
  cv_.Signal();
  return result;
}

void IngestService::AddStep(std::unique_ptr<CommitStep> step) {
  core::MutexLock lock(&steps_mu_);
  steps_.push_back(std::move(step));
}

int IngestService::Subscribe(Subscriber fn) {
  core::MutexLock lock(&mu_);
  const int token = next_token_++;
  subscribers_.emplace(token, std::move(fn));
  return token;
}

int IngestService::SubscribeCommits(std::function<void()> fn) {
  core::MutexLock lock(&mu_);
  const int token = next_token_++;
  commit_listeners_.emplace(token, std::move(fn));
  return token;
}

void IngestService::Unsubscribe(int token) {
  {
    core::MutexLock lock(&mu_);
    subscribers_.erase(token);
    commit_listeners_.erase(token);
  }
  if (std::this_thread::get_id() != writer_.get_id()) {
    core::MutexLock wait_for_publication(&publish_mu_);
  }
}

void IngestService::SetEvaluator(Evaluator evaluator) {
  core::MutexLock lock(&mu_);
  evaluator_ = std::move(evaluator);
}

void IngestService::SetGate(const devices::MessagingGate* gate) {
  core::MutexLock lock(&mu_);
  gate_ = gate;
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
        count += queue_.front().write ? 1 : queue_.front().items.size();
        group.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    CommitGroup(group);
  }
}

core::Status IngestService::RunSteps(std::vector<IngestItem>& items,
                                     const std::vector<Pending*>& writes) {
  ASSIGN_OR_RETURN(std::unique_ptr<storage::Transaction> tx, db_->Begin(storage::TxMode::kWrite));
  if (!items.empty()) {
    CommitContext context{.tx = *tx, .items = items};
    core::MutexLock lock(&steps_mu_);
    for (const std::unique_ptr<CommitStep>& step : steps_) {
      if (core::Status s = step->Apply(context); !s.ok()) {
        CUSTOS_LOG_DEBUG("ingest: commit step {} failed: {}", step->Name(), s.ToString());
        return s;  // the transaction rolls back as it goes out of scope
      }
    }
  }
  for (Pending* p : writes) {
    if (core::Status s = p->write(*tx); !s.ok()) {
      CUSTOS_LOG_DEBUG("ingest: a group write failed: {}", s.ToString());
      return s;
    }
  }
  return tx->Commit();  // durable when it returns OK
}

IngestOutcome IngestService::OutcomeOf(const IngestItem& item, const core::Status& status) {
  IngestOutcome o;
  if (!status.ok()) {
    o.status = IngestStatus::kFailed;
    o.error = status.message();
    return o;
  }
  o.id = item.id;
  if (item.duplicate) {
    metrics_->Duplicate();
    o.status = IngestStatus::kDuplicate;
    return o;
  }
  metrics_->MessageIngested(item.message.channel);
  metrics_->Verdict(item.verdict, /*blocked=*/item.blocked);
  o.verdict = item.verdict;
  if (item.blocked && item.DeviceBlocked()) {
    o.status = IngestStatus::kBlocked;
    o.field = "device";
    o.error = "device " + item.gate.device_id + ": " + item.gate.reason;
    o.device_id = item.gate.device_id;
  } else if (item.blocked) {
    o.status = IngestStatus::kBlocked;
    o.error = item.verdict.ToText();
  } else {
    o.status = IngestStatus::kAccepted;
    o.withheld_devices = item.withheld;
  }
  return o;
}

void IngestService::CommitGroup(std::vector<Pending>& group) {
  const core::Micros start = core::SteadyNowMicros();
  std::vector<IngestItem> items;
  std::vector<Pending*> writes;
  for (Pending& p : group) {
    if (p.write) {
      writes.push_back(&p);
      continue;
    }
    items.insert(items.end(), std::make_move_iterator(p.items.begin()),
                 std::make_move_iterator(p.items.end()));
  }
  const core::Status status = RunSteps(items, writes);
  metrics_->CommitLatency(static_cast<double>(core::SteadyNowMicros() - start) / 1e6);
  if (!status.ok()) {
    CUSTOS_LOG_ERROR("ingest: commit of {} messages and {} other writes failed: {}", items.size(),
                     writes.size(), status.ToString());
  }
  std::size_t k = 0;
  for (Pending& p : group) {
    if (p.write) {
      p.write_done.set_value(status);
      continue;
    }
    for (std::size_t i = 0; i < p.items.size(); ++i, ++k) {
      p.outcomes[items[k].position] = OutcomeOf(items[k], status);
    }
    p.done.set_value(std::move(p.outcomes));
  }
  if (status.ok()) {
    Publish(items);
  }
}

void IngestService::Publish(const std::vector<IngestItem>& items) {
  core::MutexLock publishing(&publish_mu_);
  std::vector<Subscriber> subscribers;
  std::vector<std::function<void()>> listeners;
  {
    core::MutexLock lock(&mu_);
    for (const auto& [token, fn] : subscribers_) {
      subscribers.push_back(fn);
    }
    for (const auto& [token, fn] : commit_listeners_) {
      listeners.push_back(fn);
    }
  }
  for (const std::function<void()>& fn : listeners) {
    fn();
  }
  for (const IngestItem& item : items) {
    if (item.duplicate) {
      continue;
    }
    for (const Subscriber& fn : subscribers) {
      fn(item.message);
    }
  }
}

}  // namespace custos::app
