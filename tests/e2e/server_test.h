// SPDX-License-Identifier: Apache-2.0
// ServerTest: a GoogleTest fixture that starts a fresh `custos serve` on an empty data
// directory for each test and gives it an HTTP client and the admin token.
#pragma once

#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "e2e/custos_process.h"
#include "testing/temp_dir.h"

namespace custos::e2e {

class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string error;
    server_ = CustosProcess::Start(dir_.Path(), &error);
    ASSERT_NE(server_, nullptr) << error;
    client_ = server_->Client();
  }

  httplib::Headers Auth() const { return server_->Auth(); }

  // POSTs one message and returns its id (0 and a test failure when it is not stored).
  std::int64_t PostOne(const nlohmann::json& message) {
    auto res = PostMessages(*client_, Auth(), message);
    EXPECT_TRUE(res);
    if (!res) {
      return 0;
    }
    EXPECT_EQ(res->status, 200) << res->body;
    const nlohmann::json body = BodyJson(res);
    if (!body.is_object() || !body.contains("results") || body["results"].empty()) {
      ADD_FAILURE() << "unexpected body: " << res->body;
      return 0;
    }
    return body["results"][0].value("id", std::int64_t{0});
  }

  custos::testing::TempDir dir_;
  std::unique_ptr<CustosProcess> server_;
  std::unique_ptr<httplib::Client> client_;
};

// Expects `res` to be an error response with `status` and `code`, in the common error shape,
// whose request_id matches the X-Request-Id header.
inline void ExpectError(const httplib::Result& res, int status, const std::string& code) {
  ASSERT_TRUE(res) << "no response: " << httplib::to_string(res.error());
  EXPECT_EQ(res->status, status) << res->body;
  EXPECT_EQ(res->get_header_value("Content-Type"), "application/json");
  const nlohmann::json body = BodyJson(res);
  ASSERT_TRUE(body.is_object()) << res->body;
  ASSERT_TRUE(body.contains("error")) << res->body;
  EXPECT_EQ(body["error"].value("code", ""), code) << res->body;
  EXPECT_FALSE(body["error"].value("message", "").empty()) << res->body;
  EXPECT_FALSE(res->get_header_value("X-Request-Id").empty());
  EXPECT_EQ(body["error"].value("request_id", ""), res->get_header_value("X-Request-Id"));
}

}  // namespace custos::e2e
