// SPDX-License-Identifier: Apache-2.0
// Legal holds and retention runs over HTTP on the demo data, with a retention class that has
// expired every demo SMS: create, list, release, dry runs, a real run, and 4xx on bad input.
#include <chrono>
#include <ctime>
#include <string>
#include <thread>

#include "cli/custos_runner.h"
#include "e2e/demo_server_test.h"

namespace custos::e2e {
namespace {

using nlohmann::json;

constexpr const char* kConfig = R"(retention:
  schedule: "off"
  classes:
    - name: sms-7d
      period: 7d
      legal_basis: "test: SMS is kept for seven days"
      channels: [sms]
)";

class HoldsApi : public DemoServerTest {
 protected:
  void Prepare(const std::string& data_dir) override {
    custos::testing::WriteFile(data_dir + "/custos.yaml", kConfig);
  }

  json DryRun() { return Ok(Post("/api/v1/retention/run", R"({"dry_run":true})")); }

  // Disposed message records (a message's verdict record is disposed of with it).
  std::int64_t Disposed() {
    return custos::testing::QueryInt(
        data_, "SELECT COUNT(*) FROM records WHERE payload IS NULL AND kind = 'message'");
  }
};

TEST_F(HoldsApi, AHoldKeepsItsConversationOutOfRetentionUntilReleased) {
  const json before = DryRun();
  EXPECT_EQ(before["dry_run"], true);
  ASSERT_GT(before["count"].get<int>(), 0) << before;
  EXPECT_EQ(before["items"][0]["class"], "sms-7d");
  const std::int64_t conversation = before["items"][0]["conversation_id"];

  auto res =
      Post("/api/v1/holds", json({{"name", "Matter 7"}, {"conversation", conversation}}).dump());
  const json hold = Ok(res, 201);
  EXPECT_EQ(res->get_header_value("Location"), "/api/v1/holds/" + hold["id"].dump());
  EXPECT_EQ(hold["scope"], "conversation");
  EXPECT_EQ(hold["conversation_id"], conversation);
  EXPECT_EQ(hold["active"], true);

  const json held = DryRun();
  EXPECT_LT(held["count"].get<int>(), before["count"].get<int>());
  for (const json& item : held["items"]) {
    EXPECT_NE(item["conversation_id"], conversation);
  }
  const json list = Ok(Get("/api/v1/holds"));
  ASSERT_EQ(list["items"].size(), 1U);
  EXPECT_EQ(list["items"][0], hold);

  const std::string release = "/api/v1/holds/" + hold["id"].dump() + "/release";
  const json released = Ok(Post(release, R"({"reason":"matter closed"})"));
  EXPECT_EQ(released["active"], false);
  EXPECT_EQ(released["release_reason"], "matter closed");
  ExpectError(Post(release, ""), 409, "failed_precondition");
  EXPECT_EQ(DryRun()["count"], before["count"]);
  EXPECT_EQ(Disposed(), 0);
}

TEST_F(HoldsApi, ARealRunDisposesAndTheMessageAnswers410) {
  const json run = Ok(Post("/api/v1/retention/run", R"({"dry_run":false})"));
  EXPECT_EQ(run["dry_run"], false);
  ASSERT_GT(run["count"].get<int>(), 0);
  const json& item = run["items"][0];
  EXPECT_GT(item["disposition_record_id"].get<std::int64_t>(), 0);
  EXPECT_EQ(Disposed(), run["count"].get<std::int64_t>());
  ExpectError(Get("/api/v1/messages/" + item["message_id"].dump()), 410, "failed_precondition");
  ExpectError(Get("/api/v1/records/" + item["record_id"].dump() + "/canonical"), 410,
              "failed_precondition");
  ExpectError(Get("/api/v1/messages/" + item["message_id"].dump() + "/history"), 410,
              "failed_precondition");
  const json disposition =
      Ok(Get("/api/v1/log/proof/inclusion/" + item["disposition_record_id"].dump()));
  EXPECT_EQ(disposition["record_id"], item["disposition_record_id"]);
}

TEST_F(HoldsApi, BadRequestsAre4xxAndChangeNothing) {
  for (const char* body :
       {"", "{}", R"({"name":"x"})", R"({"name":"","person":"a"})",
        R"({"name":"x","person":"a","query":"b"})", R"({"name":"x","persn":"a"})",
        R"({"name":"x","conversation":[1]})", R"({"name":7,"person":"a"})", "{oops", "[]"}) {
    ExpectError(Post("/api/v1/holds", body), 400, "invalid_argument");
  }
  ExpectError(Post("/api/v1/holds", R"({"name":"x","conversation":"no such"})"), 404, "not_found");
  ExpectError(Post("/api/v1/holds/999/release", ""), 404, "not_found");
  ExpectError(Post("/api/v1/holds/abc/release", ""), 400, "invalid_argument");
  ExpectError(Post("/api/v1/holds/1/release", R"({"why":"x"})"), 400, "invalid_argument");
  for (const char* body : {"", "{}", R"({"dryrun":true})", R"({"dry_run":"yes"})",
                           R"({"dry_run":true,"force":1})", "nonsense"}) {
    ExpectError(Post("/api/v1/retention/run", body), 400, "invalid_argument");
  }
  ExpectError(client_->Post("/api/v1/holds", R"({"name":"x","person":"a"})", "application/json"),
              401, "unauthenticated");
  EXPECT_TRUE(Ok(Get("/api/v1/holds"))["items"].empty());
  EXPECT_EQ(Disposed(), 0);
}

// Issue 13 item 3: the scheduled run inside `custos serve` keeps flagged messages under their
// rules class while it disposes of the chat class.
class ScheduledRetention : public DemoServerTest {
 protected:
  void Prepare(const std::string& data_dir) override {
    custos::testing::WriteFile(data_dir + "/custos.yaml", R"(retention:
  schedule: 2s
  classes:
    - name: flagged-10y
      period: 10y
      legal_basis: "test: flagged communications, ten years"
      rules: [promissory.guarantees]
    - name: chat-30d
      period: 30d
      legal_basis: "test: chat, thirty days"
      channels: [whatsapp, sms, telegram, slack]
)");
  }

