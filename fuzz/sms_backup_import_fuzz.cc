// SPDX-License-Identifier: Apache-2.0
// libFuzzer: the sms-backup importer on arbitrary bytes as sms.xml (fuzz/README.md).
#include "fuzz/import_fuzz.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string path = custos::fuzz::WorkDir() + "/sms.xml";
  custos::fuzz::WriteFile(path, data, size);
  custos::fuzz::DrainImport("sms-backup", path);
  return 0;
}
