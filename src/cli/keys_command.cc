// SPDX-License-Identifier: Apache-2.0
// `custos keys rotate`: adds a key-encryption key to DIR/keys/keyring; records sealed from
// then on use it, and every earlier record stays readable under the version it was sealed
// with (app::Custos::RotateKeys). The ring file is replaced atomically. A writing command: it
// refuses to run while a server or another writer has the data directory (app/data_lock.h).
#include <cstdio>
#include <memory>
#include <string>

#include "cli/commands.h"
#include "cli/common.h"
#include "cli/exit_codes.h"

namespace custos::cli {
namespace {

struct KeysArgs {
  std::string data_dir;
  bool json = false;
};

int RunRotate(const KeysArgs& args) {
  auto version = app::Custos::RotateKeys(args.data_dir);
  if (!version.has_value()) {
    return Fail("keys rotate", version.error());
  }
  if (args.json) {
    std::printf("{\"key_version\":%d}\n", *version);
  } else {
    std::printf(
        "custos: key ring rotated: new records are sealed under key version %d; older "
        "records stay readable\n",
        *version);
  }
  return kExitOk;
}

}  // namespace

void RegisterKeysCommand(CLI::App& root, int* exit_code) {
  CLI::App* keys = root.add_subcommand("keys", "The key ring that seals the archive's records");
  keys->require_subcommand(1);
  auto args = std::make_shared<KeysArgs>();
  CLI::App* rotate = keys->add_subcommand(
      "rotate",
      "Add a new key-encryption key for records sealed from now on; older records stay "
      "readable");
  AddDataOption(rotate, &args->data_dir);
  rotate->add_flag("--json", args->json, "Print {\"key_version\":N}");
  rotate->callback([args, exit_code] { *exit_code = RunRotate(*args); });
}

}  // namespace custos::cli
