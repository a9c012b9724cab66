// SPDX-License-Identifier: Apache-2.0
// The policy pack loader on arbitrary bytes: the input is pack.yaml, and whatever follows a
// line "---8<---" is lists/x.txt (a list file the YAML may name). Loading must never crash,
// hang or leak; it either compiles a pack or reports diagnostics.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "policy/policy.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::size_t cut = input.find("\n---8<---\n");
  std::vector<std::pair<std::string, std::string>> files;
  files.emplace_back("pack.yaml", std::string(input.substr(0, cut)));
  if (cut != std::string_view::npos) {
    files.emplace_back("lists/x.txt", std::string(input.substr(cut + 10)));
  }
  const custos::policy::LoadResult r = custos::policy::LoadPackFromFiles(files);
  if (r.ok()) {
    custos::policy::Facts facts;
    facts.text = "fuzz";
    (void)r.pack->Evaluate(facts);
  }
  (void)r.diagnostics.ToText();
  return 0;
}