  json DryRun() { return Ok(Post("/api/v1/retention/run", R"({"dry_run":true})")); }

  std::int64_t Count(const std::string& where) {
    return custos::testing::QueryInt(
        data_,
        "SELECT COUNT(*) FROM messages m JOIN records r ON r.id = m.record_id WHERE " + where);
  }
};

TEST_F(ScheduledRetention, KeepsFlaggedMessagesAndDisposesOfTheRest) {
  const std::string flagged =
      "m.id IN (SELECT message_id FROM verdicts WHERE ' ' || rules || ' ' LIKE"
      " '% promissory.guarantees %')";
  const std::string old =
      "m.sent_at < " + std::to_string((std::time(nullptr) - 30 * 86'400) * 1'000'000LL);
  ASSERT_GT(Count(flagged + " AND " + old), 0) << "no old flagged message in the demo";
  const std::int64_t expected = Count(old + " AND NOT " + flagged);
  ASSERT_GT(expected, 0);
  // The first scheduled run starts after the schedule (2 s); wait for it to finish.
  std::int64_t disposed = 0;
  for (int i = 0; i < 120 && disposed < expected; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    disposed = Count("r.payload IS NULL");
  }
  EXPECT_EQ(disposed, expected);
  EXPECT_EQ(Count("r.payload IS NULL AND " + flagged), 0);
  EXPECT_EQ(Count("r.payload IS NULL AND NOT (" + old + ")"), 0);
  const json dry = DryRun();
  EXPECT_EQ(dry["count"], 0) << dry;
}

// Issue 13 item 7 over HTTP: person holds resolve through the directory and report coverage.
TEST_F(HoldsApi, PersonHoldsResolveThroughTheDirectoryAndReportCoverage) {
  const json all = DryRun();
  ASSERT_GT(all["count"].get<int>(), 0);
  for (const char* person : {"Nobody Known", "+447700900999", "447700900999@s.whatsapp.net"}) {
    auto res = Post("/api/v1/holds", json({{"name", "x"}, {"person", person}}).dump());
    ExpectError(res, 404, "not_found");
    ASSERT_TRUE(res);
    EXPECT_NE(res->body.find(person), std::string::npos) << res->body;
  }
  for (const char* body :
       {R"({"name":"x","identities":"+447700900999"})", R"({"name":"x","identities":[]})",
        R"({"name":"x","identities":[7]})", R"({"name":"x","identities":["Aisha Rahman"]})",
        R"({"name":"x","identities":["+44 7700 12"]})"}) {
    ExpectError(Post("/api/v1/holds", body), 400, "invalid_argument");
  }
  EXPECT_TRUE(Ok(Get("/api/v1/holds"))["items"].empty());

  const json by_name =
      Ok(Post("/api/v1/holds", R"({"name":"Matter 9","person":"Aisha Rahman"})"), 201);
  EXPECT_EQ(by_name["person_name"], "Aisha Rahman");
  const std::int64_t covers = by_name["covers"];
  ASSERT_GT(covers, 0);
  const json by_phone =
      Ok(Post("/api/v1/holds", R"({"name":"Matter 9b","person":"07700 900519"})"), 201);
  EXPECT_EQ(by_phone["person_id"], by_name["person_id"]);
  EXPECT_EQ(by_phone["covers"], covers);
  const json raw =
      Ok(Post("/api/v1/holds", R"({"name":"raw","identities":["07700 900999"]})"), 201);
  EXPECT_EQ(raw["person"], "+447700900999");
  EXPECT_EQ(raw["covers"], 0);
  // The sms-7d class: none of her SMS is listed any more.
  const json held = DryRun();
  EXPECT_LT(held["count"].get<int>(), all["count"].get<int>());
  const json list = Ok(Get("/api/v1/holds"));
  ASSERT_EQ(list["items"].size(), 3U);
  EXPECT_EQ(list["items"][0]["covers"], covers);
}

}  // namespace
}  // namespace custos::e2e
