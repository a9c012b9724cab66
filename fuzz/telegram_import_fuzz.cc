// SPDX-License-Identifier: Apache-2.0
// libFuzzer: the telegram importer on arbitrary bytes as result.json (fuzz/README.md).
#include "fuzz/import_fuzz.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string path = custos::fuzz::WorkDir() + "/result.json";
  custos::fuzz::WriteFile(path, data, size);
  custos::fuzz::DrainImport("telegram", path);
  return 0;
}
