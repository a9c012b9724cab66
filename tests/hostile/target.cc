// SPDX-License-Identifier: Apache-2.0
#include "hostile/target.h"

#include <cstdlib>

namespace custos::hostile {

namespace {

std::string Env(const char* name) {
  const char* v = std::getenv(name);  // NOLINT(concurrency-mt-unsafe): read before threads
  return v != nullptr ? v : "";
}

}  // namespace

bool ReportOnly() { return Env("CUSTOS_HOSTILE_REPORT_ONLY") == "1"; }

long EnvOr(const char* name, long fallback) {
  const long v = std::atol(Env(name).c_str());
  return v > 0 ? v : fallback;
}

std::unique_ptr<Target> StartTarget(const std::string& data_dir, std::string* error) {
  auto target = std::make_unique<Target>();
  target->name = Env("CUSTOS_HOSTILE_TARGET").empty() ? "custos" : Env("CUSTOS_HOSTILE_TARGET");
  if (target->name == "transport") {
    // CustosProcess runs $CUSTOS_BIN; point it at the test server (same arguments and output).
    setenv("CUSTOS_BIN", CUSTOS_HOSTILE_TARGET_BIN, 1);  // NOLINT(concurrency-mt-unsafe)
  } else if (target->name != "custos") {
    *error = "CUSTOS_HOSTILE_TARGET must be \"transport\" or \"custos\"";
    return nullptr;
  }
  target->process = e2e::CustosProcess::Start(data_dir, error);
  if (!target->process) {
    return nullptr;
  }
  target->port = target->process->port();
  target->pid = target->process->pid();
  target->token = target->process->token();
  return target;
}

}  // namespace custos::hostile
