// SPDX-License-Identifier: Apache-2.0
// A background loop of the server (the ingest writer, the checkpointer, scheduled retention, the
// device ticker, cursor consumers, ...). The composition root lists its workers in one place,
// starts them in order and stops them in reverse (app/startup.h); a worker never starts itself.
//
// Thread-safety: Start and Stop are called from one thread (the composition root's); what the
// loop does on its own thread is the worker's to document.
#pragma once

#include <string_view>

#include "core/status.h"

namespace custos::core {

class Worker {
 public:
  virtual ~Worker() = default;

  // A short stable name for logs and metrics: "checkpointer", "retention".
  virtual std::string_view Name() const = 0;

  // Starts the loop. A worker with nothing to do in this configuration (a read-only data
  // directory, a schedule that is off) returns OK without starting a thread.
  virtual Status Start() = 0;

  // Ends the loop and joins its thread; the work in progress is finished or left resumable.
  // Idempotent, and safe when Start was never called.
  virtual void Stop() = 0;
};

}  // namespace custos::core
