// SPDX-License-Identifier: Apache-2.0
#include "cli/cli.h"

#include <cstdio>

#include <CLI/CLI.hpp>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/suggest.h"

#ifndef CUSTOS_VERSION
#define CUSTOS_VERSION "unknown"
#endif

namespace custos::cli {

int Run(int argc, char** argv) {
  CLI::App app{"custos: capture, archive and search business messages under a compliance policy.",
               "custos"};
  app.set_version_flag("--version", std::string("custos ") + CUSTOS_VERSION);
  app.require_subcommand(1);
  app.fallthrough(false);

  int exit_code = kExitOk;
  // The subcommands, in the order `custos --help` lists them.
  RegisterServeCommand(app, &exit_code);
  RegisterImportCommand(app, &exit_code);
  RegisterExportCommand(app, &exit_code);
  RegisterSearchCommand(app, &exit_code);
  RegisterVerdictsCommand(app, &exit_code);
  RegisterRecordCommand(app, &exit_code);
  CLI::App* log = RegisterLogCommand(app, &exit_code);
  RegisterLogVerifyCommands(*log, &exit_code);
  RegisterVerifyCommand(app, &exit_code);
  RegisterHoldCommand(app, &exit_code);
  RegisterDevicesCommand(app, &exit_code);
  RegisterDirectoryCommand(app, &exit_code);
  RegisterRetentionCommand(app, &exit_code);
  RegisterKeysCommand(app, &exit_code);
  RegisterTokensCommand(app, &exit_code);
  RegisterUsersCommand(app, &exit_code);
  RegisterAccessCommand(app, &exit_code);
  RegisterAuditCommand(app, &exit_code);
  RegisterPolicyCommand(app, &exit_code);
  RegisterDemoCommand(app, &exit_code);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help and --version end parsing with an exit code of 0; anything else is a usage error,
    // and a mistyped command is named with the nearest one (cli/suggest.h).
    if (e.get_exit_code() != 0) {
      if (const auto unknown = UnknownCommandMessage(app, argc, argv)) {
        std::fprintf(stderr, "%s\n", unknown->c_str());
        return kExitUsage;
      }
    }
    return app.exit(e) == 0 ? kExitOk : kExitUsage;
  }
  return exit_code;
}

}  // namespace custos::cli
