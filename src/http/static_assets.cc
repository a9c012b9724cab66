// SPDX-License-Identifier: Apache-2.0
#include "http/static_assets.h"

#include "http/transport/error_response.h"

namespace custos::http {

namespace {

using transport_internal::ErrorResponse;

bool ContainsIgnoreCase(std::string_view text, std::string_view needle) {
  if (needle.size() > text.size()) {
    return false;
  }
  for (std::size_t i = 0; i + needle.size() <= text.size(); ++i) {
    bool match = true;
    for (std::size_t j = 0; j < needle.size() && match; ++j) {
      match = (static_cast<unsigned char>(text[i + j]) | 0x20) ==
              (static_cast<unsigned char>(needle[j]) | 0x20);
    }
    if (match) {
      return true;
    }
  }
  return false;
}

// A decoded relative path that stays inside the directory: no "." or ".." segment, no
// backslash, no NUL, no empty segment ("a//b").
bool SafeRelative(std::string_view rel) {
  if (rel.find('\\') != std::string_view::npos || rel.find('\0') != std::string_view::npos) {
    return false;
  }
  std::size_t start = 0;
  while (start <= rel.size()) {
    const std::size_t slash = rel.find('/', start);
    const std::size_t end = slash == std::string_view::npos ? rel.size() : slash;
    const std::string_view segment = rel.substr(start, end - start);
    if (segment == "." || segment == ".." || (segment.empty() && end != rel.size())) {
      return false;
    }
    if (slash == std::string_view::npos) {
      break;
    }
    start = slash + 1;
  }
  return true;
}

// If-None-Match matches `etag`: "*", or a comma-separated list naming it (weak or strong).
bool NotModified(const Request& request, std::string_view etag) {
  const auto header = request.headers.Get("If-None-Match");
  if (!header) {
    return false;
  }
  std::string_view rest = *header;
  while (!rest.empty()) {
    const std::size_t comma = rest.find(',');
    std::string_view tag = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    while (!tag.empty() && (tag.front() == ' ' || tag.front() == '\t')) {
      tag.remove_prefix(1);
    }
    while (!tag.empty() && (tag.back() == ' ' || tag.back() == '\t')) {
      tag.remove_suffix(1);
    }
    if (tag.substr(0, 2) == "W/") {
      tag.remove_prefix(2);
    }
    if (tag == "*" || tag == etag) {
      return true;
    }
  }
  return false;
}

}  // namespace

const EmbeddedAsset* StaticAssets::Find(std::string_view path) const {
  for (std::size_t i = 0; i < table_.count; ++i) {
    if (table_.assets[i].path == path) {
      return &table_.assets[i];
    }
  }
  return nullptr;
}

std::optional<Response> StaticAssets::Serve(const Request& request) const {
  const std::string_view prefix = table_.prefix;
  const std::string_view path = request.path;
  if (path.substr(0, prefix.size()) != prefix ||
      (path.size() > prefix.size() && path[prefix.size()] != '/')) {
    return std::nullopt;
  }
  if (request.method != "GET" && request.method != "HEAD") {
    return std::nullopt;
  }
  const std::string_view raw = std::string_view(request.target).substr(0, request.target.find('?'));
  std::string_view rel = path.substr(prefix.size());
  if (ContainsIgnoreCase(raw, "%2f") || ContainsIgnoreCase(raw, "%5c") ||
      ContainsIgnoreCase(raw, "%2e") || ContainsIgnoreCase(raw, "%00") ||
      !SafeRelative(rel.empty() ? rel : rel.substr(1))) {
    return ErrorResponse(400, "invalid_argument", "asset path leaves the asset directory");
  }
  if (rel.empty()) {
    Response redirect;
    redirect.status = 308;
    redirect.headers.Set("Location", std::string(prefix) + "/");
    return redirect;
  }
  rel.remove_prefix(1);  // the '/'
  std::string name(rel);
  if (name.empty() || name.back() == '/') {
    name += "index.html";
  }
  const EmbeddedAsset* asset = Find(name);
  if (asset == nullptr) {
    asset = Find(name + "/index.html");
  }
  if (asset == nullptr) {
    return ErrorResponse(404, "not_found", "no asset " + std::string(path.substr(0, 200)));
  }
  Response response;
  response.headers.Set("ETag", std::string(asset->etag));
  response.headers.Set("Cache-Control", "no-cache");
  response.headers.Set("X-Content-Type-Options", "nosniff");
  if (NotModified(request, asset->etag)) {
    response.status = 304;
    return response;
  }
  response.status = 200;
  response.content_type = std::string(asset->content_type);
  response.body.assign(reinterpret_cast<const char*>(asset->data), asset->size);
  return response;
}

}  // namespace custos::http
