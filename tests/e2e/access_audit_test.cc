// SPDX-License-Identifier: Apache-2.0
// The access audit against the real binary (issue 15, docs/access.md "The access audit"): each
// read of message content through the API is an `access` record that `custos audit list` and
// GET /api/v1/audit/access show with the right actor, purpose and record ids; a permission
// refusal is an `access_refused` record; `custos verify` covers them, so editing an access
// record's bytes in the database makes it fail. (Reviewer scope is tested in process,
// src/http/content_access_test.cc, until API tokens can carry a scope.)
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include <signal.h>
#include <sqlite3.h>

#include "cli/custos_runner.h"
#include "e2e/server_test.h"

namespace custos::e2e {
namespace {

using nlohmann::json;
using testing::RunCustos;

class AccessAudit : public ServerTest {
 protected:
  json AuditList(const std::vector<std::string>& filters) {
    std::vector<std::string> args = {"audit", "list", "--json", "--data", dir_.Path()};
    args.insert(args.end(), filters.begin(), filters.end());
    const testing::RunResult r = RunCustos(args);
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    return json::parse(r.out, nullptr, false);
  }
};

TEST_F(AccessAudit, EachReadIsRecordedAndVerifyCoversIt) {
  const std::int64_t first = PostOne(SampleMessage("a1", "quarterly numbers attached"));
  const std::int64_t second = PostOne(SampleMessage("a2", "lunch on friday"));
  ASSERT_GT(first, 0);
  ASSERT_GT(second, 0);
  httplib::Headers auth = Auth();
  auth.emplace("X-Custos-Purpose", "matter 7");
  auto got = client_->Get("/api/v1/messages/" + std::to_string(first), auth);
  ASSERT_TRUE(got);
  ASSERT_EQ(got->status, 200) << got->body;
  const std::int64_t first_record = BodyJson(got).value("record_id", std::int64_t{0});
  auto found = client_->Get("/api/v1/search?q=quarterly", Auth());
  ASSERT_TRUE(found);
  ASSERT_EQ(found->status, 200) << found->body;

  // Who read the first message's record? Both reads, newest first, with the API's token.
  const json by_record = AuditList({"--record", std::to_string(first_record)});
  ASSERT_TRUE(by_record.is_object());
  ASSERT_EQ(by_record["items"].size(), 2u) << by_record.dump();
  const json search = by_record["items"][0]["record"]["body"];
  const json read = by_record["items"][1]["record"]["body"];
  EXPECT_EQ(search["action"], "search");
  EXPECT_EQ(search["query"], "quarterly");
  EXPECT_EQ(read["action"], "message");
  EXPECT_EQ(read["purpose"], "matter 7");
  EXPECT_EQ(read["client"], "127.0.0.1");
  EXPECT_EQ(read["message_ids"], json::array({first}));
  EXPECT_EQ(read["record_ids"], json::array({first_record}));
  EXPECT_EQ(read["actor"].get<std::string>().rfind("token:", 0), 0u) << read.dump();
  const std::string actor = read["actor"].get<std::string>();
  // The same through the API, by user; each with its log index for an inclusion proof.
  // The access audit is the auditor's (audit.read), not the break-glass token's.
  const testing::RunResult auditor = RunCustos({"tokens", "create", "--role", "auditor", "--name",
                                                "audit-desk", "--json", "--data", dir_.Path()});
  ASSERT_EQ(auditor.exit_code, 0) << auditor.err;
  const httplib::Headers audit_auth{
      {"Authorization", "Bearer " + json::parse(auditor.out).value("token", "")}};
  auto api =
      client_->Get("/api/v1/audit/access?user=" + actor.substr(0, actor.find(' ')), audit_auth);
  ASSERT_TRUE(api);
  ASSERT_EQ(api->status, 200) << api->body;
  const json listed = BodyJson(api)["items"];
  ASSERT_EQ(listed.size(), 2u) << api->body;
  const std::int64_t access_record = listed[1]["record_id"];
  EXPECT_EQ(listed[1]["log_index"], access_record - 1);
  int proof_status = 0;
  std::string proof_body;
  for (int i = 0; i < 200; ++i) {  // the first checkpoint is written within about a second
    auto proof =
        client_->Get("/api/v1/log/proof/inclusion/" + std::to_string(access_record), Auth());
    ASSERT_TRUE(proof);
    proof_status = proof->status;
    proof_body = proof->body;
    if (proof_status != 404) {
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(proof_status, 200) << proof_body;
  // The second message was never read.
  const json second_reads = AuditList({"--message", std::to_string(second)});
  EXPECT_TRUE(second_reads["items"].empty()) << second_reads.dump();

  // A refusal is recorded too: a token of the ingest role may not read messages.
  ASSERT_EQ(server_->Terminate(SIGTERM, std::chrono::seconds(20)), 0);
  const testing::RunResult token = RunCustos({"tokens", "create", "--role", "ingest", "--name",
                                              "feeder", "--json", "--data", dir_.Path()});
  ASSERT_EQ(token.exit_code, 0) << token.out << token.err;
  const json feeder_token = json::parse(token.out);
  const std::string feeder = feeder_token.value("token", "");
  const std::string feeder_actor = "token:" + std::to_string(feeder_token.value("id", 0));
  std::string error;
  server_ = CustosProcess::Start(dir_.Path(), &error);
  ASSERT_NE(server_, nullptr) << error;
  client_ = server_->Client();
  auto refused = client_->Get("/api/v1/messages/" + std::to_string(first),
                              httplib::Headers{{"Authorization", "Bearer " + feeder}});
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 403);
  json refusals;
  for (int i = 0; i < 100; ++i) {  // queued, not waited for: committed with the next group
    refusals = AuditList({"--user", feeder_actor});
    if (!refusals["items"].empty()) {
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_EQ(refusals["items"].size(), 1u) << refusals.dump();
  EXPECT_EQ(refusals["items"][0]["kind"], "access_refused");
  EXPECT_EQ(refusals["items"][0]["record"]["body"]["route"], "GET /api/v1/messages/{id}");
  EXPECT_EQ(refusals["items"][0]["record"]["body"]["permission"], "messages.read");
  ASSERT_EQ(server_->Terminate(SIGTERM, std::chrono::seconds(20)), 0);

  // verify covers the access records: intact now, failing once one's bytes are edited.
  const testing::RunResult ok = RunCustos({"verify", "--data", dir_.Path()});
  EXPECT_EQ(ok.exit_code, 0) << ok.out << ok.err;
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir_.Path() + "/custos.db").c_str(), &db), SQLITE_OK);
  const std::string edit =
      "UPDATE records SET payload = CAST(payload AS BLOB) || X'00' WHERE id = " +
      std::to_string(access_record);
  char* sql_error = nullptr;
  ASSERT_EQ(sqlite3_exec(db, edit.c_str(), nullptr, nullptr, &sql_error), SQLITE_OK)
      << (sql_error != nullptr ? sql_error : "");
  sqlite3_close(db);
  const testing::RunResult tampered = RunCustos({"verify", "--data", dir_.Path()});
  EXPECT_NE(tampered.exit_code, 0) << tampered.out << tampered.err;
  EXPECT_NE((tampered.out + tampered.err).find("record " + std::to_string(access_record)),
            std::string::npos)
      << tampered.out << tampered.err;
}

}  // namespace
}  // namespace custos::e2e
