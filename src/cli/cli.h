// SPDX-License-Identifier: Apache-2.0
// The `custos` command line: parses arguments, runs one subcommand, and returns the process
// exit code (cli/exit_codes.h). Subcommands are registered explicitly in cli.cc, one file each.
// Thread-safety: call once, from main.
#pragma once

namespace custos::cli {

// Runs `custos` with main's arguments; returns the exit code. Errors are printed to stderr.
int Run(int argc, char** argv);

}  // namespace custos::cli
