// SPDX-License-Identifier: Apache-2.0
// The outbound HTTP client of the relying party (cpp-httplib, built by Debian with OpenSSL):
// GET of the discovery document and the JWKS, POST of the authorisation code to the token
// endpoint. Every request has connect/read/write timeouts and a cap on the response body (the
// transfer is cut off at the cap, not read in full first); redirects are not followed.
// Provider URLs must be https; plain http is accepted only for a loopback host (127.0.0.0/8,
// "localhost"), which is what the tests' local provider uses. TLS certificates are verified
// against the system's CA store (OpenSSL's default paths) with host-name checking: cpp-httplib's
// default for an https client.
// Thread-safety: pure functions (each request uses its own connection).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "core/status.h"

namespace custos::oidc {

struct Url {
  std::string scheme;  // "http" or "https"
  std::string host;
  int port = 0;
  std::string target;  // path and query, "/" at least

  // scheme://host:port
  std::string Origin() const;
};

// Parses an absolute http(s) URL: no user info, no fragment, a port in 1..65535 if given,
// IPv6 literals not supported. kInvalidArgument naming `what` ("issuer", "token_endpoint").
core::Result<Url> ParseUrl(std::string_view text, std::string_view what);

bool IsLoopbackHost(std::string_view host);

// OK for https, or http on a loopback host; kInvalidArgument naming `what` otherwise.
core::Status CheckProviderUrl(const Url& url, std::string_view what);

// application/x-www-form-urlencoded / query component encoding (RFC 3986 unreserved kept).
std::string FormUrlEncode(std::string_view text);

struct HttpLimits {
  int timeout_seconds = 10;
  std::size_t max_body_bytes = 256 * 1024;
};

struct HttpResponse {
  int status = 0;
  std::string body;
};

// GET `url`. kUnavailable when the server cannot be reached (connect, TLS, timeout);
// kResourceExhausted when the body exceeds the cap. Any HTTP status is returned as is.
core::Result<HttpResponse> HttpGet(const Url& url, const HttpLimits& limits);

// POST `form` (already encoded) as application/x-www-form-urlencoded, with HTTP Basic client
// authentication (RFC 6749 §2.3.1: both parts form-encoded) when `basic_auth` is set.
core::Result<HttpResponse> HttpPostForm(
    const Url& url, const std::string& form,
    const std::optional<std::pair<std::string, std::string>>& basic_auth, const HttpLimits& limits);

}  // namespace custos::oidc
