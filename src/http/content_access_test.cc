// SPDX-License-Identifier: Apache-2.0
// Reviewer scope and the access audit through the real route handlers, in process: a real data
// directory (SQLite, key ring), a directory with two desks, messages of both, and a principal
// scoped to one desk, built here because API tokens cannot carry a scope yet (the users and
// tokens of issue 15 land separately). Each content route is called as the dispatcher calls it.
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "app/custos.h"
#include "capture/jsonl.h"
#include "http/respond.h"
#include "http/routes.h"
#include "testing/temp_dir.h"

namespace custos::http {
namespace {

using Json = nlohmann::json;

class ContentScopeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    app::OpenOptions options;
    options.data_dir = dir_.Path();
    options.default_policy_pack = app::kNoPolicyPack;
    auto opened = app::Custos::Open(options);
    ASSERT_TRUE(opened.has_value()) << opened.error().ToString();
    custos_ = std::move(opened).value();
    std::vector<directory::PersonEntry> people(2);
    people[0].name = "Anna Rates";
    people[0].emails = {"anna@bank.example"};
    people[0].group = "Rates";
    people[1].name = "Ben Equities";
    people[1].emails = {"ben@bank.example"};
    people[1].group = "Equities";
    ASSERT_TRUE(custos_->directory().ImportPeople(people).has_value());
    rates_ = Ingest("r1", "anna@bank.example", "+447700900001", "rates secret swap");
    equities_ = Ingest("e1", "ben@bank.example", "+447700900002", "equities secret block");
    routes_ = AllRoutes();
    reviewer_.kind = PrincipalKind::kApiToken;
    reviewer_.id = "9";
    reviewer_.name = "rates-reviewer";
    reviewer_.role = "reviewer";
    reviewer_.roles = {"reviewer"};
    reviewer_.permissions = PermissionSet{Permission::kMessagesRead, Permission::kArchiveRead};
    reviewer_.scoped = true;
    reviewer_.scope_groups = {"rates"};
  }

  model::Message Ingest(const std::string& id, const std::string& from, const std::string& to,
                        const std::string& text) {
    const Json j = {{"source", "test"},
                    {"source_id", id},
                    {"channel", "whatsapp"},
                    {"conversation", "conv-" + id},
                    {"from", from},
                    {"to", {to}},
                    {"sent_at", "2026-10-05T09:30:00Z"},
                    {"direction", "outbound"},
                    {"text", text}};
    auto m = capture::DecodeMessage(j.dump());
    EXPECT_TRUE(m.has_value());
    auto out = custos_->ingest().Ingest({*m});
    EXPECT_EQ(out[0].status, app::IngestStatus::kAccepted) << out[0].error;
    auto stored = custos_->store().Get(out[0].id);
    EXPECT_TRUE(stored.has_value() && stored->has_value());
    return **stored;
  }

  // Calls the handler of `pattern` as the dispatcher does; an error becomes its JSON body.
  Response Call(const std::string& pattern, const std::string& path,
                std::vector<std::pair<std::string, std::string>> query = {}) {
    Request req;
    req.method = "GET";
    req.path = path;
    req.query = std::move(query);
    req.remote_addr = "127.0.0.9";
    for (const Route& route : routes_) {
      std::vector<std::pair<std::string, std::string>> params;
      if (route.Pattern() != pattern || !MatchPath(route.path, path, &params)) {
        continue;
      }
      RequestContext ctx{req, reviewer_, "req-1", req.remote_addr, params, *custos_, nullptr};
      core::Result<Response> r = route.handler(ctx);
      if (r.has_value()) {
        return std::move(r).value();
      }
      return ErrorResponse(r.error(), "req-1");
    }
    ADD_FAILURE() << "no route " << pattern;
    return Response{};
  }

  testing::TempDir dir_;
  std::unique_ptr<app::Custos> custos_;
  model::Message rates_;
  model::Message equities_;
  RouteList routes_;
  Principal reviewer_;
};

TEST_F(ContentScopeTest, AnotherDesksMessageIsNotFoundLikeAMissingOne) {
  const Response own =
      Call("GET /api/v1/messages/{id}", "/api/v1/messages/" + std::to_string(rates_.id));
  EXPECT_EQ(own.status, 200) << own.body;
  EXPECT_NE(own.body.find("rates secret swap"), std::string::npos);

  const Response other =
      Call("GET /api/v1/messages/{id}", "/api/v1/messages/" + std::to_string(equities_.id));
  const Response missing = Call("GET /api/v1/messages/{id}", "/api/v1/messages/999");
  EXPECT_EQ(other.status, 404);
  EXPECT_EQ(other.body.find("equities"), std::string::npos) << other.body;
  // The same shape and words as a message that does not exist, the id aside.
  std::string other_body = other.body;
  const std::string id = std::to_string(equities_.id);
  other_body.replace(other_body.find("message " + id), 8 + id.size(), "message 999");
  EXPECT_EQ(other_body, missing.body);

  for (const auto& [pattern, path] : std::vector<std::pair<std::string, std::string>>{
           {"GET /api/v1/messages/{id}/history", "/api/v1/messages/" + id + "/history"},
           {"GET /api/v1/messages/{id}/evidence", "/api/v1/messages/" + id + "/evidence"},
           {"GET /api/v1/records/{id}/canonical",
            "/api/v1/records/" + std::to_string(equities_.record_id) + "/canonical"},
           {"GET /api/v1/conversations/{id}/messages",
            "/api/v1/conversations/" + std::to_string(equities_.conversation_id) + "/messages"}}) {
    const Response r = Call(pattern, path);
    EXPECT_EQ(r.status, 404) << pattern << ": " << r.body;
    EXPECT_EQ(r.body.find("equities"), std::string::npos) << pattern << ": " << r.body;
  }
}

