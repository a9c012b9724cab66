// SPDX-License-Identifier: Apache-2.0
// The search language, GET /api/v1/verdicts and the query parameters of every list endpoint,
// through the real `custos serve` (issue 13, items 15-17): a query or parameter the server does
// not understand is a 400 naming it, never "no matches"; to:, direction:, negation, prefixes,
// OR and the verdict filters (rule:, flagged:, action:, severity:) select what they say.
#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "e2e/server_test.h"

namespace custos::e2e {
namespace {

using nlohmann::json;

constexpr const char* kClient = "+447700900123";
constexpr const char* kAdvisor = "+447700900045";

json Message(const std::string& id, const std::string& channel, const std::string& conversation,
             const std::string& from, const std::string& to, const std::string& direction,
             const std::string& text, const std::string& sent_at) {
  return {{"source", "e2e"},    {"source_id", id},
          {"channel", channel}, {"conversation", conversation},
          {"from", from},       {"to", {to}},
          {"sent_at", sent_at}, {"direction", direction},
          {"text", text},       {"attachments", json::array()}};
}

class SearchApi : public ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    if (HasFatalFailure()) {
      return;
    }
    // m1..m5 in time order.
    ids_["zebra"] = PostOne(Message("m1", "sms", "conv-a", kClient, kAdvisor, "inbound",
                                    "Quarterly outlook: guaranteed returns on the zebra fund",
                                    "2026-10-01T09:00:00Z"));
    ids_["guarantee"] =
        PostOne(Message("m2", "whatsapp", "wa-1", kAdvisor, kClient, "outbound",
                        "The guarantee holds, see the attached terms", "2026-10-02T09:00:00Z"));
    ids_["signal"] =
        PostOne(Message("m3", "sms", "conv-b", kClient, kAdvisor, "inbound",
                        "Can you message me on Signal instead?", "2026-10-03T09:00:00Z"));
    ids_["weekly"] = PostOne(Message("m4", "sms", "conv-a", kClient, kAdvisor, "inbound",
                                     "returns are posted weekly", "2026-10-04T09:00:00Z"));
    ids_["telegram"] =
        PostOne(Message("m5", "whatsapp", "wa-1", kClient, kAdvisor, "inbound",
                        "could we continue this chat on Telegram please", "2026-10-05T09:00:00Z"));
  }

  httplib::Result Get(const std::string& path, const httplib::Params& params) {
    return client_->Get(httplib::append_query_params(path, params), Auth());
  }

  // The ids found by GET /api/v1/search?q=..., in the order returned; fails on a non-200.
  std::vector<std::int64_t> Found(const std::string& q) {
    auto res = Get("/api/v1/search", {{"q", q}, {"limit", "100"}});
    std::vector<std::int64_t> out;
    EXPECT_TRUE(res);
    if (!res) {
      return out;
    }
    EXPECT_EQ(res->status, 200) << q << ": " << res->body;
    const json res_body = BodyJson(res);
    for (const json& r : res_body["results"]) {
      out.push_back(r["message"]["id"].get<std::int64_t>());
    }
    return out;
  }

  // The ids of `names`, newest first (the search order).
  std::vector<std::int64_t> Ids(std::vector<std::string> names) {
    std::vector<std::int64_t> out;
    for (const std::string& n : names) {
      out.push_back(ids_.at(n));
    }
    std::sort(out.rbegin(), out.rend());
    return out;
  }

  // A 400 whose message names `offending`.
  void ExpectRejected(const std::string& path, const httplib::Params& params,
                      const std::string& offending) {
    auto res = Get(path, params);
    ExpectError(res, 400, "invalid_argument");
    if (res) {
      EXPECT_NE(BodyJson(res)["error"].value("message", "").find(offending), std::string::npos)
          << path << " should name " << offending << ": " << res->body;
    }
  }

  std::map<std::string, std::int64_t> ids_;
};

TEST_F(SearchApi, BadQueriesAreErrorsNamingTheOffendingPart) {
  for (const auto& [q, offending] : std::vector<std::pair<std::string, std::string>>{
           {"channel:whatsap", "whatsap"},
           {"to:", "to:"},
           {"direction:", "direction:"},
           {"direction:sideways", "sideways"},
           {"sender:anna", "sender:"},
           {"guarantee flagged:maybe", "maybe"},
           {"action:shout", "shout"},
           {"severity:huge", "huge"},
           {"rule:no.such.rule", "no.such.rule"},
           {"gu*", "gu*"},
           {"returns OR", "OR"},
           {"(returns", "("},
       }) {
    ExpectRejected("/api/v1/search", {{"q", q}}, offending);
  }
}

