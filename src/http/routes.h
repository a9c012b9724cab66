// SPDX-License-Identifier: Apache-2.0
// The route table. Each resource has one file under routes/ with one Add*Routes() function;
// AllRoutes() in routes.cc calls them in one explicit list (no static self-registration).
// Every route declares the authentication schemes it accepts and the permission it needs
// (http/permissions.h); CheckRoutes() refuses a table with a route that declares neither, and
// the server then refuses to start. The dispatcher (http/dispatcher.h) matches, authenticates,
// authorises and calls the handler with a RequestContext; the handler returns a Response or a
// Status, which the one mapping (http/status_mapping.h) turns into the JSON error.
//
// Thread-safety: handlers run concurrently on the transport's workers; they use only the
// thread-safe members of app::Custos and EventStreams. A RequestContext belongs to one request.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "app/custos.h"
#include "core/status.h"
#include "http/message.h"
#include "http/permissions.h"
#include "http/principal.h"

namespace custos::http {

class EventStreams;

// How a caller may prove who it is (docs/api.md, "Authentication and permissions").
enum class AuthScheme {
  kPublic,            // no credential: the caller is anonymous
  kBearerToken,       // Authorization: Bearer <API token> (`custos tokens create`)
  kDeviceCredential,  // Authorization: Bearer cdc_... (a device's credential)
  kWebhookToken,      // an API token as Bearer, or as the password of HTTP basic auth
  kSession,           // a user's browser session: the custos_session cookie (http/sessions.h)
};

std::string_view AuthSchemeName(AuthScheme scheme);

// An error's HTTP status when it is not the mapping's (410 Gone, 413, 422), and the request
// field it is about ("field" in the error body).
struct ErrorDetail {
  int http_status = 0;  // 0: HttpStatusFor(code)
  std::string field;
};

// What a handler is given.
struct RequestContext {
  const Request& request;
  const Principal& principal;
  const std::string& request_id;
  std::string client_address;
  std::vector<std::pair<std::string, std::string>> path_params;  // {"id", "42"}, by template name
  app::Custos& custos;
  EventStreams* streams = nullptr;
  // Whether cookies set on the response carry `Secure` (DispatcherOptions::secure_cookies).
  bool secure_cookies = true;

  // The path parameter `name` of the route's template ("" when there is none).
  std::string_view PathParam(std::string_view name) const;

  // Attaches `detail` to the error `status` about to be returned, and returns it:
  // `return ctx.Fail(core::InvalidArgument("..."), {0, "field"});`.
  core::Status Fail(core::Status status, ErrorDetail detail);

  // The same for a Result: a value passes through; an error gets `detail`.
  template <typename T>
  core::Result<T> Detail(core::Result<T> result, const ErrorDetail& detail) {
    if (!result.has_value()) {
      return Fail(result.error(), detail);
    }
    return result;
  }

  // The detail attached to `status` by Fail (when it is that very error).
  std::optional<ErrorDetail> DetailOf(const core::Status& status) const;

  // Set by Fail; read by the dispatcher through DetailOf.
  std::optional<std::pair<core::Status, ErrorDetail>> failed_detail = std::nullopt;
};

using Handler = std::function<core::Result<Response>(RequestContext&)>;

// The largest request body a route accepts unless it declares another (Route::max_body_bytes).
inline constexpr std::size_t kDefaultMaxBodyBytes = std::size_t{1} << 20;

struct Route {
  std::string method;  // "GET", "POST", "PUT", "PATCH" or "DELETE" (GET answers HEAD too)
  std::string path;    // OpenAPI-style path template, e.g. "/api/v1/messages/{id}"
  std::vector<AuthScheme> schemes;       // at least one; kPublic alone or only credentials
  std::optional<Permission> permission;  // required; kPublic for a public route
  Handler handler;
  // A larger body is refused with 413 before it is read whole (Content-Length or chunked).
  std::size_t max_body_bytes = kDefaultMaxBodyBytes;
  // The query parameters the route accepts; another one, or one given twice, is a 400 naming
  // it (before the body is read). nullopt: the route does not check them.
  std::optional<std::vector<std::string>> query;

  // "GET /api/v1/messages/{id}"
  std::string Pattern() const { return method + " " + path; }

  Route& MaxBody(std::size_t bytes) {
    max_body_bytes = bytes;
    return *this;
  }

  // The query parameters the route accepts (`.Query({})`: none).
  Route& Query(std::vector<std::string> names) {
    query = std::move(names);
    return *this;
  }
};

// A route with the default body limit that does not check its query parameters:
// `MakeRoute("GET", "/api/v1/holds", {AuthScheme::kBearerToken}, Permission::kHoldsRead, List)
//      .Query({})`.
inline Route MakeRoute(std::string method, std::string path, std::vector<AuthScheme> schemes,
                       std::optional<Permission> permission, Handler handler) {
  Route route;
  route.method = std::move(method);
  route.path = std::move(path);
  route.schemes = std::move(schemes);
  route.permission = permission;
  route.handler = std::move(handler);
  return route;
}

using RouteList = std::vector<Route>;

// Each resource's routes (routes/<resource>.cc).
void AddHealthRoutes(RouteList& routes);
void AddMetricsRoutes(RouteList& routes);
void AddMessageRoutes(RouteList& routes);
void AddConversationRoutes(RouteList& routes);
void AddSearchRoutes(RouteList& routes);
void AddEventRoutes(RouteList& routes);
void AddLogRoutes(RouteList& routes);
void AddRecordRoutes(RouteList& routes);
void AddHoldRoutes(RouteList& routes);
void AddRetentionRoutes(RouteList& routes);
void AddPolicyRoutes(RouteList& routes);
void AddImportRunRoutes(RouteList& routes);    // routes/import_runs.cc
void AddDeviceRoutes(RouteList& routes);       // routes/devices.cc
void AddDeviceAgentRoutes(RouteList& routes);  // routes/devices_agent.cc
void AddDeviceHookRoutes(RouteList& routes);   // routes/devices_hooks.cc
void AddMeRoutes(RouteList& routes);           // routes/me.cc
void AddAuditRoutes(RouteList& routes);        // routes/audit.cc
void AddAuthRoutes(RouteList& routes);         // routes/auth.cc: login, logout, sessions, TOTP
void AddOidcRoutes(RouteList& routes);         // routes/auth_oidc.cc: single sign-on

// Every route of the server, in registration order. A user's browser session is accepted
// wherever an API token is: every route that lists kBearerToken also gets kSession here, in
// one place (a session is a person at the dashboard; a token is a program).
RouteList AllRoutes();

// OK when `route` may be served: a known method, a path template starting with "/", at least
// one scheme, a permission, a handler, and kPublic exactly when the permission is kPublic.
// kInvalidArgument naming the route and what is missing otherwise.
core::Status CheckRoute(const Route& route);
// CheckRoute for each route, and no pattern twice.
core::Status CheckRoutes(const RouteList& routes);

// Matches `path` against a template: "{name}" matches one non-empty segment. On a match the
// parameters are appended to `*params` (when not null) and true is returned.
bool MatchPath(std::string_view templ, std::string_view path,
               std::vector<std::pair<std::string, std::string>>* params);

// The feed of GET /api/v1/events (routes/events.cc): subscribes to the ingest service and
// publishes each committed message (and its verdict) to `streams`, which the subscription keeps
// alive (a callback may still run after Unsubscribe returns). Returns the token to Unsubscribe.
int SubscribeEventFeed(app::Custos& custos, std::shared_ptr<EventStreams> streams);

}  // namespace custos::http
