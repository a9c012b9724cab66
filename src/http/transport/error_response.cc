// SPDX-License-Identifier: Apache-2.0
#include "http/transport/error_response.h"

#include <cstdint>
#include <random>

namespace custos::http::transport_internal {

std::string NewRequestId() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  static constexpr char kHex[] = "0123456789abcdef";
  std::uint64_t bits = rng();
  std::string id(16, '0');
  for (char& c : id) {
    c = kHex[bits & 0xF];
    bits >>= 4;
  }
  return id;
}

std::string JsonQuote(std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "\"";
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u < 0x20) {
      out += "\\u00";
      out += kHex[u >> 4];
      out += kHex[u & 0xF];
    } else {
      out += c;
    }
  }
  out += '"';
  return out;
}

Response ErrorResponse(int status, std::string_view code, std::string_view message,
                       std::string request_id) {
  if (request_id.empty()) {
    request_id = NewRequestId();
  }
  Response response;
  response.status = status;
  response.content_type = "application/json";
  response.body = "{\"error\":{\"code\":" + JsonQuote(code) + ",\"message\":" + JsonQuote(message) +
                  ",\"request_id\":" + JsonQuote(request_id) + "}}";
  response.headers.Set("X-Request-Id", std::move(request_id));
  return response;
}

}  // namespace custos::http::transport_internal
