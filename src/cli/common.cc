// SPDX-License-Identifier: Apache-2.0
#include "cli/common.h"

#include <cstdio>

#include "cli/exit_codes.h"

namespace custos::cli {

void AddDataOption(CLI::App* cmd, std::string* data_dir) {
  *data_dir = kDefaultDataDir;
  cmd->add_option("--data", *data_dir, "Data directory")->type_name("DIR")->capture_default_str();
}

core::Result<std::unique_ptr<app::Custos>> OpenData(const std::string& data_dir, bool read_only) {
  app::OpenOptions options;
  options.data_dir = data_dir;
  options.read_only = read_only;
  return app::Custos::Open(options);
}

int Fail(std::string_view what, const core::Status& status) {
  std::fprintf(stderr, "custos: %.*s: %s\n", static_cast<int>(what.size()), what.data(),
               status.message().c_str());
  return ExitCodeFor(status);
}

}  // namespace custos::cli
