// SPDX-License-Identifier: Apache-2.0
// `custos import FORMAT PATH` for every export format of importers/registry.h, and
// `custos import auto PATH` (detects the format). Internal to the cli module.
#pragma once

#include <CLI/CLI.hpp>

namespace custos::cli {

// Adds one subcommand per registered format, and `auto`, to the `import` group.
void RegisterImportFormatCommands(CLI::App* import, int* exit_code);

// `custos import runs [--json]` (import_runs_command.cc).
void RegisterImportRunsCommand(CLI::App* import, int* exit_code);

}  // namespace custos::cli