TEST_F(SearchApi, NegationPrefixOrToAndDirection) {
  EXPECT_EQ(Found("guarantee*"), Ids({"zebra", "guarantee"}));
  EXPECT_EQ(Found("guarant*"), Ids({"zebra", "guarantee"}));
  EXPECT_EQ(Found("guarantee"), Ids({"guarantee"}));  // a word is still a whole word
  EXPECT_EQ(Found("returns"), Ids({"zebra", "weekly"}));
  EXPECT_EQ(Found("returns -guaranteed"), Ids({"weekly"}));
  EXPECT_EQ(Found("returns NOT zebra"), Ids({"weekly"}));
  EXPECT_EQ(Found("-channel:sms"), Ids({"guarantee", "telegram"}));
  EXPECT_EQ(Found("channel:sms -returns"), Ids({"signal"}));
  EXPECT_EQ(Found("-\"guaranteed returns\" returns"), Ids({"weekly"}));
  EXPECT_EQ(Found("zebra OR signal"), Ids({"zebra", "signal"}));
  EXPECT_EQ(Found("channel:whatsapp OR zebra"), Ids({"zebra", "guarantee", "telegram"}));
  EXPECT_EQ(Found("(zebra OR telegram) channel:whatsapp"), Ids({"telegram"}));
  EXPECT_EQ(Found("direction:outbound"), Ids({"guarantee"}));
  EXPECT_EQ(Found("direction:inbound guarante*"), Ids({"zebra"}));
  EXPECT_EQ(Found(std::string("to:") + kClient), Ids({"guarantee"}));
  EXPECT_EQ(Found(std::string("to:") + kAdvisor), Ids({"zebra", "signal", "weekly", "telegram"}));
  EXPECT_EQ(Found(std::string("from:") + kAdvisor + " OR weekly"), Ids({"guarantee", "weekly"}));
}

TEST_F(SearchApi, VerdictFiltersInSearch) {
  // Inbound requests to move off-channel are flagged for review (off-channel.client-request).
  const std::vector<std::int64_t> flagged = Found("flagged:yes");
  ASSERT_EQ(flagged, Ids({"signal", "telegram"}));
  EXPECT_EQ(Found("rule:off-channel.client-request"), flagged);
  EXPECT_EQ(Found("action:flag"), flagged);
  EXPECT_EQ(Found("severity:medium channel:sms"), Ids({"signal"}));
  EXPECT_EQ(Found("flagged:no channel:sms"), Ids({"zebra", "weekly"}));
  EXPECT_EQ(Found("-flagged:yes guarante*"), Ids({"zebra", "guarantee"}));
  EXPECT_TRUE(Found("action:block").empty());
}

