// SPDX-License-Identifier: Apache-2.0
// The route table, its declarations and the request helpers, without a server.
#include "http/routes.h"

#include <chrono>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "http/event_streams.h"
#include "http/respond.h"
#include "http/server.h"

namespace custos::http {
namespace {

TEST(MatchPath, CapturesOneSegmentPerParameter) {
  std::vector<std::pair<std::string, std::string>> params;
  ASSERT_TRUE(MatchPath("/api/v1/conversations/{id}/messages", "/api/v1/conversations/42/messages",
                        &params));
  ASSERT_EQ(params.size(), 1u);
  EXPECT_EQ(params[0].first, "id");
  EXPECT_EQ(params[0].second, "42");
  EXPECT_FALSE(MatchPath("/api/v1/conversations/{id}/messages",
                         "/api/v1/conversations/4/2/messages", nullptr));
  EXPECT_FALSE(
      MatchPath("/api/v1/conversations/{id}/messages", "/api/v1/conversations//messages", nullptr));
  EXPECT_FALSE(MatchPath("/api/v1/holds", "/api/v1/holds/", nullptr));
  EXPECT_FALSE(MatchPath("/api/v1/holds", "/api/v1/hold", nullptr));
  EXPECT_TRUE(MatchPath("/a.b", "/a.b", nullptr));
  EXPECT_FALSE(MatchPath("/a.b", "/axb", nullptr));
}

// The declaration the issue asks for: every route names the schemes it accepts and the
// permission it needs, and the table as a whole passes the check the server starts with.
TEST(AllRoutes, EveryRouteDeclaresASchemeAndAPermission) {
  const RouteList routes = AllRoutes();
  ASSERT_FALSE(routes.empty());
  for (const Route& route : routes) {
    EXPECT_FALSE(route.schemes.empty()) << route.Pattern();
    EXPECT_TRUE(route.permission.has_value()) << route.Pattern();
    EXPECT_TRUE(CheckRoute(route).ok()) << CheckRoute(route).ToString();
  }
  EXPECT_TRUE(CheckRoutes(routes).ok()) << CheckRoutes(routes).ToString();
}

TEST(AllRoutes, OnlyHealthMetricsEnrollmentLoginAndSingleSignOnArePublic) {
  std::set<std::string> open;
  for (const Route& route : AllRoutes()) {
    if (route.permission == Permission::kPublic) {
      open.insert(route.Pattern());
    }
    // The device agent's and the employee's routes take a device credential; every other API
    // route an API token or a user's session (the NanoMDM webhook also as basic auth). What is
    // monitored about me and the acknowledgement take all three (an API token is answered who
    // it is; routes/me.cc). A user's own session routes (/api/v1/auth/) take only the session.
    const bool self = route.path == "/api/v1/me" || route.path == "/api/v1/me/acknowledgements";
    const bool device = !self && (route.path.rfind("/api/v1/device/", 0) == 0 ||
                                  route.path.rfind("/api/v1/me/", 0) == 0);
    const bool own = route.path.rfind("/api/v1/auth/", 0) == 0;
    if (route.permission == Permission::kPublic) {
      EXPECT_EQ(route.schemes, std::vector<AuthScheme>{AuthScheme::kPublic}) << route.Pattern();
    } else if (self) {
      EXPECT_EQ(route.schemes,
                (std::vector<AuthScheme>{AuthScheme::kDeviceCredential, AuthScheme::kBearerToken,
                                         AuthScheme::kSession}))
          << route.Pattern();
    } else if (device) {
      EXPECT_EQ(route.schemes, std::vector<AuthScheme>{AuthScheme::kDeviceCredential})
          << route.Pattern();
    } else if (own) {
      EXPECT_EQ(route.schemes, std::vector<AuthScheme>{AuthScheme::kSession}) << route.Pattern();
    } else if (route.path.rfind("/api/v1/", 0) == 0) {
      EXPECT_EQ(route.schemes,
                (std::vector<AuthScheme>{AuthScheme::kBearerToken, AuthScheme::kSession}))
          << route.Pattern();
    }
  }
  // Logging in (routes/auth.cc) and single sign-on's two routes (routes/auth_oidc.cc) are how a
  // browser gets a session.
  EXPECT_EQ(open,
            (std::set<std::string>{"GET /healthz", "GET /metrics", "POST /api/v1/device/enroll",
                                   "POST /api/v1/auth/login", "GET /api/v1/auth/oidc/start",
                                   "GET /api/v1/auth/oidc/callback"}));
}

TEST(CheckRoute, RefusesARouteWithoutSchemeOrPermission) {
  Route route = MakeRoute("GET", "/api/v1/things", {}, Permission::kMessagesRead,
                          [](RequestContext&) -> core::Result<Response> { return Response{}; });
  core::Status s = CheckRoute(route);
  EXPECT_EQ(s.code(), core::StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("GET /api/v1/things"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("no authentication scheme"), std::string::npos) << s.message();

  route.schemes = {AuthScheme::kBearerToken};
  route.permission.reset();
  s = CheckRoute(route);
  EXPECT_NE(s.message().find("declares no permission"), std::string::npos) << s.message();
  RouteList with_bad = AllRoutes();
  with_bad.push_back(route);
  EXPECT_FALSE(CheckRoutes(with_bad).ok());

  route.permission = Permission::kPublic;  // public permission behind a token: a mistake
  EXPECT_FALSE(CheckRoute(route).ok());
  route.permission = Permission::kMessagesRead;
  EXPECT_TRUE(CheckRoute(route).ok());
  RouteList twice = {route, route};
  EXPECT_NE(CheckRoutes(twice).message().find("registered twice"), std::string::npos);
}

TEST(RoutePatterns, AreTheTable) {
  std::set<std::string> seen;
  for (const Route& route : AllRoutes()) {
    EXPECT_TRUE(seen.insert(route.Pattern()).second) << route.Pattern();
  }
  EXPECT_EQ(seen.size(), Server::RoutePatterns().size());
  EXPECT_TRUE(seen.count("GET /healthz"));
  EXPECT_TRUE(seen.count("POST /api/v1/messages"));
}

Request WithQuery(std::vector<std::pair<std::string, std::string>> query) {
  Request req;
  req.query = std::move(query);
  return req;
}

TEST(ParseLimit, DefaultsToFiftyAndRejectsOutOfRange) {
  EXPECT_EQ(*ParseLimit(Request{}), kDefaultPageLimit);
  EXPECT_EQ(*ParseLimit(WithQuery({{"limit", "500"}})), 500);
  for (const char* bad : {"0", "501", "-1", "ten", "5x", ""}) {
    auto limit = ParseLimit(WithQuery({{"limit", bad}}));
    ASSERT_FALSE(limit.has_value()) << bad;
    EXPECT_NE(limit.error().message().find("limit"), std::string::npos);
  }
}

TEST(CheckQueryParams, NamesTheUnknownOrRepeatedParameter) {
  std::string field;
  EXPECT_TRUE(CheckQueryParams(WithQuery({{"limit", "5"}}), {"limit", "cursor"}, &field).ok());
  core::Status s = CheckQueryParams(WithQuery({{"bogus", "1"}}), {"limit"}, &field);
  EXPECT_EQ(s.code(), core::StatusCode::kInvalidArgument);
  EXPECT_EQ(field, "bogus");
  EXPECT_NE(s.message().find("accepted: limit"), std::string::npos) << s.message();
  s = CheckQueryParams(WithQuery({{"limit", "1"}, {"limit", "2"}}), {"limit"}, &field);
  EXPECT_NE(s.message().find("more than once"), std::string::npos) << s.message();
  EXPECT_NE(CheckQueryParams(WithQuery({{"x", "1"}}), {}, nullptr).message().find("takes none"),
            std::string::npos);
}

TEST(ParseId, AcceptsOnlyPositiveIntegers) {
  EXPECT_EQ(*ParseId("17", "message id"), 17);
  for (const char* bad : {"0", "-3", "abc", "1.5", "", "99999999999999999999"}) {
    auto id = ParseId(bad, "message id");
    ASSERT_FALSE(id.has_value()) << bad;
    EXPECT_EQ(id.error().code(), core::StatusCode::kInvalidArgument);
  }
}

TEST(ParseObjectBody, AcceptsKnownMembersAndAnEmptyBody) {
  Request req;
  EXPECT_TRUE(ParseObjectBody(req, {"dry_run"})->empty());
  req.body = R"({"dry_run": true})";
  EXPECT_EQ((*ParseObjectBody(req, {"dry_run"}))["dry_run"], true);
}

TEST(ParseObjectBody, RejectsUnknownMembersOtherTypesAndBadJson) {
  for (const char* bad : {R"({"dryrun": true})", "[]", "true", "{oops", "{\"a\":"}) {
    Request req;
    req.body = bad;
    auto body = ParseObjectBody(req, {"dry_run"});
    ASSERT_FALSE(body.has_value()) << bad;
    EXPECT_EQ(body.error().code(), core::StatusCode::kInvalidArgument) << bad;
  }
  Request req;
  req.body = R"({"dryrun": true})";
  EXPECT_NE(ParseObjectBody(req, {"dry_run"}).error().message().find("dryrun"), std::string::npos);
  req.body = std::string(100, '[') + std::string(100, ']');
  EXPECT_FALSE(ParseObjectBody(req, {}).has_value());
}

TEST(WantsText, OnlyWhenTextIsAskedForAndJsonIsNot) {
  Request req;
  EXPECT_FALSE(WantsText(req));
  req.headers.Add("Accept", "text/plain");
  EXPECT_TRUE(WantsText(req));
  Request both;
  both.headers.Add("Accept", "application/json, text/plain");
  EXPECT_FALSE(WantsText(both));
}

TEST(ErrorResponse, WritesTheErrorBodyWithRequestId) {
  const Response res = ErrorResponse(core::InvalidArgument("bad thing"), "abc123", 0, "sent_at");
  EXPECT_EQ(res.status, 400);
  EXPECT_EQ(res.content_type, "application/json");
  const Json body = Json::parse(res.body);
  EXPECT_EQ(body["error"]["code"], "invalid_argument");
  EXPECT_EQ(body["error"]["message"], "bad thing");
  EXPECT_EQ(body["error"]["field"], "sent_at");
  EXPECT_EQ(body["error"]["request_id"], "abc123");
}

TEST(ErrorResponse, HidesTheMessageOfInternalErrors) {
  const Response res =
      ErrorResponse(core::Internal("sqlite: disk I/O error at /secret/path"), "r1");
  EXPECT_EQ(res.status, 500);
  EXPECT_EQ(res.body.find("/secret/path"), std::string::npos);
  EXPECT_NE(res.body.find("r1"), std::string::npos);
}

TEST(FieldOf, IsTheLeadingNameOfTheMessage) {
  EXPECT_EQ(FieldOf(core::InvalidArgument("os.api_level: expected a number")), "os.api_level");
  EXPECT_EQ(FieldOf(core::InvalidArgument("query parameter \"q\": bad")), "");
  EXPECT_EQ(FieldOf(core::InvalidArgument("no colon here")), "");
}

TEST(NewRequestId, IsSixteenHexDigitsAndVaries) {
  const std::string a = NewRequestId();
  const std::string b = NewRequestId();
  EXPECT_EQ(a.size(), 16u);
  EXPECT_EQ(a.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_NE(a, b);
}

TEST(Principal, ActorStringsAreStableAndTellPrincipalsApart) {
  const Principal a = Principal::ApiToken(3, "ci-bot", "admin");
  EXPECT_EQ(a.Actor(), "token:3 (ci-bot)");
  EXPECT_EQ(Principal::ApiToken(4, "ci-bot", "admin").Actor(), "token:4 (ci-bot)");
  EXPECT_EQ(Principal::Device("dev-1a2b").Actor(), "device:dev-1a2b");
  EXPECT_EQ(Principal::Webhook("nanomdm", 7, "webhook").Actor(), "webhook:nanomdm (token:7)");
  EXPECT_EQ(Principal::Anonymous().Actor(), "anonymous");
}

TEST(RolePermissions, AdminManagesAuditorReadsMetadataIngestWrites) {
  // The role table itself is app/access/permissions_test.cc's; here what the HTTP names say.
  const PermissionSet admin = *RolePermissions("admin");
  EXPECT_TRUE(admin.Has(Permission::kPolicyManage));
  EXPECT_TRUE(admin.Has(Permission::kDevicesManage));
  EXPECT_FALSE(admin.Has(Permission::kMessagesRead));  // no content for the admin role
  const PermissionSet auditor = *RolePermissions("auditor");
  EXPECT_FALSE(auditor.Has(Permission::kMessagesRead));
  EXPECT_TRUE(auditor.Has(Permission::kArchiveRead));
  EXPECT_TRUE(auditor.Has(Permission::kDevicesRead));
  for (Permission p : {Permission::kMessagesWrite, Permission::kHoldsManage,
                       Permission::kPolicyManage, Permission::kDevicesManage,
                       Permission::kDevicesApproveWipe, Permission::kRetentionManage}) {
    EXPECT_FALSE(auditor.Has(p)) << PermissionName(p);
  }
  const PermissionSet ingest = *RolePermissions("ingest");
  EXPECT_TRUE(ingest.Has(Permission::kMessagesWrite));
  EXPECT_FALSE(ingest.Has(Permission::kMessagesRead));
  EXPECT_FALSE(RolePermissions("root").has_value());
  EXPECT_FALSE(Principal::ApiToken(1, "x", "root").Has(Permission::kMessagesRead));
  const Principal both = Principal::ApiToken(2, "ops", "admin,compliance_officer");
  EXPECT_EQ(both.roles, (std::vector<std::string>{"admin", "compliance_officer"}));
  EXPECT_TRUE(both.Has(Permission::kMessagesRead));
  EXPECT_TRUE(both.Has(Permission::kUsersManage));
  for (const app::RoleInfo& role : AllRoles()) {
    EXPECT_TRUE(RolePermissions(role.name).has_value()) << role.name;
  }
}

// A sink that records what it is given and can refuse.
class RecordingSink : public StreamSink {
 public:
  bool Write(std::string chunk) override {
    std::lock_guard<std::mutex> lock(mu_);
    if (!open_ || refuse_) {
      return false;
    }
    written_ += chunk;
    return true;
  }

  void Close() override {
    std::lock_guard<std::mutex> lock(mu_);
    open_ = false;
  }

  bool IsOpen() const override {
    std::lock_guard<std::mutex> lock(mu_);
    return open_;
  }

  void Refuse() {
    std::lock_guard<std::mutex> lock(mu_);
    refuse_ = true;
  }

  std::string written() const {
    std::lock_guard<std::mutex> lock(mu_);
    return written_;
  }

 private:
  mutable std::mutex mu_;
  std::string written_;
  bool open_ = true;
  bool refuse_ = false;
};

TEST(EventStreams, PublishesToEveryStreamAndGivesPlacesBack) {
  EventStreams streams(/*max_streams=*/2, std::chrono::milliseconds(50));
  auto a = streams.Open();
  auto b = streams.Open();
  ASSERT_TRUE(a.has_value() && b.has_value());
  EXPECT_FALSE(streams.Open().has_value());  // at capacity
  auto sink_a = std::make_shared<RecordingSink>();
  auto sink_b = std::make_shared<RecordingSink>();
  (*a)->Attach(sink_a, ": hello\n\n");
  (*b)->Attach(sink_b, ": hello\n\n");
  streams.Publish("event: message\n\n");
  EXPECT_EQ(sink_a->written(), ": hello\n\nevent: message\n\n");
  EXPECT_EQ(sink_b->written(), sink_a->written());
  // A sink that refuses (its client gone or too slow) is dropped and its place comes free.
  sink_b->Refuse();
  streams.Publish("event: message\n\n");
  EXPECT_FALSE(sink_b->IsOpen());
  EXPECT_EQ(streams.size(), 1u);
  // A reserved place whose response is never sent is given back too.
  { EXPECT_TRUE(streams.Open().has_value()); }
  EXPECT_EQ(streams.size(), 1u);
  // One heartbeat thread writes a comment to the silent stream.
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_NE(sink_a->written().find(": heartbeat"), std::string::npos);
  streams.CloseAll();
  EXPECT_FALSE(sink_a->IsOpen());
  EXPECT_FALSE(streams.Open().has_value());
}

}  // namespace
}  // namespace custos::http
