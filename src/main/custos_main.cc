// SPDX-License-Identifier: Apache-2.0
// The `custos` executable: everything happens in cli::Run. Exceptions are not part of the
// error model (core/status.h); one escaping anyway is reported here, as a bug.
#include <cstdio>
#include <exception>

#include "cli/cli.h"
#include "cli/exit_codes.h"
#include "core/log.h"

int main(int argc, char** argv) {
  // Diagnostics go to stderr, so that standard output is only the command's own output (JSON).
  custos::core::InitLogging(custos::core::LogLevel::kWarn);
  try {
    return custos::cli::Run(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "custos: internal error: %s\n", e.what());
  } catch (...) {
    std::fprintf(stderr, "custos: internal error: unknown exception\n");
  }
  return custos::cli::kExitSoftware;
}
