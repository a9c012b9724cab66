// SPDX-License-Identifier: Apache-2.0
#include "http/routes.h"

namespace custos::http {

RouteList AllRoutes(RouteContext* ctx) {
  RouteList routes;
  AddHealthRoutes(ctx, routes);
  AddMetricsRoutes(ctx, routes);
  AddMessageRoutes(ctx, routes);
  AddConversationRoutes(ctx, routes);
  AddSearchRoutes(ctx, routes);
  AddEventRoutes(ctx, routes);
  AddLogRoutes(ctx, routes);
  AddRecordRoutes(ctx, routes);
  AddHoldRoutes(ctx, routes);
  AddRetentionRoutes(ctx, routes);
  AddPolicyRoutes(ctx, routes);
  AddImportRunRoutes(ctx, routes);
  AddDeviceRoutes(ctx, routes);
  AddDeviceAgentRoutes(ctx, routes);
  AddDeviceHookRoutes(ctx, routes);
  return routes;
}

std::string PathRegex(std::string_view path) {
  std::string out;
  for (std::size_t i = 0; i < path.size(); ++i) {
    const char c = path[i];
    if (c == '{') {
      const std::size_t close = path.find('}', i);
      if (close != std::string_view::npos) {
        out += "([^/]+)";
        i = close;
        continue;
      }
    }
    if (std::string_view(".[]()*+?^$|\\").find(c) != std::string_view::npos) {
      out += '\\';
    }
    out += c;
  }
  return out;
}

}  // namespace custos::http
