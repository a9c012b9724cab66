// SPDX-License-Identifier: Apache-2.0
// Splitting a request target ("/api/v1/x%20y?a=1&b=two+words") into the percent-decoded path and
// the decoded query parameters of http::Request. Internal to src/http/transport/ (and tested
// there); no Boost.
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace custos::http::transport_internal {

// Decodes %XX escapes; with `plus_is_space` (query strings) '+' becomes ' '. A '%' that is not
// followed by two hex digits is kept as it is.
std::string PercentDecode(std::string_view text, bool plus_is_space);

// Fills `*path` (decoded, without the query) and `*query` (each "name=value" of the query in
// order, decoded; "name" alone has an empty value; empty pieces between '&' are skipped).
void ParseTarget(std::string_view target, std::string* path,
                 std::vector<std::pair<std::string, std::string>>* query);

}  // namespace custos::http::transport_internal
