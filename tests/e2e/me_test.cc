// SPDX-License-Identifier: Apache-2.0
// Employees see what is monitored (issue 15), end to end against the real `custos serve`: a
// device credential's GET /api/v1/me (who, devices, identities in full, captured channels, the
// pack in force, retention classes, notices), acknowledging a pack that requires it through
// POST /api/v1/me/acknowledgements (a record in the log; again: the same one), the listing for
// the compliance officer over HTTP and through `custos policy acknowledgements`, and bad input
// (malformed bodies, an actor member, unknown and superseded versions, a principal without a
// person) answered with a JSON error and nothing written.
#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "cli/custos_runner.h"
#include "e2e/server_test.h"
#include "testing/temp_dir.h"

namespace custos::e2e {
namespace {

using nlohmann::json;

httplib::Headers Credential(const std::string& c) { return {{"Authorization", "Bearer " + c}}; }

constexpr const char* kPeopleCsv =
    "name,emails,phones,handles,group,manager\n"
    "Anna Example,anna@example.com,07700 900123,@anna_tg,sales,\n"
    "Ben Other,ben@example.com,07700 900456,@ben_tg,sales,\n";

// A retention class for the sales desk (Anna is a member by her phone) and one for SMS.
constexpr const char* kConfig =
    "retention:\n"
    "  classes:\n"
    "    - name: sales-10y\n"
    "      period: 10y\n"
    "      legal_basis: \"Firm policy 4.2\"\n"
    "      desks: [sales]\n"
    "    - name: sms-90d\n"
    "      period: 90d\n"
    "      legal_basis: \"no need beyond 90 days\"\n"
    "      channels: [sms]\n"
    "desks:\n"
    "  sales: [\"+44 7700 900123\"]\n";

json Pack(bool requires_ack, const std::string& description) {
  std::string yaml = "- pack: handbook\n  description: \"" + description + "\"\n";
  if (requires_ack) {
    yaml += "  requires_acknowledgement: true\n";
  }
  return {{"files", json::array({{{"path", "pack.yaml"}, {"content", yaml}}})}};
}

class MeE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    data_ = dir_.File("data");
    const std::string people = dir_.File("people.csv");
    std::ofstream(people) << kPeopleCsv;
    const custos::testing::RunResult imported = custos::testing::RunCustos(
        {"directory", "import", people, "--data", data_, "--region", "GB"});
    ASSERT_EQ(imported.exit_code, 0) << imported.err;
    std::ofstream(data_ + "/custos.yaml") << kConfig;
    std::string error;
    server_ = CustosProcess::Start(data_, &error);
    ASSERT_NE(server_, nullptr) << error;
    client_ = server_->Client();
  }

  httplib::Result Post(const std::string& path, const std::string& body,
                       const httplib::Headers& headers) {
    return client_->Post(path, headers, body, "application/json");
  }

  // Enrolls a device to `person` and redeems its token: {device id, credential}.
  std::pair<std::string, std::string> Enroll(const std::string& person, bool unlisted = false) {
    json body = {{"person", person}, {"platform", "android"}, {"ownership", "corporate"}};
    if (unlisted) {
      body["unlisted"] = true;
    }
    auto e = Post("/api/v1/devices", body.dump(), server_->Auth());
    EXPECT_TRUE(e && e->status == 201) << (e ? e->body : "no response");
    const json enrolled = BodyJson(e);
    auto r = Post("/api/v1/device/enroll",
                  json{{"enrollment_token", enrolled.value("enrollment_token", "")}}.dump(), {});
    EXPECT_TRUE(r && r->status == 201) << (r ? r->body : "no response");
    return {enrolled.value("device_id", ""), BodyJson(r).value("credential", "")};
  }

  // Applies a one-file pack; returns its version.
  std::string Apply(bool requires_ack, const std::string& description) {
    auto r = Post("/api/v1/policy", Pack(requires_ack, description).dump(), server_->Auth());
    EXPECT_TRUE(r && r->status == 200) << (r ? r->body : "no response");
    return BodyJson(r).value("version", "");
  }

  json Me(const std::string& credential) {
    auto r = client_->Get("/api/v1/me", Credential(credential));
    EXPECT_TRUE(r && r->status == 200) << (r ? r->body : "no response");
    return BodyJson(r);
  }

  json Listing(const std::string& version) {
    auto r = client_->Get("/api/v1/policy/acknowledgements?version=" + version, server_->Auth());
    EXPECT_TRUE(r && r->status == 200) << (r ? r->body : "no response");
    return BodyJson(r);
  }

  std::int64_t TreeSize() {
    auto r = client_->Get("/api/v1/log/checkpoint", server_->Auth());
    EXPECT_TRUE(r && r->status == 200) << (r ? r->body : "no response");
    return BodyJson(r).value("tree_size", std::int64_t{-1});
  }

