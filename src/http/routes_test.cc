// SPDX-License-Identifier: Apache-2.0
// The route table and the request helpers, without a server.
#include "http/routes.h"

#include <regex>
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "http/event_streams.h"
#include "http/respond.h"
#include "http/server.h"

namespace custos::http {
namespace {

TEST(PathRegex, CapturesOneSegmentPerParameter) {
  const std::regex re(PathRegex("/api/v1/conversations/{id}/messages"));
  std::smatch m;
  const std::string path = "/api/v1/conversations/42/messages";
  ASSERT_TRUE(std::regex_match(path, m, re));
  EXPECT_EQ(m[1].str(), "42");
  EXPECT_FALSE(std::regex_match(std::string("/api/v1/conversations/4/2/messages"), re));
  EXPECT_FALSE(std::regex_match(std::string("/api/v1/conversations//messages"), re));
}

TEST(PathRegex, EscapesLiteralDots) {
  const std::regex re(PathRegex("/a.b"));
  EXPECT_TRUE(std::regex_match(std::string("/a.b"), re));
  EXPECT_FALSE(std::regex_match(std::string("/axb"), re));
}

TEST(RoutePatterns, AreUniqueAndProtectEveryApiRoute) {
  std::set<std::string> seen;
  for (const Route& route : AllRoutes(nullptr)) {
    EXPECT_TRUE(seen.insert(route.Pattern()).second) << route.Pattern();
    const bool api = route.path.rfind("/api/v1/", 0) == 0;
    // The device agent's and the employee's routes check a device credential themselves
    // (routes/devices_agent.cc); every other API route needs the API token.
    const bool device_credential =
        route.path.rfind("/api/v1/device/", 0) == 0 || route.path.rfind("/api/v1/me/", 0) == 0;
    EXPECT_EQ(route.needs_token, api && !device_credential) << route.Pattern();
  }
  EXPECT_EQ(seen.size(), Server::RoutePatterns().size());
  EXPECT_TRUE(seen.count("GET /healthz"));
  EXPECT_TRUE(seen.count("POST /api/v1/messages"));
}

TEST(ParseLimit, DefaultsToFiftyAndRejectsOutOfRange) {
  httplib::Request req;
  EXPECT_EQ(*ParseLimit(req), kDefaultPageLimit);
  req.params.emplace("limit", "500");
  EXPECT_EQ(*ParseLimit(req), 500);
  for (const char* bad : {"0", "501", "-1", "ten", "5x", ""}) {
    httplib::Request r;
    r.params.emplace("limit", bad);
    auto limit = ParseLimit(r);
    ASSERT_FALSE(limit.has_value()) << bad;
    EXPECT_NE(limit.error().message().find("limit"), std::string::npos);
  }
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
  httplib::Request req;
  EXPECT_TRUE(ParseObjectBody(req, {"dry_run"})->empty());
  req.body = R"({"dry_run": true})";
  EXPECT_EQ((*ParseObjectBody(req, {"dry_run"}))["dry_run"], true);
}

TEST(ParseObjectBody, RejectsUnknownMembersOtherTypesAndBadJson) {
  for (const char* bad : {R"({"dryrun": true})", "[]", "true", "{oops", "{\"a\":"}) {
    httplib::Request req;
    req.body = bad;
    auto body = ParseObjectBody(req, {"dry_run"});
    ASSERT_FALSE(body.has_value()) << bad;
    EXPECT_EQ(body.error().code(), core::StatusCode::kInvalidArgument) << bad;
  }
  httplib::Request req;
  req.body = R"({"dryrun": true})";
  EXPECT_NE(ParseObjectBody(req, {"dry_run"}).error().message().find("dryrun"), std::string::npos);
  req.body = std::string(100, '[') + std::string(100, ']');
  EXPECT_FALSE(ParseObjectBody(req, {}).has_value());
}

TEST(WantsText, OnlyWhenTextIsAskedForAndJsonIsNot) {
  httplib::Request req;
  EXPECT_FALSE(WantsText(req));
  req.headers.emplace("Accept", "text/plain");
  EXPECT_TRUE(WantsText(req));
  httplib::Request both;
  both.headers.emplace("Accept", "application/json, text/plain");
  EXPECT_FALSE(WantsText(both));
}

TEST(SendError, WritesTheErrorBodyWithRequestId) {
  httplib::Response res;
  res.set_header(kRequestIdHeader, "abc123");
  SendError(res, core::InvalidArgument("bad thing"), 0, "sent_at");
  EXPECT_EQ(res.status, 400);
  const Json body = Json::parse(res.body);
  EXPECT_EQ(body["error"]["code"], "invalid_argument");
  EXPECT_EQ(body["error"]["message"], "bad thing");
  EXPECT_EQ(body["error"]["field"], "sent_at");
  EXPECT_EQ(body["error"]["request_id"], "abc123");
}

TEST(SendError, HidesTheMessageOfInternalErrors) {
  httplib::Response res;
  res.set_header(kRequestIdHeader, "r1");
  SendError(res, core::Internal("sqlite: disk I/O error at /secret/path"));
  EXPECT_EQ(res.status, 500);
  EXPECT_EQ(res.body.find("/secret/path"), std::string::npos);
  EXPECT_NE(res.body.find("r1"), std::string::npos);
}

TEST(NewRequestId, IsSixteenHexDigitsAndVaries) {
  const std::string a = NewRequestId();
  const std::string b = NewRequestId();
  EXPECT_EQ(a.size(), 16u);
  EXPECT_EQ(a.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_NE(a, b);
}

TEST(EventQueue, OverflowsInsteadOfBlockingAndClosesOnCloseAll) {
  EventStreams streams(/*max_streams=*/1, /*queue_capacity=*/2);
  auto q = streams.Open();
  ASSERT_TRUE(q.has_value());
  EXPECT_FALSE(streams.Open().has_value());  // at capacity
  (*q)->Push("a");
  (*q)->Push("b");
  std::vector<std::string> out;
  EXPECT_EQ((*q)->Take(std::chrono::milliseconds(0), &out), EventQueue::State::kOpen);
  EXPECT_EQ(out.size(), 2u);
  (*q)->Push("1");
  (*q)->Push("2");
  (*q)->Push("3");
  out.clear();
  EXPECT_EQ((*q)->Take(std::chrono::milliseconds(0), &out), EventQueue::State::kOverflowed);
  streams.Release(q->get());
  auto again = streams.Open();
  ASSERT_TRUE(again.has_value());
  streams.CloseAll();
  out.clear();
  EXPECT_EQ((*again)->Take(std::chrono::seconds(5), &out), EventQueue::State::kClosed);
  EXPECT_FALSE(streams.Open().has_value());
}

}  // namespace
}  // namespace custos::http
