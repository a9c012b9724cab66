// SPDX-License-Identifier: Apache-2.0
// Helpers shared by the subcommands: the --data option, opening the data directory, and
// reporting an error with its exit code. Internal to the cli module.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include <CLI/CLI.hpp>

#include "app/custos.h"
#include "core/status.h"

namespace custos::cli {

inline constexpr const char* kDefaultDataDir = "./custos-data";

// Adds `--data DIR` (default ./custos-data) to `cmd`.
void AddDataOption(CLI::App* cmd, std::string* data_dir);

// Opens the data directory; read-only opens fail with kNotFound when it does not exist.
core::Result<std::unique_ptr<app::Custos>> OpenData(const std::string& data_dir, bool read_only);

// Prints "custos: <what>: <message>" to stderr and returns the exit code for `status`.
int Fail(std::string_view what, const core::Status& status);

}  // namespace custos::cli