TEST_F(ContentScopeTest, SearchAndConversationsShowOnlyTheDesk) {
  const Response found = Call("GET /api/v1/search", "/api/v1/search", {{"q", "secret"}});
  ASSERT_EQ(found.status, 200) << found.body;
  const Json body = Json::parse(found.body);
  ASSERT_EQ(body["results"].size(), 1u) << found.body;
  EXPECT_EQ(body["results"][0]["message"]["id"], rates_.id);
  EXPECT_TRUE(body["next_cursor"].is_null());
  EXPECT_EQ(found.body.find("equities"), std::string::npos);

  const Response listed = Call("GET /api/v1/conversations", "/api/v1/conversations");
  ASSERT_EQ(listed.status, 200) << listed.body;
  const Json conversations = Json::parse(listed.body)["items"];
  ASSERT_EQ(conversations.size(), 1u) << listed.body;
  EXPECT_EQ(conversations[0]["id"], rates_.conversation_id);

  // An unscoped principal sees both.
  reviewer_.scoped = false;
  const Json all =
      Json::parse(Call("GET /api/v1/search", "/api/v1/search", {{"q", "secret"}}).body);
  EXPECT_EQ(all["results"].size(), 2u);
}

TEST_F(ContentScopeTest, EachReadIsAnAccessRecordWithActorPurposeAndRecords) {
  ASSERT_EQ(Call("GET /api/v1/messages/{id}", "/api/v1/messages/" + std::to_string(rates_.id),
                 {{"purpose", "matter 7"}})
                .status,
            200);
  ASSERT_EQ(Call("GET /api/v1/search", "/api/v1/search", {{"q", "secret"}}).status, 200);
  // A refused read (out of scope) is not a read of content.
  ASSERT_EQ(
      Call("GET /api/v1/messages/{id}", "/api/v1/messages/" + std::to_string(equities_.id)).status,
      404);

  app::AccessListQuery q;
  q.user = "token:9";
  auto listing = custos_->access().List(q);
  ASSERT_TRUE(listing.has_value()) << listing.error().ToString();
  ASSERT_EQ(listing->items.size(), 2u);
  const Json search = Json::parse(listing->items[0].canonical);
  const Json read = Json::parse(listing->items[1].canonical);
  EXPECT_EQ(search["kind"], "access");
  EXPECT_EQ(search["body"]["action"], "search");
  EXPECT_EQ(search["body"]["query"], "secret");
  EXPECT_EQ(search["body"]["results"], 1);
  EXPECT_EQ(search["body"]["record_ids"], Json::array({rates_.record_id}));
  EXPECT_EQ(read["body"]["action"], "message");
  EXPECT_EQ(read["body"]["actor"], "token:9 (rates-reviewer)");
  EXPECT_EQ(read["body"]["roles"], Json::array({"reviewer"}));
  EXPECT_EQ(read["body"]["client"], "127.0.0.9");
  EXPECT_EQ(read["body"]["purpose"], "matter 7");
  EXPECT_EQ(read["body"]["message_ids"], Json::array({rates_.id}));
  EXPECT_EQ(listing->items[1].log_index,
            static_cast<std::uint64_t>(listing->items[1].record_id - 1));

  // "Who read record R?" from the index.
  app::AccessListQuery by_record;
  by_record.record = equities_.record_id;
  auto none = custos_->access().List(by_record);
  ASSERT_TRUE(none.has_value());
  EXPECT_TRUE(none->items.empty());
  by_record.record = rates_.record_id;
  auto both = custos_->access().List(by_record);
  ASSERT_TRUE(both.has_value());
  EXPECT_EQ(both->items.size(), 2u);
}

TEST_F(ContentScopeTest, ATooLongPurposeIsRefusedNamingIt) {
  const Response r =
      Call("GET /api/v1/messages/{id}", "/api/v1/messages/" + std::to_string(rates_.id),
           {{"purpose", std::string(501, 'x')}});
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_NE(r.body.find("purpose"), std::string::npos);
}

}  // namespace
}  // namespace custos::http