  custos::testing::TempDir dir_;
  std::string data_;
  std::unique_ptr<CustosProcess> server_;
  std::unique_ptr<httplib::Client> client_;
};

TEST_F(MeE2eTest, ADeviceCredentialSeesWhatIsMonitoredAboutItsPerson) {
  // A message of Anna's, sent before her device is enrolled (so the device gate is not involved).
  json m = SampleMessage("me-1", "the deck for tomorrow");
  m["channel"] = "whatsapp";
  m["direction"] = "outbound";
  m["from"] = "+447700900123";
  m["to"] = json::array({"+447700900999"});
  auto posted = Post("/api/v1/messages", m.dump(), server_->Auth());
  ASSERT_TRUE(posted);
  ASSERT_EQ(posted->status, 200) << posted->body;
  const auto [device, credential] = Enroll("anna@example.com");
  ASSERT_FALSE(credential.empty());

  const json me = Me(credential);
  EXPECT_EQ(me["principal"].value("kind", ""), "device") << me.dump();
  EXPECT_EQ(me["principal"].value("actor", ""), "device:" + device);
  EXPECT_EQ(me["principal"].value("display_name", ""), "Anna Example");
  EXPECT_EQ(me["principal"]["roles"], json::array({"device"}));
  EXPECT_EQ(me["person"].value("name", ""), "Anna Example");
  EXPECT_EQ(me["person"].value("group", ""), "sales");
  ASSERT_EQ(me["devices"].size(), 1u);
  EXPECT_EQ(me["devices"][0].value("device_id", ""), device);
  // Her own identities, in full (she is the person reading).
  const std::string identities = me["identities"].dump();
  EXPECT_NE(identities.find(R"({"kind":"phone","value":"+447700900123"})"), std::string::npos)
      << identities;
  EXPECT_NE(identities.find(R"({"kind":"email","value":"anna@example.com"})"), std::string::npos)
      << identities;
  EXPECT_EQ(identities.find("ben@example.com"), std::string::npos) << identities;
  ASSERT_EQ(me["channels"].size(), 1u) << me["channels"].dump();
  EXPECT_EQ(me["channels"][0].value("channel", ""), "whatsapp");
  EXPECT_EQ(me["channels"][0].value("messages", 0), 1);
  // The built-in pack is in force and does not ask for acknowledgement.
  EXPECT_FALSE(me["policy"].value("version", "").empty()) << me["policy"].dump();
  EXPECT_FALSE(me["policy"].value("requires_acknowledgement", true));
  // Retention: the longest class first, the sales desk is hers, the default last.
  const json& retention = me["retention"];
  ASSERT_EQ(retention.size(), 3u) << retention.dump();
  EXPECT_EQ(retention[0].value("class", ""), "sales-10y");
  EXPECT_TRUE(retention[0].value("my_desk", false));
  EXPECT_EQ(retention[1].value("class", ""), "sms-90d");
  EXPECT_EQ(retention[1]["channels"], json::array({"sms"}));
  EXPECT_EQ(retention[2].value("class", ""), "default");
  EXPECT_EQ(retention[2].value("period", ""), "7y");
  // No posture yet: the device rules are unknown, so there are remediation notices.
  EXPECT_TRUE(me["notices"].is_array());
  for (const json& n : me["notices"]) {
    EXPECT_EQ(n.value("kind", ""), "device_remediation") << n.dump();
    EXPECT_EQ(n.value("device_id", ""), device);
  }
}

