// SPDX-License-Identifier: Apache-2.0
#include "app/workers.h"

#include "core/periodic_worker.h"
#include "devices/ticker.h"

namespace custos::app {
namespace {

// The ingest writer as a worker. IngestService starts its writer thread when it is constructed
// (the "ingest" step of Custos::Open); this adapter gives it its place in the list, so that it
// stops (IngestService::Shutdown: commits what is queued, joins) before the checkpointer writes
// the final checkpoint.
class IngestWriter final : public core::Worker {
 public:
  explicit IngestWriter(IngestService* ingest) : ingest_(ingest) {}

  std::string_view Name() const override { return "ingest-writer"; }

  core::Status Start() override { return core::Status::Ok(); }  // running since construction

  void Stop() override { ingest_->Shutdown(); }  // idempotent

 private:
  IngestService* ingest_;
};

std::unique_ptr<core::Worker> Checkpointer(const LogService* log) {
  return std::make_unique<core::PeriodicWorker>(core::PeriodicOptions{
      .name = "checkpointer",
      .interval = log->writable() ? kCheckpointInterval : std::chrono::milliseconds(0),
      .tick = [log](const std::function<bool()>&) { log->Tick(); },
      .on_stop = [log] { log->FinalCheckpoint(); },
  });
}

std::unique_ptr<core::Worker> ScheduledRetention(RetentionService* retention) {
  return std::make_unique<core::PeriodicWorker>(core::PeriodicOptions{
      .name = "retention",
      .interval = retention->ScheduleInterval().value_or(std::chrono::milliseconds(0)),
      .first_delay = retention->FirstScheduledRun(),
      .tick =
          [retention](const std::function<bool()>& stop_requested) {
            retention->RunScheduled(stop_requested);
          },
  });
}

}  // namespace

std::vector<std::unique_ptr<core::Worker>> MakeWorkers(const WorkerParts& parts) {
  std::vector<std::unique_ptr<core::Worker>> workers;
  workers.push_back(Checkpointer(parts.log));  // first up, last down: the final checkpoint
  workers.push_back(std::make_unique<IngestWriter>(parts.ingest));
  workers.push_back(ScheduledRetention(parts.retention));
  workers.push_back(std::make_unique<devices::DeviceTicker>(parts.devices, parts.nanomdm));
  return workers;
}

}  // namespace custos::app
