// SPDX-License-Identifier: Apache-2.0
// Runs the built `custos` binary (CUSTOS_BIN) as a child process for end-to-end CLI tests:
// arguments in, exit code, stdout and stderr out. Also small helpers for JSONL fixtures.
#pragma once

#include <string>
#include <vector>

#include <sys/types.h>

namespace custos::testing {

struct RunResult {
  int exit_code = -1;  // -1 when the child did not exit normally (killed by a signal)
  std::string out;
  std::string err;
};

// The path of the custos binary under test.
std::string CustosBin();

// Runs `custos args...` to completion; stdin comes from `stdin_path` (or /dev/null).
RunResult RunCustos(const std::vector<std::string>& args, const std::string& stdin_path = "");

// Starts `custos args...` in the background with stdout and stderr going to the given files.
pid_t StartCustos(const std::vector<std::string>& args, const std::string& stdout_path,
                  const std::string& stderr_path);

// Waits for `pid`; returns its exit code, or -1 when it was killed by a signal.
int WaitExit(pid_t pid);

std::string ReadFile(const std::string& path);
void WriteFile(const std::string& path, const std::string& text);

// Line `n` of a canonical JSONL fixture: a valid inbound SMS with source_id "m<n>".
std::string MessageLine(int n);

}  // namespace custos::testing
