// SPDX-License-Identifier: Apache-2.0
// Parses the `--listen ADDR:PORT` value of `custos serve`: "127.0.0.1:8080", "0.0.0.0:0",
// "[::1]:8443", "localhost:9000", or ":8080" and "8080" (both loopback: 127.0.0.1). Port 0 asks for
// a free port.
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"

namespace custos::cli {

struct ListenAddress {
  std::string host;  // without brackets
  int port = 0;
};

// kInvalidArgument naming what is wrong.
core::Result<ListenAddress> ParseListenAddress(std::string_view text);

// "http://127.0.0.1:8080", with brackets around IPv6 hosts.
std::string HttpUrl(const std::string& host, int port);

}  // namespace custos::cli
