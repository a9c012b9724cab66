// SPDX-License-Identifier: Apache-2.0
// Registration functions of the subcommands, one per file (serve_command.cc, ...). Each adds
// its subcommand to `root` and, when it runs, stores the exit code in `*exit_code`.
// Internal to the cli module.
#pragma once

#include <CLI/CLI.hpp>

namespace custos::cli {

void RegisterServeCommand(CLI::App& root, int* exit_code);
void RegisterImportCommand(CLI::App& root, int* exit_code);
void RegisterExportCommand(CLI::App& root, int* exit_code);
void RegisterSearchCommand(CLI::App& root, int* exit_code);
void RegisterVerdictsCommand(CLI::App& root, int* exit_code);  // cli/verdicts_command.cc
void RegisterDemoCommand(CLI::App& root, int* exit_code);
void RegisterRecordCommand(CLI::App& root, int* exit_code);
void RegisterVerifyCommand(CLI::App& root, int* exit_code);
void RegisterHoldCommand(CLI::App& root, int* exit_code);
void RegisterRetentionCommand(CLI::App& root, int* exit_code);
void RegisterKeysCommand(CLI::App& root, int* exit_code);
void RegisterPolicyCommand(CLI::App& root, int* exit_code);
void RegisterDevicesCommand(CLI::App& root, int* exit_code);
void RegisterDirectoryCommand(CLI::App& root, int* exit_code);
void RegisterTokensCommand(CLI::App& root, int* exit_code);
void RegisterUsersCommand(CLI::App& root, int* exit_code);             // cli/users_command.cc
void RegisterAccessCommand(CLI::App& root, int* exit_code);            // cli/users_command.cc
void RegisterAuditCommand(CLI::App& root, int* exit_code);             // cli/audit_command.cc
void RegisterPolicyBacktestCommand(CLI::App& policy, int* exit_code);  // under `policy`
void RegisterPolicyAcknowledgementsCommand(CLI::App& policy, int* exit_code);  // under `policy`

// `custos log` and its store-backed subcommands (log_command.cc); returns the `log` group so
// that the standalone verifiers (log_verify_command.cc) can be added to it.
CLI::App* RegisterLogCommand(CLI::App& root, int* exit_code);
void RegisterLogVerifyCommands(CLI::App& log, int* exit_code);

}  // namespace custos::cli
