// SPDX-License-Identifier: Apache-2.0
// The REST API of the real binary: health, authentication, routing, and ingest over HTTP,
// including bad input (malformed JSON, missing field, bad timestamp, oversized text and body).
#include <string>

#include "e2e/server_test.h"

namespace custos::e2e {
namespace {

using nlohmann::json;

class Api : public ServerTest {};

TEST_F(Api, HealthzAnswersOkWithoutToken) {
  auto res = client_->Get("/healthz");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(BodyJson(res), json({{"status", "ok"}}));
  EXPECT_EQ(res->get_header_value("X-Request-Id").size(), 16u);
}

TEST_F(Api, MissingTokenIsRejectedWith401AndJsonError) {
  auto res = client_->Get("/api/v1/conversations");
  ExpectError(res, 401, "unauthenticated");
  EXPECT_EQ(res->get_header_value("WWW-Authenticate").rfind("Bearer", 0), 0u);
}

TEST_F(Api, WrongTokenIsRejectedWith401AndJsonError) {
  auto res = client_->Get("/api/v1/conversations", {{"Authorization", "Bearer cst_wrong"}});
  ExpectError(res, 401, "unauthenticated");
  res = client_->Get("/api/v1/conversations", {{"Authorization", "Basic " + server_->token()}});
  ExpectError(res, 401, "unauthenticated");
}

TEST_F(Api, WrongTokenOnPostStoresNothingAndConnectionStaysUsable) {
  auto res = client_->Post("/api/v1/messages", {{"Authorization", "Bearer nope"}},
                           SampleMessage("m1").dump(), "application/json");
  ExpectError(res, 401, "unauthenticated");
  res = client_->Get("/api/v1/conversations", Auth());
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_TRUE(BodyJson(res)["items"].empty()) << res->body;
}

TEST_F(Api, UnknownRouteIs404WithJsonError) {
  ExpectError(client_->Get("/no/such/route"), 404, "not_found");
  ExpectError(client_->Get("/api/v1/no-such-thing", Auth()), 404, "not_found");
  // The path exists with GET only: 405 with the methods it takes (RFC 9110 15.5.6).
  auto res = client_->Delete("/api/v1/messages/1", Auth());
  ExpectError(res, 405, "invalid_argument");
  ASSERT_TRUE(res);
  EXPECT_NE(res->get_header_value("Allow").find("GET"), std::string::npos);
}

TEST_F(Api, PostOneMessageThenTheSameAgainIsADuplicate) {
  auto res = PostMessages(*client_, Auth(), SampleMessage("m1"));
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  json body = BodyJson(res);
  EXPECT_EQ(body["accepted"], 1);
  EXPECT_EQ(body["results"][0]["status"], "accepted");
  const std::int64_t id = body["results"][0]["id"];
  EXPECT_GT(id, 0);

  res = PostMessages(*client_, Auth(), SampleMessage("m1"));
  ASSERT_TRUE(res);
  body = BodyJson(res);
  EXPECT_EQ(body["duplicates"], 1) << res->body;
  EXPECT_EQ(body["results"][0]["status"], "duplicate");
  EXPECT_EQ(body["results"][0]["id"], id);
}

TEST_F(Api, PostAnArrayReportsEachMessage) {
  json bad = SampleMessage("m3");
  bad.erase("from");
  const json batch = json::array(
      {SampleMessage("m1"), SampleMessage("m2"), SampleMessage("m1"), bad, "not an object"});
  auto res = PostMessages(*client_, Auth(), batch);
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  const json body = BodyJson(res);
  EXPECT_EQ(body["accepted"], 2) << res->body;
  EXPECT_EQ(body["duplicates"], 1) << res->body;
  EXPECT_EQ(body["rejected"], 2) << res->body;
  const json& r = body["results"];
  ASSERT_EQ(r.size(), 5u);
  for (std::size_t i = 0; i < r.size(); ++i) {
    EXPECT_EQ(r[i]["index"], i);
  }
  EXPECT_EQ(r[0]["status"], "accepted");
  EXPECT_EQ(r[1]["status"], "accepted");
  EXPECT_EQ(r[2]["status"], "duplicate");
  EXPECT_EQ(r[2]["id"], r[0]["id"]);
  EXPECT_EQ(r[3]["status"], "rejected");
  EXPECT_EQ(r[3]["field"], "from");
  EXPECT_EQ(r[4]["status"], "rejected");
}

TEST_F(Api, MalformedJsonIs400NamingTheByteOffset) {
  auto res = client_->Post("/api/v1/messages", Auth(), R"({"source": "e2e", )", "application/json");
  ExpectError(res, 400, "invalid_argument");
  EXPECT_NE(BodyJson(res)["error"]["message"].get<std::string>().find("byte"), std::string::npos)
      << res->body;
}

// A number too large for a double is a JSON error nlohmann reports as out_of_range, not as a
// parse error: still a 400, and the server stays up.
TEST_F(Api, HugeNumberIs400AndTheServerStaysUp) {
  for (const char* path : {"/api/v1/messages", "/api/v1/holds"}) {
    SCOPED_TRACE(path);
    auto res = client_->Post(path, Auth(), R"({"source": 2e1001})", "application/json");
    ExpectError(res, 400, "invalid_argument");
    EXPECT_NE(BodyJson(res)["error"]["message"].get<std::string>().find("number overflow"),
              std::string::npos)
        << res->body;
  }
  auto health = client_->Get("/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
}

TEST_F(Api, MissingRequiredFieldIs400NamingTheField) {
  json message = SampleMessage("m1");
  message.erase("conversation");
  auto res = PostMessages(*client_, Auth(), message);
  ExpectError(res, 400, "invalid_argument");
  const json body = BodyJson(res);
  EXPECT_EQ(body["error"]["field"], "conversation") << res->body;
  EXPECT_NE(body["error"]["message"].get<std::string>().find("conversation"), std::string::npos);
}

TEST_F(Api, InvalidTimestampIs400NamingSentAt) {
  auto res = PostMessages(*client_, Auth(),
                          SampleMessage("m1", "hello", "+447700900123", "yesterday at 9"));
  ExpectError(res, 400, "invalid_argument");
  const json body = BodyJson(res);
  EXPECT_EQ(body["error"]["field"], "sent_at") << res->body;
  EXPECT_NE(body["error"]["message"].get<std::string>().find("sent_at"), std::string::npos);
}

TEST_F(Api, TenMegabyteTextIsRejectedCleanlyAndTheServerStaysUp) {
  const std::string text(10'000'000, 'x');
  auto res = PostMessages(*client_, Auth(), SampleMessage("big", text));
  ExpectError(res, 400, "invalid_argument");
  EXPECT_EQ(BodyJson(res)["error"]["field"], "text") << res->body.substr(0, 300);
  res = client_->Get("/healthz");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_GT(PostOne(SampleMessage("small")), 0);
}

TEST_F(Api, BodyOverTheLimitIs413AndTheServerStaysUp) {
  const std::string body((std::size_t{64} << 20) + 1, ' ');
  auto res = client_->Post("/api/v1/messages", Auth(), body, "application/json");
  ExpectError(res, 413, "resource_exhausted");
  res = client_->Get("/healthz");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
}

TEST_F(Api, GetMessageByIdReturnsTheCanonicalMessage) {
  const json sent = SampleMessage("m1", "Morning — can you send me the term sheet?");
  const std::int64_t id = PostOne(sent);
  ASSERT_GT(id, 0);
  auto res = client_->Get("/api/v1/messages/" + std::to_string(id), Auth());
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  const json got = BodyJson(res);
  EXPECT_EQ(got["id"], id);
  for (const char* field : {"source", "source_id", "channel", "conversation", "from", "to",
                            "sent_at", "direction", "text", "attachments"}) {
    EXPECT_EQ(got[field], sent[field]) << field;
  }
  EXPECT_GT(got.value("conversation_id", std::int64_t{0}), 0) << res->body;

  ExpectError(client_->Get("/api/v1/messages/999999", Auth()), 404, "not_found");
  ExpectError(client_->Get("/api/v1/messages/abc", Auth()), 400, "invalid_argument");
}

}  // namespace
}  // namespace custos::e2e
