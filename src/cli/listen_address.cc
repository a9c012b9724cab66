// SPDX-License-Identifier: Apache-2.0
#include "cli/listen_address.h"

#include <charconv>

namespace custos::cli {
namespace {

constexpr int kMaxPort = 65535;

core::Status Bad(std::string_view text, std::string_view why) {
  return core::InvalidArgument("--listen \"" + std::string(text.substr(0, 64)) +
                               "\": " + std::string(why) + " (expected ADDR:PORT or PORT)");
}

}  // namespace

core::Result<ListenAddress> ParseListenAddress(std::string_view text) {
  const std::size_t colon = text.rfind(':');
  const bool digits_only =
      !text.empty() && text.find_first_not_of("0123456789") == std::string_view::npos;
  if (colon == std::string_view::npos && !digits_only) {
    return Bad(text, "missing port");
  }
  // A bare port ("8080") is ":8080": loopback, never every interface by accident.
  std::string_view host = digits_only ? std::string_view() : text.substr(0, colon);
  const std::string_view port = digits_only ? text : text.substr(colon + 1);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  } else if (host.find(':') != std::string_view::npos) {
    return Bad(text, "put an IPv6 address in brackets");
  }
  ListenAddress out;
  out.host = host.empty() ? "127.0.0.1" : std::string(host);
  const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), out.port);
  if (port.empty() || ec != std::errc() || end != port.data() + port.size() || out.port < 0 ||
      out.port > kMaxPort) {
    return Bad(text, "the port must be a number from 0 to 65535");
  }
  return out;
}

std::string HttpUrl(const std::string& host, int port) {
  const bool v6 = host.find(':') != std::string::npos;
  return "http://" + (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

}  // namespace custos::cli
