// SPDX-License-Identifier: Apache-2.0
// libFuzzer: the body decoders of POST /api/v1/messages and POST /api/v1/device/messages: one
// canonical message object (capture::DecodeMessage), or an array of them read by the bounded
// reader and decoded element by element, as routes/messages.cc does.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "capture/jsonl.h"
#include "core/json_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  custos::capture::DecodeError error;
  auto one = custos::capture::DecodeMessage(body, &error);
  if (one.has_value()) {
    (void)custos::capture::EncodeMessage(*one);
  }
  const custos::core::JsonLimits batch{std::size_t{16} << 20, 32, 1'000'000};
  auto parsed = custos::core::ParseJson(body, batch, "request body");
  if (parsed.has_value() && parsed->is_array()) {
    for (const auto& element : *parsed) {
      if (element.is_object()) {
        (void)custos::capture::DecodeMessage(element.dump(), &error);
      }
    }
  }
  return 0;
}
