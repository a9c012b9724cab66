// SPDX-License-Identifier: Apache-2.0
#include "app/import_region.h"

#include "config/config.h"
#include "core/text.h"
#include "directory/identity.h"

namespace custos::app {
namespace {

constexpr std::string_view kExamples = " (ISO 3166-1 alpha-2, e.g. GB, US, DE)";

std::string Upper(std::string s) {
  for (char& c : s) {
    c = static_cast<char>(c >= 'a' && c <= 'z' ? c - ('a' - 'A') : c);
  }
  return s;
}

}  // namespace

core::Result<std::string> DefaultRegion(const std::string& data_dir, const std::string& flag) {
  if (!flag.empty()) {
    std::string region = Upper(std::string(core::TrimAscii(flag)));
    if (!directory::IsKnownRegion(region)) {
      return core::InvalidArgument("--region \"" + flag +
                                   "\" is not a region libphonenumber knows" +
                                   std::string(kExamples));
    }
    return region;
  }
  config::LoadResult loaded =
      config::LoadConfigFile(data_dir + "/custos.yaml", config::ProcessEnvironment());
  if (!loaded.ok()) {
    return core::FailedPrecondition(loaded.ToStatus().message());
  }
  const config::Config& c = loaded.config;
  if (!directory::IsKnownRegion(c.directory_default_region)) {
    return core::FailedPrecondition(c.directory_default_region_where.ToString() +
                                    ": directory.default_region \"" + c.directory_default_region +
                                    "\" is not a region libphonenumber knows" +
                                    std::string(kExamples));
  }
  return c.directory_default_region;
}

}  // namespace custos::app
