// SPDX-License-Identifier: Apache-2.0
#include "http/dispatcher.h"

#include <algorithm>
#include <exception>
#include <utility>
#include <vector>

#include "core/log.h"
#include "core/text.h"
#include "http/authenticate.h"
#include "http/respond.h"
#include "http/status_mapping.h"

namespace custos::http {

namespace {

constexpr std::size_t kShownPathBytes = 200;

std::string Target(const Request& request) {
  return request.method + " " + std::string(core::TruncateUtf8(request.path, kShownPathBytes));
}

}  // namespace

struct Dispatcher::Admitted {
  const Route* route = nullptr;
  Principal principal;
  std::string request_id;
  std::vector<std::pair<std::string, std::string>> path_params;
};

core::Result<std::unique_ptr<Dispatcher>> Dispatcher::Create(app::Custos* custos, RouteList routes,
                                                             const DispatcherOptions& options) {
  RETURN_IF_ERROR(CheckRoutes(routes));
  return std::unique_ptr<Dispatcher>(new Dispatcher(custos, std::move(routes), options));
}

Dispatcher::Dispatcher(app::Custos* custos, RouteList routes, const DispatcherOptions& options)
    : custos_(custos),
      routes_(std::move(routes)),
      options_(options),
      streams_(std::make_shared<EventStreams>(
          static_cast<std::size_t>(std::max(1, options.max_event_streams)))) {
  feed_token_ = SubscribeEventFeed(*custos_, streams_);
}

Dispatcher::~Dispatcher() {
  custos_->ingest().Unsubscribe(feed_token_);
  Stop();
}

void Dispatcher::Stop() { streams_->CloseAll(); }

Response Dispatcher::Finish(const Request& request, const std::string& label,
                            const std::string& request_id, Response response) const {
  response.headers.Set(kRequestIdHeader, request_id);
  if (request.method == "HEAD") {
    response.body.clear();  // the headers of the GET only
  }
  custos_->metrics().HttpRequest(label, response.status);
  CUSTOS_LOG_DEBUG("http {} {} {} -> {}", request_id, request.method,
                   core::TruncateUtf8(request.path, kShownPathBytes), response.status);
  return response;
}

Admission Dispatcher::Admit(const Request& request) {
  auto admitted = std::make_shared<Admitted>();
  admitted->request_id = NewRequestId();
  const std::string& id = admitted->request_id;
  const auto refuse = [&](const std::string& label, Response response) {
    Admission a;
    a.refuse = Finish(request, label, id, std::move(response));
    return a;
  };

  // The route: method and path template (HEAD is a GET without the body).
  const std::string method = request.method == "HEAD" ? std::string("GET") : request.method;
  std::vector<std::string> allowed;
  for (const Route& route : routes_) {
    std::vector<std::pair<std::string, std::string>> params;
    if (!MatchPath(route.path, request.path, &params)) {
      continue;
    }
    if (route.method != method) {
      allowed.push_back(route.method);
      if (route.method == "GET") {
        allowed.push_back("HEAD");
      }
      continue;
    }
    admitted->route = &route;
    admitted->path_params = std::move(params);
    break;
  }
  if (admitted->route == nullptr) {
    if (allowed.empty()) {
      return refuse("unmatched",
                    ErrorResponse(core::NotFound("no route for " + Target(request)), id));
    }
    std::string allow;
    for (const std::string& m : allowed) {
      allow += (allow.empty() ? "" : ", ") + m;
    }
    Response res = ErrorResponse(
        core::InvalidArgument("method " + request.method + " is not allowed on " +
                              std::string(core::TruncateUtf8(request.path, kShownPathBytes)) +
                              " (allowed: " + allow + ")"),
        id, 405);
    res.headers.Set("Allow", allow);
    return refuse("unmatched", std::move(res));
  }
  const Route& route = *admitted->route;
  const std::string label = route.Pattern();

  // Who is calling, and may they?
  AuthOutcome auth = Authenticate(*custos_, request, route);
  if (!auth.principal) {
    Response res = ErrorResponse(auth.principal.error(), id);
    if (auth.principal.error().code() == core::StatusCode::kUnauthenticated &&
        !auth.challenge.empty()) {
      res.headers.Set("WWW-Authenticate", auth.challenge);
    }
    return refuse(label, std::move(res));
  }
  admitted->principal = std::move(auth.principal).value();
  if (admitted->principal.kind == PrincipalKind::kDeviceCredential) {
    // The person a device credential stands for: the directory person its device is enrolled to.
    auto device = custos_->devices().Get(admitted->principal.device_id);
    if (!device) {
      return refuse(label, ErrorResponse(device.error(), id));
    }
    if (device->person_id > 0) {
      admitted->principal.person_id = std::to_string(device->person_id);
    }
  }
  const Principal& principal = admitted->principal;
  if (!principal.Has(*route.permission)) {
    const std::string role =
        principal.roles.empty()
            ? ""
            : (principal.roles.size() == 1 ? " (role " : " (roles ") + principal.role + ")";
    // A refusal is an audit record (docs/access.md); it is queued, never waited for.
    app::AccessContext who;
    who.actor = principal.Actor();
    who.roles = principal.roles;
    who.client = request.remote_addr;
    who.request_id = id;
    custos_->access().RecordRefusal(who, label, std::string(PermissionName(*route.permission)));
    const std::string enrol = principal.must_enrol_2fa
                                  ? ": enrol a second factor first (POST /api/v1/auth/totp, then "
                                    "POST /api/v1/auth/totp/confirm)"
                                  : "";
    return refuse(
        label,
        ErrorResponse(core::PermissionDenied(principal.Actor() + role + " lacks the permission " +
                                             std::string(PermissionName(*route.permission)) +
                                             " that " + label + " requires" + enrol),
                      id));
  }
  if (route.query) {
    std::string field;
    if (const core::Status s = CheckQueryParams(request, *route.query, &field); !s.ok()) {
      return refuse(label, ErrorResponse(s, id, 400, field));
    }
  }

  Admission admission;
  admission.max_body_bytes = std::min(route.max_body_bytes, options_.max_body_bytes);
  if (principal.kind == PrincipalKind::kAnonymous) {
    admission.max_body_bytes = std::min(admission.max_body_bytes, kAnonymousMaxBodyBytes);
  }
  admission.state = std::move(admitted);
  return admission;
}

Response Dispatcher::Handle(Request& request, const Admission& admission) {
  const auto* admitted = static_cast<const Admitted*>(admission.state.get());
  CUSTOS_CHECK(admitted != nullptr && admitted->route != nullptr);
  const Route& route = *admitted->route;
  RequestContext ctx{request,
                     admitted->principal,
                     admitted->request_id,
                     request.remote_addr,
                     admitted->path_params,
                     *custos_,
                     streams_.get(),
                     options_.secure_cookies};
  core::Result<Response> result = core::Internal("no response");
  try {
    result = route.handler(ctx);
  } catch (const std::exception& e) {
    result = core::Internal("exception in " + route.Pattern() + ": " + e.what());
  } catch (...) {
    result = core::Internal("unknown exception in " + route.Pattern());
  }
  Response response;
  if (result) {
    response = std::move(result).value();
  } else {
    const core::Status& s = result.error();
    const ErrorDetail detail = ctx.DetailOf(s).value_or(ErrorDetail{
        0, s.code() == core::StatusCode::kInvalidArgument ? FieldOf(s) : std::string()});
    response = ErrorResponse(s, admitted->request_id, detail.http_status, detail.field);
  }
  return Finish(request, route.Pattern(), admitted->request_id, std::move(response));
}

}  // namespace custos::http
