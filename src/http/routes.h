// SPDX-License-Identifier: Apache-2.0
// The route table. Each resource has one file under routes/ with one Add*Routes() function;
// AllRoutes() in routes.cc calls them in one explicit list (no static self-registration).
// Server::Impl turns the table into httplib handlers, adding bearer-token checks, and
// Server::RoutePatterns() lists it for the OpenAPI coverage test.
// Thread-safety: handlers run concurrently on the server's workers; they only use the
// thread-safe members of RouteContext.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <httplib.h>

#include "app/custos.h"

namespace custos::http {

class EventStreams;

// What handlers may use. Owned by Server::Impl, outlives the httplib server.
struct RouteContext {
  app::Custos* custos = nullptr;
  EventStreams* streams = nullptr;
};

// The largest request body a route accepts unless it declares another (Route::max_body_bytes).
inline constexpr std::size_t kDefaultMaxBodyBytes = std::size_t{1} << 20;

struct Route {
  std::string method;  // "GET" or "POST"
  std::string path;    // OpenAPI-style path template, e.g. "/api/v1/messages/{id}"
  bool needs_token = true;
  httplib::Server::Handler handler;
  // A POST body larger than this is answered 413 without being kept in memory (it is read and
  // discarded, Content-Length or chunked, so the client gets the answer); see docs/api.md.
  std::size_t max_body_bytes = kDefaultMaxBodyBytes;

  // "GET /api/v1/messages/{id}"
  std::string Pattern() const { return method + " " + path; }
};

using RouteList = std::vector<Route>;

// Each resource's routes (routes/<resource>.cc). `ctx` may be null when only the patterns are
// wanted; handlers are then never called.
void AddHealthRoutes(RouteContext* ctx, RouteList& routes);
void AddMetricsRoutes(RouteContext* ctx, RouteList& routes);
void AddMessageRoutes(RouteContext* ctx, RouteList& routes);
void AddConversationRoutes(RouteContext* ctx, RouteList& routes);
void AddSearchRoutes(RouteContext* ctx, RouteList& routes);
void AddEventRoutes(RouteContext* ctx, RouteList& routes);
void AddLogRoutes(RouteContext* ctx, RouteList& routes);
void AddRecordRoutes(RouteContext* ctx, RouteList& routes);
void AddHoldRoutes(RouteContext* ctx, RouteList& routes);
void AddRetentionRoutes(RouteContext* ctx, RouteList& routes);
void AddPolicyRoutes(RouteContext* ctx, RouteList& routes);
void AddImportRunRoutes(RouteContext* ctx, RouteList& routes);    // routes/import_runs.cc
void AddDeviceRoutes(RouteContext* ctx, RouteList& routes);       // routes/devices.cc
void AddDeviceAgentRoutes(RouteContext* ctx, RouteList& routes);  // routes/devices_agent.cc
void AddDeviceHookRoutes(RouteContext* ctx, RouteList& routes);   // routes/devices_hooks.cc

// Every route of the server, in registration order.
RouteList AllRoutes(RouteContext* ctx);

// The std::regex source for a path template: "{name}" matches one non-empty segment, captured.
std::string PathRegex(std::string_view path);

}  // namespace custos::http
