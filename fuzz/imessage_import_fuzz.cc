// SPDX-License-Identifier: Apache-2.0
// libFuzzer: the imessage importer on arbitrary bytes as chat.db (fuzz/README.md).
#include "fuzz/import_fuzz.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string path = custos::fuzz::WorkDir() + "/chat.db";
  custos::fuzz::WriteFile(path, data, size);
  custos::fuzz::DrainImport("imessage", path);
  return 0;
}
