// SPDX-License-Identifier: Apache-2.0
// libFuzzer: the whatsapp importer on arbitrary bytes as chat.txt (fuzz/README.md).
#include "fuzz/import_fuzz.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string path = custos::fuzz::WorkDir() + "/chat.txt";
  custos::fuzz::WriteFile(path, data, size);
  custos::fuzz::DrainImport("whatsapp", path);
  return 0;
}
