// SPDX-License-Identifier: Apache-2.0
// The server the hostile-client suite attacks, started as a child process on 127.0.0.1 with a
// fresh data directory, exactly as the end-to-end tests start `custos serve`
// (tests/e2e/custos_process.h). StartTarget() is the one switch:
//   - CUSTOS_HOSTILE_TARGET unset or "custos": the real binary ($CUSTOS_BIN, `custos serve`);
//   - CUSTOS_HOSTILE_TARGET=transport: hostile_target (target_server.cc), a test server on
//     http::Transport whose handler emulates custos' policy (the transport alone).
// With CUSTOS_HOSTILE_REPORT_ONLY=1 the suite prints its figures but asserts nothing about
// them (to measure a server that is known to fail, e.g. today's cpp-httplib one; see
// bench/hostile_clients.sh).
//
// Thread-safety: one test thread starts and stops a Target; its fields are read-only after.
#pragma once

#include <memory>
#include <string>

#include <sys/types.h>

#include "e2e/custos_process.h"

namespace custos::hostile {

struct Target {
  std::string name;  // "transport" or "custos"
  int port = 0;
  pid_t pid = -1;
  std::string token;  // the admin bearer token
  std::unique_ptr<e2e::CustosProcess> process;
};

// nullptr (with `*error` set) when the server does not start.
std::unique_ptr<Target> StartTarget(const std::string& data_dir, std::string* error);

// CUSTOS_HOSTILE_REPORT_ONLY=1.
bool ReportOnly();

// A positive integer from the environment, or `fallback`.
long EnvOr(const char* name, long fallback);

}  // namespace custos::hostile