TEST_F(MeE2eTest, AnEmployeeAcknowledgesThePackInForceOnceAndTheOfficerSeesWhoHasNot) {
  const auto [device, credential] = Enroll("anna@example.com");
  const std::string v1 = Apply(true, "handbook 2026");
  ASSERT_FALSE(v1.empty());

  json me = Me(credential);
  EXPECT_EQ(me["policy"].value("version", ""), v1);
  EXPECT_TRUE(me["policy"].value("requires_acknowledgement", false));
  EXPECT_FALSE(me["policy"].value("acknowledged", true));
  EXPECT_NE(me["notices"].dump().find("policy_acknowledgement"), std::string::npos);

  const std::int64_t before = TreeSize();
  auto first =
      Post("/api/v1/me/acknowledgements", json{{"version", v1}}.dump(), Credential(credential));
  ASSERT_TRUE(first);
  ASSERT_EQ(first->status, 201) << first->body;
  const json ack = BodyJson(first);
  EXPECT_TRUE(ack.value("created", false));
  const std::int64_t record = ack.value("record_id", std::int64_t{0});
  EXPECT_GT(record, 0);

  // The record is in the log, sealed, with the principal as its actor.
  auto shown =
      client_->Get("/api/v1/records/" + std::to_string(record) + "/canonical", server_->Auth());
  ASSERT_TRUE(shown);
  ASSERT_EQ(shown->status, 200) << shown->body;
  EXPECT_NE(shown->body.find("policy_acknowledgement"), std::string::npos) << shown->body;
  EXPECT_NE(shown->body.find("device:" + device), std::string::npos) << shown->body;

  // Again: the same acknowledgement, nothing written.
  auto again =
      Post("/api/v1/me/acknowledgements", json{{"version", v1}}.dump(), Credential(credential));
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 200) << again->body;
  EXPECT_FALSE(BodyJson(again).value("created", true));
  EXPECT_EQ(BodyJson(again).value("record_id", std::int64_t{0}), record);

  me = Me(credential);
  EXPECT_TRUE(me["policy"].value("acknowledged", false)) << me["policy"].dump();
  EXPECT_EQ(me["policy"]["acknowledgement"].value("record_id", std::int64_t{0}), record);
  EXPECT_EQ(me["notices"].dump().find("policy_acknowledgement"), std::string::npos);

  // The compliance officer: Anna acknowledged, Ben not yet.
  const json listing = Listing(v1);
  EXPECT_TRUE(listing.value("in_force", false));
  EXPECT_EQ(listing.value("acknowledged", 0), 1) << listing.dump();
  EXPECT_EQ(listing.value("pending", 0), 1);
  ASSERT_EQ(listing["items"].size(), 2u);
  EXPECT_EQ(listing["items"][0].value("name", ""), "Anna Example");
  EXPECT_TRUE(listing["items"][0].value("acknowledged", false));
  EXPECT_EQ(listing["items"][0].value("record_id", std::int64_t{0}), record);
  EXPECT_EQ(listing["items"][1].value("name", ""), "Ben Other");
  EXPECT_FALSE(listing["items"][1].value("acknowledged", true));
  EXPECT_TRUE(listing["items"][1]["acknowledged_at"].is_null());

  // The CLI beside the running server says the same.
  const custos::testing::RunResult cli = custos::testing::RunCustos(
      {"policy", "acknowledgements", "--version", v1, "--data", data_, "--json"});
  ASSERT_EQ(cli.exit_code, 0) << cli.err;
  EXPECT_EQ(json::parse(cli.out), listing);
  const custos::testing::RunResult text =
      custos::testing::RunCustos({"policy", "acknowledgements", "--version", v1, "--data", data_});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("1 acknowledged, 1 not yet"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("not yet"), std::string::npos) << text.out;

  // A new version supersedes it: acknowledging the old one is refused, nothing written.
  const std::string v2 = Apply(true, "handbook 2027");
  ASSERT_NE(v2, v1);
  const std::int64_t size = TreeSize();
  auto stale =
      Post("/api/v1/me/acknowledgements", json{{"version", v1}}.dump(), Credential(credential));
  ExpectError(stale, 409, "failed_precondition");
  EXPECT_NE(BodyJson(stale)["error"].value("message", "").find("superseded"), std::string::npos);
  EXPECT_EQ(BodyJson(stale)["error"].value("field", ""), "version");
  EXPECT_EQ(TreeSize(), size);
  EXPECT_FALSE(Me(credential)["policy"].value("acknowledged", true));
  EXPECT_GT(size, before);
}

