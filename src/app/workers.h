// SPDX-License-Identifier: Apache-2.0
// The server's background loops, listed in one place. Custos::Open starts them in this order
// (each a "worker <name>" step of app/startup.h) and stops them in reverse:
//
//   checkpointer    LogService::Tick every second; its Stop writes the final checkpoint, so it
//                   starts first and stops last, after every worker that appends records
//   ingest-writer   the group-commit writer of IngestService
//   retention       RetentionService::RunScheduled every `retention.schedule` (off: no thread)
//   device-ticker   devices::DeviceTicker, every minute
//
// A new loop (webhook delivery, a cursor consumer, session expiry) is a core::Worker — usually
// a core::PeriodicWorker — and one line in MakeWorkers.
// Thread-safety: MakeWorkers is called once, on the composition root's thread.
#pragma once

#include <memory>
#include <vector>

#include "app/ingest.h"
#include "app/log_service.h"
#include "app/retention_service.h"
#include "core/worker.h"
#include "devices/nanomdm_client.h"
#include "devices/service.h"

namespace custos::app {

// What the workers drive; each must outlive the workers.
struct WorkerParts {
  LogService* log = nullptr;
  IngestService* ingest = nullptr;
  RetentionService* retention = nullptr;
  devices::DeviceService* devices = nullptr;
  const devices::NanoMdmClient* nanomdm = nullptr;  // may be null: not configured
};

// The workers of a writable data directory, in start order.
std::vector<std::unique_ptr<core::Worker>> MakeWorkers(const WorkerParts& parts);

}  // namespace custos::app