TEST_F(SearchApi, VerdictsAreListedWithTheirFilters) {
  auto res = Get("/api/v1/verdicts", {});
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  json body = BodyJson(res);
  ASSERT_EQ(body["items"].size(), 2u) << res->body;
  const json& first = body["items"][0];  // newest first
  EXPECT_EQ(first["message_id"], ids_["telegram"]);
  EXPECT_EQ(first["channel"], "whatsapp");
  EXPECT_EQ(first["action"], "flag");
  EXPECT_EQ(first["severity"], "medium");
  EXPECT_EQ(first["rules"], json::array({"off-channel.client-request"}));
  ASSERT_TRUE(first["verdict"].is_object()) << first;
  const json& hit = first["verdict"]["hits"][0];
  EXPECT_EQ(hit["rule"], "off-channel.client-request");
  EXPECT_FALSE(hit["clause"].get<std::string>().empty());
  ASSERT_FALSE(hit["evidence"].empty()) << hit;
  EXPECT_LT(hit["evidence"][0]["begin"].get<int>(), hit["evidence"][0]["end"].get<int>());
  EXPECT_TRUE(body["next_cursor"].is_null());

  const auto listed = [&](const httplib::Params& params) {
    auto r = Get("/api/v1/verdicts", params);
    std::vector<std::int64_t> out;
    EXPECT_TRUE(r && r->status == 200) << (r ? r->body : "no response");
    if (r) {
      const json r_body = BodyJson(r);
      for (const json& item : r_body["items"]) {
        out.push_back(item["message_id"].get<std::int64_t>());
      }
    }
    return out;
  };
  EXPECT_EQ(listed({{"channel", "sms"}}), Ids({"signal"}));
  EXPECT_EQ(listed({{"channel", "WhatsApp"}}), Ids({"telegram"}));
  EXPECT_EQ(listed({{"rule", "off-channel.client-request"}}), Ids({"signal", "telegram"}));
  EXPECT_TRUE(listed({{"rule", "promissory.guarantees"}}).empty());
  EXPECT_EQ(listed({{"severity", "medium"}, {"action", "flag"}}), Ids({"signal", "telegram"}));
  EXPECT_TRUE(listed({{"severity", "high"}}).empty());
  EXPECT_EQ(listed({{"person", kClient}}), Ids({"signal", "telegram"}));
  EXPECT_TRUE(listed({{"person", kAdvisor}}).empty());
  EXPECT_EQ(listed({{"since", "2026-10-04"}}), Ids({"telegram"}));
  EXPECT_EQ(listed({{"until", "2026-10-03"}}), Ids({"signal"}));  // the day is included
  EXPECT_EQ(listed({{"since", "2026-10-03T09:00:00Z"}, {"until", "2026-10-05T09:00:00Z"}}),
            Ids({"signal"}));

  // Paginated with the API's cursor and limit.
  auto page1 = Get("/api/v1/verdicts", {{"limit", "1"}});
  ASSERT_TRUE(page1 && page1->status == 200);
  const json p1 = BodyJson(page1);
  ASSERT_EQ(p1["items"].size(), 1u);
  ASSERT_TRUE(p1["next_cursor"].is_string()) << p1;
  auto page2 =
      Get("/api/v1/verdicts", {{"limit", "1"}, {"cursor", p1["next_cursor"].get<std::string>()}});
  ASSERT_TRUE(page2 && page2->status == 200);
  EXPECT_EQ(BodyJson(page2)["items"][0]["message_id"], ids_["signal"]);

  ExpectRejected("/api/v1/verdicts", {{"severity", "huge"}}, "huge");
  ExpectRejected("/api/v1/verdicts", {{"action", "shout"}}, "shout");
  ExpectRejected("/api/v1/verdicts", {{"channel", "whatsap"}}, "whatsap");
  ExpectRejected("/api/v1/verdicts", {{"rule", "no.such.rule"}}, "no.such.rule");
  ExpectRejected("/api/v1/verdicts", {{"since", "yesterday"}}, "since");
  ExpectRejected("/api/v1/verdicts", {{"date", "2026-10-01"}}, "date");
  ExpectRejected("/api/v1/verdicts", {{"cursor", "nonsense"}}, "cursor");
}

TEST_F(SearchApi, ConversationPagesCarryEachMessagesVerdict) {
  auto res = Get("/api/v1/conversations", {{"channel", "whatsapp"}});
  ASSERT_TRUE(res && res->status == 200) << (res ? res->body : "no response");
  const json conversations = BodyJson(res)["items"];
  ASSERT_EQ(conversations.size(), 1u) << conversations;
  const std::string id = std::to_string(conversations[0]["id"].get<std::int64_t>());
  auto page = Get("/api/v1/conversations/" + id + "/messages", {});
  ASSERT_TRUE(page && page->status == 200) << (page ? page->body : "no response");
  const json items = BodyJson(page)["items"];
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0]["id"], ids_["telegram"]);
  ASSERT_TRUE(items[0]["verdict"].is_object()) << items[0];
  EXPECT_EQ(items[0]["verdict"]["action"], "flag");
  EXPECT_EQ(items[0]["verdict"]["hits"][0]["rule"], "off-channel.client-request");
  EXPECT_FALSE(items[0]["verdict"]["hits"][0]["clause"].get<std::string>().empty());
  EXPECT_TRUE(items[1].contains("verdict"));
  EXPECT_TRUE(items[1]["verdict"].is_null()) << items[1];

  // The message history carries verdicts too.
  auto history = Get("/api/v1/messages/" + std::to_string(ids_["signal"]) + "/history", {});
  ASSERT_TRUE(history && history->status == 200);
  EXPECT_EQ(BodyJson(history)["items"][0]["verdict"]["hits"][0]["rule"],
            "off-channel.client-request");
}

