// SPDX-License-Identifier: Apache-2.0
// Internal: an XML or binary property list (libplist) as nlohmann::json, so the mappings read
// one tree type. <data> becomes a base64 string, <date> an RFC 3339 string.
#pragma once

#include <string_view>

#include <nlohmann/json.hpp>

#include "core/status.h"

namespace custos::devices::internal {

core::Result<nlohmann::json> PlistToJson(std::string_view bytes);

}  // namespace custos::devices::internal
