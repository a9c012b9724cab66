// SPDX-License-Identifier: Apache-2.0
#include "oidc/http_client.h"

#include <charconv>

#include <httplib.h>

#include "core/text.h"
#include "crypto/crypto.h"

namespace custos::oidc {
namespace {

constexpr int kMaxPort = 65535;

bool IsUnreserved(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

core::Result<HttpResponse> Send(const Url& url, httplib::Request request,
                                const HttpLimits& limits) {
  httplib::Client client(url.Origin());
  client.set_connection_timeout(limits.timeout_seconds);
  client.set_read_timeout(limits.timeout_seconds);
  client.set_write_timeout(limits.timeout_seconds);
  client.set_follow_location(false);
  client.set_keep_alive(false);
  std::string body;
  bool too_large = false;
  request.path = url.target;
  request.content_receiver = [&](const char* data, std::size_t n, std::uint64_t /*offset*/,
                                 std::uint64_t /*total*/) {
    if (body.size() + n > limits.max_body_bytes) {
      too_large = true;
      return false;
    }
    body.append(data, n);
    return true;
  };
  httplib::Result result = client.send(request);
  if (too_large) {
    return core::ResourceExhausted(request.method + " " + url.Origin() + url.target +
                                   ": response body larger than " +
                                   std::to_string(limits.max_body_bytes) + " bytes");
  }
  if (!result) {
    return core::Unavailable(request.method + " " + url.Origin() + url.target +
                             " failed: " + httplib::to_string(result.error()));
  }
  return HttpResponse{result->status, std::move(body)};
}

}  // namespace

std::string Url::Origin() const { return scheme + "://" + host + ":" + std::to_string(port); }

core::Result<Url> ParseUrl(std::string_view text, std::string_view what) {
  const std::string name(what);
  Url url;
  std::string_view rest;
  if (text.substr(0, 8) == "https://") {
    url.scheme = "https";
    url.port = 443;
    rest = text.substr(8);
  } else if (text.substr(0, 7) == "http://") {
    url.scheme = "http";
    url.port = 80;
    rest = text.substr(7);
  } else {
    return core::InvalidArgument(name + ": \"" + std::string(text) +
                                 "\" is not an absolute http(s) URL");
  }
  if (text.find('#') != std::string_view::npos) {
    return core::InvalidArgument(name + ": must not have a fragment");
  }
  for (const char c : text) {
    if (static_cast<unsigned char>(c) <= 0x20 || static_cast<unsigned char>(c) >= 0x7f) {
      return core::InvalidArgument(name + ": contains a space or a non-ASCII character");
    }
  }
  const std::size_t slash = rest.find_first_of("/?");
  std::string_view authority = rest.substr(0, slash);
  url.target = slash == std::string_view::npos ? "/" : std::string(rest.substr(slash));
  if (url.target[0] == '?') {
    url.target.insert(0, "/");
  }
  if (authority.find('@') != std::string_view::npos ||
      authority.find('[') != std::string_view::npos) {
    return core::InvalidArgument(name + ": user info and IPv6 literals are not supported");
  }
  const std::size_t colon = authority.find(':');
  if (colon != std::string_view::npos) {
    const std::string_view port = authority.substr(colon + 1);
    int value = 0;
    const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (ec != std::errc() || end != port.data() + port.size() || value < 1 || value > kMaxPort) {
      return core::InvalidArgument(name + ": bad port \"" + std::string(port) + "\"");
    }
    url.port = value;
    authority = authority.substr(0, colon);
  }
  if (authority.empty()) {
    return core::InvalidArgument(name + ": has no host");
  }
  url.host = core::ToLowerAscii(authority);
  return url;
}

bool IsLoopbackHost(std::string_view host) {
  return host == "localhost" || host.substr(0, 4) == "127.";
}

core::Status CheckProviderUrl(const Url& url, std::string_view what) {
  if (url.scheme == "https" || IsLoopbackHost(url.host)) {
    return core::Status::Ok();
  }
  return core::InvalidArgument(std::string(what) + ": must be https (plain http only for a " +
                               "loopback host), got " + url.Origin());
}

std::string FormUrlEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char c : text) {
    if (IsUnreserved(c)) {
      out += c;
    } else {
      const auto b = static_cast<unsigned char>(c);
      out += '%';
      out += kHex[b >> 4];
      out += kHex[b & 0xf];
    }
  }
  return out;
}

core::Result<HttpResponse> HttpGet(const Url& url, const HttpLimits& limits) {
  httplib::Request request;
  request.method = "GET";
  request.set_header("Accept", "application/json");
  return Send(url, std::move(request), limits);
}

core::Result<HttpResponse> HttpPostForm(
    const Url& url, const std::string& form,
    const std::optional<std::pair<std::string, std::string>>& basic_auth,
    const HttpLimits& limits) {
  httplib::Request request;
  request.method = "POST";
  request.body = form;
  request.set_header("Content-Type", "application/x-www-form-urlencoded");
  request.set_header("Accept", "application/json");
  if (basic_auth.has_value()) {
    request.set_header("Authorization",
                       "Basic " + crypto::Base64Encode(FormUrlEncode(basic_auth->first) + ":" +
                                                       FormUrlEncode(basic_auth->second)));
  }
  return Send(url, std::move(request), limits);
}

}  // namespace custos::oidc
