// SPDX-License-Identifier: Apache-2.0
// StaticAssets over a table generated at build time from src/http/testdata/assets (mounted at
// /ui by custos_embed_assets() in src/http/transport/CMakeLists.txt).
#include "http/static_assets.h"

#include <gtest/gtest.h>

#include "test_ui_assets.h"

namespace custos::http {
namespace {

Request Get(std::string target, std::string method = "GET") {
  Request r;
  r.method = std::move(method);
  r.target = target;
  // Tests give already-decoded paths unless they test decoding.
  r.path = target.substr(0, target.find('?'));
  return r;
}

TEST(StaticAssets, ServesEmbeddedFilesWithTypeETagAndNosniff) {
  const StaticAssets assets(embedded::test_ui());
  auto r = assets.Serve(Get("/ui/app.js"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "console.log(\"custos\");\n");
  EXPECT_EQ(r->content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(r->headers.Get("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(r->headers.Get("Cache-Control"), "no-cache");
  const std::string etag(*r->headers.Get("ETag"));
  EXPECT_EQ(etag.size(), 18U);  // 16 hex digits in quotes
  EXPECT_EQ(assets.Serve(Get("/ui/style.css"))->content_type, "text/css; charset=utf-8");
}

TEST(StaticAssets, ServesIndexHtmlForDirectoriesAndRedirectsThePrefix) {
  const StaticAssets assets(embedded::test_ui());
  auto root = assets.Serve(Get("/ui/"));
  ASSERT_TRUE(root);
  EXPECT_EQ(root->status, 200);
  EXPECT_EQ(root->content_type, "text/html; charset=utf-8");
  EXPECT_NE(root->body.find("custos test"), std::string::npos);
  EXPECT_EQ(assets.Serve(Get("/ui/docs/"))->body, "<p>docs</p>\n");
  EXPECT_EQ(assets.Serve(Get("/ui/docs"))->body, "<p>docs</p>\n");
  auto bare = assets.Serve(Get("/ui"));
  EXPECT_EQ(bare->status, 308);
  EXPECT_EQ(bare->headers.Get("Location"), "/ui/");
}

TEST(StaticAssets, AnswersIfNoneMatchWith304) {
  const StaticAssets assets(embedded::test_ui());
  const std::string etag(*assets.Serve(Get("/ui/app.js"))->headers.Get("ETag"));
  Request again = Get("/ui/app.js");
  again.headers.Add("If-None-Match", "\"other\", " + etag);
  auto r = assets.Serve(again);
  EXPECT_EQ(r->status, 304);
  EXPECT_TRUE(r->body.empty());
  EXPECT_EQ(r->headers.Get("ETag"), etag);
  Request stale = Get("/ui/app.js");
  stale.headers.Add("If-None-Match", "\"other\"");
  EXPECT_EQ(assets.Serve(stale)->status, 200);
}

TEST(StaticAssets, LeavesOtherPathsAndMethodsToTheCaller) {
  const StaticAssets assets(embedded::test_ui());
  EXPECT_FALSE(assets.Serve(Get("/api/v1/messages")));
  EXPECT_FALSE(assets.Serve(Get("/uix/app.js")));
  EXPECT_FALSE(assets.Serve(Get("/ui/app.js", "POST")));
  auto head = assets.Serve(Get("/ui/app.js", "HEAD"));
  ASSERT_TRUE(head);
  EXPECT_EQ(head->status, 200);
  EXPECT_EQ(assets.Serve(Get("/ui/missing.js"))->status, 404);
}

TEST(StaticAssets, RefusesPathTraversal) {
  const StaticAssets assets(embedded::test_ui());
  EXPECT_EQ(assets.Serve(Get("/ui/../etc/passwd"))->status, 400);
  EXPECT_EQ(assets.Serve(Get("/ui/docs/../../x"))->status, 400);
  EXPECT_EQ(assets.Serve(Get("/ui/./app.js"))->status, 400);
  EXPECT_EQ(assets.Serve(Get("/ui//app.js"))->status, 400);
  EXPECT_EQ(assets.Serve(Get("/ui/a\\b"))->status, 400);
  // Encoded forms, as the transport would decode them into the path.
  Request dots = Get("/ui/%2e%2e/secret");
  dots.path = "/ui/../secret";
  EXPECT_EQ(assets.Serve(dots)->status, 400);
  Request dots_only_raw = Get("/ui/%2E%2E");
  dots_only_raw.path = "/ui/..";
  EXPECT_EQ(assets.Serve(dots_only_raw)->status, 400);
  Request slash = Get("/ui/docs%2Findex.html");
  slash.path = "/ui/docs/index.html";
  EXPECT_EQ(assets.Serve(slash)->status, 400);
  auto err = assets.Serve(Get("/ui/../x"));
  EXPECT_NE(err->body.find("\"code\":\"invalid_argument\""), std::string::npos);
}

}  // namespace
}  // namespace custos::http
