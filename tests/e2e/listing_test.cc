// SPDX-License-Identifier: Apache-2.0
// Reading through the API of the real binary: conversations and their messages (newest first,
// paginated) and full-text search.
#include <set>
#include <string>
#include <vector>

#include "e2e/server_test.h"

namespace custos::e2e {
namespace {

using nlohmann::json;

class Listing : public ServerTest {
 protected:
  // Follows next_cursor from `path` with `limit` until the last page; returns all items.
  std::vector<json> AllPages(const std::string& path, int limit) {
    std::vector<json> items;
    std::string cursor;
    for (int page = 0; page < 100; ++page) {
      httplib::Params params = {{"limit", std::to_string(limit)}};
      if (!cursor.empty()) {
        params.emplace("cursor", cursor);
      }
      const std::string url = httplib::append_query_params(path, params);
      auto res = client_->Get(url, Auth());
      EXPECT_TRUE(res);
      if (!res) {
        break;
      }
      EXPECT_EQ(res->status, 200) << res->body;
      const json body = BodyJson(res);
      EXPECT_LE(body["items"].size(), static_cast<std::size_t>(limit));
      for (const json& item : body["items"]) {
        items.push_back(item);
      }
      if (body["next_cursor"].is_null()) {
        break;
      }
      cursor = body["next_cursor"].get<std::string>();
    }
    return items;
  }
};

TEST_F(Listing, ConversationsArePaginatedNewestFirst) {
  json batch = json::array();
  for (int i = 0; i < 7; ++i) {
    const std::string day = "2026-10-0" + std::to_string(i + 1) + "T09:00:00Z";
    batch.push_back(SampleMessage("c" + std::to_string(i), "hi", "conv-" + std::to_string(i), day));
  }
  auto res = PostMessages(*client_, Auth(), batch);
  ASSERT_TRUE(res);
  ASSERT_EQ(BodyJson(res)["accepted"], 7) << res->body;

  const std::vector<json> items = AllPages("/api/v1/conversations", 3);
  ASSERT_EQ(items.size(), 7u);
  std::set<std::int64_t> ids;
  for (std::size_t i = 0; i < items.size(); ++i) {
    ids.insert(items[i]["id"].get<std::int64_t>());
    EXPECT_EQ(items[i]["conversation"], "conv-" + std::to_string(6 - i)) << items[i];
    EXPECT_EQ(items[i]["channel"], "sms");
    EXPECT_EQ(items[i]["message_count"], 1);
  }
  EXPECT_EQ(ids.size(), 7u);
}

TEST_F(Listing, ConversationMessagesArePaginatedNewestFirst) {
  std::int64_t first = 0;
  for (int i = 0; i < 5; ++i) {
    const std::string at = "2026-10-05T09:0" + std::to_string(i) + ":00Z";
    const std::int64_t id =
        PostOne(SampleMessage("m" + std::to_string(i), "text " + std::to_string(i), "conv-a", at));
    ASSERT_GT(id, 0);
    first = first == 0 ? id : first;
  }
  PostOne(SampleMessage("other", "elsewhere", "conv-b"));
  auto res = client_->Get("/api/v1/messages/" + std::to_string(first), Auth());
  ASSERT_TRUE(res);
  const std::int64_t conversation = BodyJson(res).value("conversation_id", std::int64_t{0});
  ASSERT_GT(conversation, 0) << res->body;

  const std::vector<json> items =
      AllPages("/api/v1/conversations/" + std::to_string(conversation) + "/messages", 2);
  ASSERT_EQ(items.size(), 5u);
  for (std::size_t i = 0; i < items.size(); ++i) {
    EXPECT_EQ(items[i]["source_id"], "m" + std::to_string(4 - i)) << items[i];
    EXPECT_EQ(items[i]["conversation_id"], conversation);
  }
  ExpectError(client_->Get("/api/v1/conversations/999999/messages", Auth()), 404, "not_found");
}

TEST_F(Listing, BadPaginationParametersAre400) {
  for (const char* query : {"limit=0", "limit=501", "limit=ten", "cursor=%21%21not-a-cursor"}) {
    ExpectError(client_->Get(std::string("/api/v1/conversations?") + query, Auth()), 400,
                "invalid_argument");
  }
  ExpectError(client_->Get("/api/v1/conversations/abc/messages", Auth()), 400, "invalid_argument");
}

TEST_F(Listing, SearchFindsAPostedMessage) {
  PostOne(SampleMessage("s1", "Quarterly outlook: guaranteed returns on the zebra fund"));
  PostOne(SampleMessage("s2", "Lunch at noon?"));
  auto res = client_->Get("/api/v1/search?q=zebra", Auth());
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  const json body = BodyJson(res);
  ASSERT_EQ(body["results"].size(), 1u) << res->body;
  const json& hit = body["results"][0];
  EXPECT_EQ(hit["message"]["source_id"], "s1");
  EXPECT_NE(hit["snippet"].get<std::string>().find("zebra"), std::string::npos) << hit;
  EXPECT_GT(hit.value("conversation_id", std::int64_t{0}), 0) << hit;
  EXPECT_TRUE(body["next_cursor"].is_null());

  res = client_->Get("/api/v1/search?q=%22guaranteed%20returns%22%20channel%3Asms", Auth());
  ASSERT_TRUE(res);
  EXPECT_EQ(BodyJson(res)["results"].size(), 1u) << res->body;
}

TEST_F(Listing, BadSearchQueryIs400WithTheParsersMessage) {
  ExpectError(client_->Get("/api/v1/search?q=%22unterminated", Auth()), 400, "invalid_argument");
  ExpectError(client_->Get("/api/v1/search?q=after%3Anot-a-date", Auth()), 400, "invalid_argument");
  ExpectError(client_->Get("/api/v1/search", Auth()), 400, "invalid_argument");
}

}  // namespace
}  // namespace custos::e2e