TEST_F(MeE2eTest, BadAcknowledgementsAreClearErrorsAndWriteNothing) {
  const auto [device, credential] = Enroll("anna@example.com");
  const std::string v1 = Apply(true, "handbook 2026");
  const std::string plain = "{\"version\":\"" + v1 + "\"}";
  // Enrolled first: enrolling writes device events.
  const auto [unlisted, unlisted_credential] = Enroll("+447700900777", true);
  const std::int64_t size = TreeSize();
  const auto ack = [&](const std::string& body, const httplib::Headers& who) {
    return Post("/api/v1/me/acknowledgements", body, who);
  };
  ExpectError(ack("{\"version\":", Credential(credential)), 400, "invalid_argument");
  ExpectError(ack("[]", Credential(credential)), 400, "invalid_argument");
  ExpectError(ack("{}", Credential(credential)), 400, "invalid_argument");
  ExpectError(ack("{\"version\":42}", Credential(credential)), 400, "invalid_argument");
  ExpectError(ack("{\"version\":\"" + v1 + "\",\"extra\":1}", Credential(credential)), 400,
              "invalid_argument");
  auto actor =
      ack("{\"version\":\"" + v1 + "\",\"actor\":\"someone else\"}", Credential(credential));
  ExpectError(actor, 400, "invalid_argument");
  EXPECT_EQ(BodyJson(actor)["error"].value("field", ""), "actor");
  auto unknown = ack("{\"version\":\"" + std::string(64, 'a') + "\"}", Credential(credential));
  ExpectError(unknown, 404, "not_found");
  EXPECT_EQ(BodyJson(unknown)["error"].value("field", ""), "version");
  // Wrong principal kinds: an API token has no person; a device enrolled unlisted neither.
  auto token = ack(plain, server_->Auth());
  ExpectError(token, 403, "permission_denied");
  EXPECT_EQ(BodyJson(token)["error"].value("field", ""), "principal");
  ExpectError(ack(plain, Credential(unlisted_credential)), 403, "permission_denied");
  ExpectError(ack(plain, Credential("cdc_not-a-credential")), 401, "unauthenticated");
  ExpectError(ack(plain, {}), 401, "unauthenticated");
  EXPECT_EQ(TreeSize(), size);
  EXPECT_EQ(Listing(v1).value("acknowledged", -1), 0);

  // A pack that does not ask for acknowledgement cannot be acknowledged.
  const std::string v2 = Apply(false, "no acknowledgement");
  const std::int64_t applied = TreeSize();
  ExpectError(ack("{\"version\":\"" + v2 + "\"}", Credential(credential)), 409,
              "failed_precondition");
  EXPECT_EQ(TreeSize(), applied);

  // The listing: the version is required and must be known.
  ExpectError(client_->Get("/api/v1/policy/acknowledgements", server_->Auth()), 400,
              "invalid_argument");
  ExpectError(client_->Get("/api/v1/policy/acknowledgements?version=nope", server_->Auth()), 404,
              "not_found");
  ExpectError(client_->Get("/api/v1/policy/acknowledgements?version=" + v1, Credential(credential)),
              401, "unauthenticated");
  const custos::testing::RunResult cli = custos::testing::RunCustos(
      {"policy", "acknowledgements", "--version", "nope", "--data", data_});
  EXPECT_EQ(cli.exit_code, 66) << cli.err;
  EXPECT_NE(cli.err.find("was ever in force"), std::string::npos) << cli.err;
}

TEST_F(MeE2eTest, VerifyChecksTheAcknowledgementRowsAgainstTheirRecords) {
  const auto [device, credential] = Enroll("anna@example.com");
  const std::string v1 = Apply(true, "handbook 2026");
  auto ack =
      Post("/api/v1/me/acknowledgements", json{{"version", v1}}.dump(), Credential(credential));
  ASSERT_TRUE(ack);
  ASSERT_EQ(ack->status, 201) << ack->body;
  client_.reset();
  ASSERT_EQ(server_->Terminate(SIGTERM, std::chrono::seconds(30)), 0);
  server_.reset();
  const custos::testing::RunResult clean = custos::testing::RunCustos({"verify", "--data", data_});
  EXPECT_EQ(clean.exit_code, 0) << clean.out << clean.err;

  // The row says someone else acknowledged it: verify names the row and the record.
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((data_ + "/custos.db").c_str(), &db), SQLITE_OK);
  char* error = nullptr;
  ASSERT_EQ(sqlite3_exec(db, "UPDATE policy_acknowledgements SET person_id = person_id + 1",
                         nullptr, nullptr, &error),
            SQLITE_OK)
      << (error != nullptr ? error : "");
  sqlite3_close(db);
  const custos::testing::RunResult tampered =
      custos::testing::RunCustos({"verify", "--data", data_});
  EXPECT_EQ(tampered.exit_code, 3) << tampered.out << tampered.err;
  EXPECT_NE((tampered.out + tampered.err).find("policy_acknowledgements row"), std::string::npos)
      << tampered.out << tampered.err;
  EXPECT_NE((tampered.out + tampered.err).find("person_id"), std::string::npos);
}

TEST_F(MeE2eTest, AnApiTokenIsAnsweredWhoItIsWithNoPerson) {
  auto r = client_->Get("/api/v1/me", server_->Auth());
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  const json me = BodyJson(r);
  EXPECT_EQ(me["principal"].value("kind", ""), "token");
  // The first-start token: the operator's break-glass roles (docs/access.md).
  EXPECT_EQ(me["principal"]["roles"], json::array({"admin", "compliance_officer", "ingest"}));
  EXPECT_TRUE(me["person"].is_null());
  EXPECT_TRUE(me["devices"].empty());
  EXPECT_TRUE(me["identities"].empty());
  ExpectError(client_->Get("/api/v1/me?x=1", server_->Auth()), 400, "invalid_argument");
}

}  // namespace
}  // namespace custos::e2e