TEST_F(SearchApi, ConversationFilters) {
  const auto listed = [&](const httplib::Params& params) {
    auto r = Get("/api/v1/conversations", params);
    std::set<std::string> out;
    EXPECT_TRUE(r && r->status == 200) << (r ? r->body : "no response");
    if (r) {
      const json r_body = BodyJson(r);
      for (const json& c : r_body["items"]) {
        out.insert(c["conversation"].get<std::string>());
      }
    }
    return out;
  };
  using Set = std::set<std::string>;
  EXPECT_EQ(listed({}), (Set{"conv-a", "conv-b", "wa-1"}));
  EXPECT_EQ(listed({{"channel", "sms"}}), (Set{"conv-a", "conv-b"}));
  EXPECT_EQ(listed({{"channel", "whatsapp"}}), (Set{"wa-1"}));
  EXPECT_EQ(listed({{"channel", "telegram"}}), Set{});
  EXPECT_EQ(listed({{"person", kAdvisor}}), (Set{"conv-a", "conv-b", "wa-1"}));
  EXPECT_EQ(listed({{"person", "+447700900999"}}), Set{});
  // Active at or after the 4th: conv-a (last message on the 4th) and wa-1 (on the 5th).
  EXPECT_EQ(listed({{"since", "2026-10-04"}}), (Set{"conv-a", "wa-1"}));
  EXPECT_EQ(listed({{"until", "2026-10-01"}}), (Set{"conv-a"}));
  EXPECT_EQ(listed({{"channel", "sms"}, {"since", "2026-10-03"}, {"until", "2026-10-03"}}),
            (Set{"conv-a", "conv-b"}));
  ExpectRejected("/api/v1/conversations", {{"channel", "whatsap"}}, "whatsap");
  ExpectRejected("/api/v1/conversations", {{"since", "last week"}}, "since");
  ExpectRejected("/api/v1/conversations", {{"chanel", "sms"}}, "chanel");
}

TEST_F(SearchApi, EveryListEndpointRejectsUnknownParameters) {
  // A device, so that the device routes with an id have something to answer about (enrolled
  // `unlisted`: this test is not about the identity directory, which is empty here).
  auto enrolled = client_->Post("/api/v1/devices", Auth(),
                                json{{"person", "anna@example.com"},
                                     {"platform", "android"},
                                     {"ownership", "personal"},
                                     {"unlisted", true}}
                                    .dump(),
                                "application/json");
  ASSERT_TRUE(enrolled && enrolled->status == 201) << (enrolled ? enrolled->body : "none");
  const std::string device = BodyJson(enrolled)["device_id"].get<std::string>();
  const std::string message = std::to_string(ids_["zebra"]);
  for (const std::string& path :
       {std::string("/api/v1/conversations"), std::string("/api/v1/conversations/1/messages"),
        std::string("/api/v1/search"), std::string("/api/v1/verdicts"),
        std::string("/api/v1/devices"), std::string("/api/v1/compliance/devices"),
        "/api/v1/devices/" + device + "/commands", std::string("/api/v1/holds"),
        std::string("/api/v1/import-runs"), std::string("/api/v1/conversation-labels"),
        "/api/v1/messages/" + message, "/api/v1/messages/" + message + "/history",
        std::string("/api/v1/events")}) {
    httplib::Params params = {{"bogus_filter", "1"}};
    if (path == "/api/v1/search") {
      params.emplace("q", "zebra");
    }
    auto res = Get(path, params);
    ExpectError(res, 400, "invalid_argument");
    if (res) {
      const json error = BodyJson(res)["error"];
      EXPECT_NE(error.value("message", "").find("bogus_filter"), std::string::npos)
          << path << ": " << res->body;
      EXPECT_EQ(error.value("field", ""), "bogus_filter") << path;
    }
  }
}

TEST_F(SearchApi, DeviceListFilters) {
  for (const auto& [person, platform] : std::vector<std::pair<std::string, std::string>>{
           {"anna@example.com", "android"}, {"ben@example.com", "ios"}}) {
    // `unlisted`: the filters are the subject here, not the identity directory (empty here).
    auto e = client_->Post("/api/v1/devices", Auth(),
                           json{{"person", person},
                                {"platform", platform},
                                {"ownership", "personal"},
                                {"unlisted", true}}
                               .dump(),
                           "application/json");
    ASSERT_TRUE(e && e->status == 201) << (e ? e->body : "no response");
  }
  const auto count = [&](const httplib::Params& params) -> std::size_t {
    auto r = Get("/api/v1/devices", params);
    EXPECT_TRUE(r && r->status == 200) << (r ? r->body : "no response");
    return r ? BodyJson(r)["items"].size() : 0;
  };
  EXPECT_EQ(count({}), 2u);
  EXPECT_EQ(count({{"platform", "android"}}), 1u);
  EXPECT_EQ(count({{"platform", "ios"}}), 1u);
  EXPECT_EQ(count({{"ownership", "corporate"}}), 0u);
  EXPECT_EQ(count({{"lost_state", "active"}}), 2u);
  // Not yet reported: neither compliant nor noncompliant.
  EXPECT_EQ(count({{"state", "noncompliant"}}), 0u);
  EXPECT_EQ(count({{"compliance", "compliant"}}), 0u);
  EXPECT_EQ(count({{"state", "unknown"}}), 2u);
  ExpectRejected("/api/v1/devices", {{"state", "broken"}}, "broken");
  ExpectRejected("/api/v1/devices", {{"platform", "blackberry"}}, "blackberry");
}

}  // namespace
}  // namespace custos::e2e
