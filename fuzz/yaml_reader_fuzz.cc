// SPDX-License-Identifier: Apache-2.0
// The YAML readers on arbitrary bytes: the shared guard (config::CheckYaml: no anchors or
// aliases, size, node and depth bounds), the policy pack reader (one file, pack.yaml) and the
// DIR/custos.yaml loader. None may crash, hang or use memory out of proportion to the input
// (the target runs with -rss_limit_mb=1024: a "billion laughs" that got past the guard would
// exceed it). An input the guard refuses must be refused by both readers too.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "config/yaml_guard.h"
#include "policy/diagnostics.h"
#include "policy/loader/reader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const auto problem = custos::config::CheckYaml(input);

  custos::policy::Diagnostics diags;
  std::vector<custos::policy::loader::PackFile> files;
  files.push_back({"pack.yaml", std::make_shared<const std::string>(input)});
  const auto read = custos::policy::loader::ReadPackFiles(std::move(files), diags);
  (void)diags.ToText();

  const custos::config::LoadResult config = custos::config::ParseConfig(
      input, "custos.yaml", [](std::string_view) { return std::optional<std::string>(); });
  if (problem && (config.errors.empty() || !read.items.empty())) {
    std::abort();  // the guard refused the text but a reader went on to load it
  }
  return 0;
}
