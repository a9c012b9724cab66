// SPDX-License-Identifier: Apache-2.0
#include "http/routes.h"

#include <algorithm>
#include <iterator>
#include <set>

namespace custos::http {

std::string_view AuthSchemeName(AuthScheme scheme) {
  switch (scheme) {
    case AuthScheme::kPublic:
      return "public";
    case AuthScheme::kBearerToken:
      return "bearer token";
    case AuthScheme::kDeviceCredential:
      return "device credential";
    case AuthScheme::kWebhookToken:
      return "webhook token";
    case AuthScheme::kSession:
      return "session cookie";
  }
  return "unknown";
}

std::string_view RequestContext::PathParam(std::string_view name) const {
  for (const auto& [n, v] : path_params) {
    if (n == name) {
      return v;
    }
  }
  return {};
}

core::Status RequestContext::Fail(core::Status status, ErrorDetail detail) {
  failed_detail.emplace(status, std::move(detail));
  return status;
}

std::optional<ErrorDetail> RequestContext::DetailOf(const core::Status& status) const {
  if (failed_detail && failed_detail->first.code() == status.code() &&
      failed_detail->first.message() == status.message()) {
    return failed_detail->second;
  }
  return std::nullopt;
}

RouteList AllRoutes() {
  RouteList routes;
  AddHealthRoutes(routes);
  AddMetricsRoutes(routes);
  AddMessageRoutes(routes);
  AddConversationRoutes(routes);
  AddSearchRoutes(routes);
  AddEventRoutes(routes);
  AddLogRoutes(routes);
  AddRecordRoutes(routes);
  AddHoldRoutes(routes);
  AddRetentionRoutes(routes);
  AddPolicyRoutes(routes);
  AddImportRunRoutes(routes);
  AddDeviceRoutes(routes);
  AddDeviceAgentRoutes(routes);
  AddDeviceHookRoutes(routes);
  AddMeRoutes(routes);
  AddAuditRoutes(routes);
  AddAuthRoutes(routes);
  AddOidcRoutes(routes);
  for (Route& route : routes) {
    const bool token = std::find(route.schemes.begin(), route.schemes.end(),
                                 AuthScheme::kBearerToken) != route.schemes.end();
    const bool session = std::find(route.schemes.begin(), route.schemes.end(),
                                   AuthScheme::kSession) != route.schemes.end();
    if (token && !session) {
      route.schemes.push_back(AuthScheme::kSession);
    }
  }
  return routes;
}

core::Status CheckRoute(const Route& route) {
  const std::string name = "route " + route.Pattern();
  static constexpr std::string_view kMethods[] = {"GET", "POST", "PUT", "PATCH", "DELETE"};
  if (std::find(std::begin(kMethods), std::end(kMethods), route.method) == std::end(kMethods)) {
    return core::InvalidArgument(name + ": method must be GET, POST, PUT, PATCH or DELETE");
  }
  if (route.path.empty() || route.path[0] != '/') {
    return core::InvalidArgument(name + ": the path must start with /");
  }
  if (route.schemes.empty()) {
    return core::InvalidArgument(name + " declares no authentication scheme");
  }
  if (!route.permission) {
    return core::InvalidArgument(name + " declares no permission");
  }
  if (!route.handler) {
    return core::InvalidArgument(name + " has no handler");
  }
  const bool is_public = std::find(route.schemes.begin(), route.schemes.end(),
                                   AuthScheme::kPublic) != route.schemes.end();
  if (is_public != (*route.permission == Permission::kPublic)) {
    return core::InvalidArgument(name + ": the public scheme goes with the public permission only");
  }
  if (is_public && route.schemes.size() > 1) {
    return core::InvalidArgument(name + ": a public route accepts no credential scheme");
  }
  return core::Status::Ok();
}

core::Status CheckRoutes(const RouteList& routes) {
  std::set<std::string> seen;
  for (const Route& route : routes) {
    RETURN_IF_ERROR(CheckRoute(route));
    if (!seen.insert(route.Pattern()).second) {
      return core::InvalidArgument("route " + route.Pattern() + " is registered twice");
    }
  }
  return core::Status::Ok();
}

bool MatchPath(std::string_view templ, std::string_view path,
               std::vector<std::pair<std::string, std::string>>* params) {
  std::vector<std::pair<std::string, std::string>> found;
  std::size_t t = 0;
  std::size_t p = 0;
  while (t < templ.size() && p <= path.size()) {
    if (templ[t] == '{') {
      const std::size_t close = templ.find('}', t);
      if (close == std::string_view::npos) {
        return false;
      }
      std::size_t end = path.find('/', p);
      if (end == std::string_view::npos) {
        end = path.size();
      }
      if (end == p) {
        return false;  // an empty segment
      }
      found.emplace_back(std::string(templ.substr(t + 1, close - t - 1)),
                         std::string(path.substr(p, end - p)));
      t = close + 1;
      p = end;
      continue;
    }
    if (p >= path.size() || templ[t] != path[p]) {
      return false;
    }
    ++t;
    ++p;
  }
  if (t != templ.size() || p != path.size()) {
    return false;
  }
  if (params != nullptr) {
    params->insert(params->end(), found.begin(), found.end());
  }
  return true;
}

}  // namespace custos::http
