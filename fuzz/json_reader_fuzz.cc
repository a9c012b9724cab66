// SPDX-License-Identifier: Apache-2.0
// libFuzzer: the one bounded JSON reader (core/json_reader.h) that every request body and
// imported JSON file goes through. Whatever it accepts must be within its limits: dumping and
// destroying the document (both recursive in nlohmann-json) must be safe.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/json_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto doc = custos::core::ParseOrderedJson(text, custos::core::kRequestJsonLimits, "fuzz");
  if (doc.has_value()) {
    (void)doc->dump();
  }
  custos::core::JsonLimits tight{4096, 4, 64};
  auto small = custos::core::ParseJson(text, tight, "fuzz");
  if (small.has_value()) {
    (void)small->dump();
  }
  return 0;
}
