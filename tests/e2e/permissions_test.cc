// SPDX-License-Identifier: Apache-2.0
// Who may do what, against the real `custos serve` (issue 14 §1): API token roles (admin,
// auditor, ingest) and their 403s naming the permission, the actor of device records taken from
// the caller and never from the body, the four-eyes rule of approve-wipe between principals,
// 405 with Allow, and a request without credentials refused before its body is read.
#include <set>
#include <string>
#include <utility>

#include <gtest/gtest.h>

#include "cli/custos_runner.h"
#include "e2e/server_test.h"

namespace custos::e2e {
namespace {

using custos::testing::RunCustos;
using custos::testing::RunResult;
using nlohmann::json;

httplib::Headers Bearer(const std::string& token) { return {{"Authorization", "Bearer " + token}}; }

class PermissionsTest : public ServerTest {
 protected:
  // A new API token of `role` made with `custos tokens create` beside the running server:
  // {id, token}.
  std::pair<std::int64_t, std::string> Token(const std::string& role, const std::string& name) {
    const RunResult r = RunCustos(
        {"tokens", "create", "--role", role, "--name", name, "--json", "--data", dir_.Path()});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    const json t = json::parse(r.out, nullptr, false);
    return {t.value("id", std::int64_t{0}), t.value("token", "")};
  }

  std::string EnrollCorporateAndroid() {
    const json body = {{"person", "alice@example.com"},
                       {"platform", "android"},
                       {"ownership", "corporate"},
                       {"unlisted", true}};
    auto e = client_->Post("/api/v1/devices", Auth(), body.dump(), "application/json");
    EXPECT_TRUE(e && e->status == 201) << (e ? e->body : "no response");
    return BodyJson(e).value("device_id", "");
  }

  httplib::Result Verb(const std::string& device, const std::string& verb,
                       const httplib::Headers& auth, const std::string& body = "") {
    return client_->Post("/api/v1/devices/" + device + "/" + verb, auth, body, "application/json");
  }
};

void ExpectForbidden(const httplib::Result& res, const std::string& permission) {
  ExpectError(res, 403, "permission_denied");
  ASSERT_TRUE(res);
  EXPECT_NE(BodyJson(res)["error"].value("message", "").find(permission), std::string::npos)
      << res->body;
}

TEST_F(PermissionsTest, AnAuditorReadsButCannotChangeAnything) {
  const auto [id, auditor] = Token("auditor", "audit-desk");
  ASSERT_FALSE(auditor.empty());
  auto holds = client_->Get("/api/v1/holds", Bearer(auditor));
  ASSERT_TRUE(holds);
  EXPECT_EQ(holds->status, 200) << holds->body;
  auto checkpoint = client_->Get("/api/v1/log/checkpoint", Bearer(auditor));
  ASSERT_TRUE(checkpoint);
  EXPECT_EQ(checkpoint->status, 200) << checkpoint->body;

  ExpectForbidden(client_->Post("/api/v1/holds", Bearer(auditor),
                                json{{"name", "h"}, {"query", "x"}}.dump(), "application/json"),
                  "holds.manage");
  const auto posted = PostMessages(*client_, Bearer(auditor), SampleMessage("a1"));
  ExpectForbidden(posted, "messages.write");
  EXPECT_NE(BodyJson(posted)["error"].value("message", "").find("token:" + std::to_string(id)),
            std::string::npos)
      << posted->body;
  ExpectForbidden(client_->Post("/api/v1/retention/run", Bearer(auditor),
                                json{{"dry_run", true}}.dump(), "application/json"),
                  "retention.manage");
  ExpectForbidden(client_->Post("/api/v1/policy/reload", Bearer(auditor), "", ""), "policy.manage");
}

TEST_F(PermissionsTest, AnIngestTokenWritesMessagesButCannotReadThem) {
  const auto [id, ingest] = Token("ingest", "bridge");
  (void)id;
  auto posted = PostMessages(*client_, Bearer(ingest), SampleMessage("i1"));
  ASSERT_TRUE(posted);
  ASSERT_EQ(posted->status, 200) << posted->body;
  const std::int64_t message = BodyJson(posted)["results"][0].value("id", std::int64_t{0});
  ASSERT_GT(message, 0);
  ExpectForbidden(client_->Get("/api/v1/messages/" + std::to_string(message), Bearer(ingest)),
                  "messages.read");
  ExpectForbidden(client_->Get("/api/v1/search?q=hello", Bearer(ingest)), "messages.read");
  ExpectForbidden(client_->Get("/api/v1/events", Bearer(ingest)), "events.read");
  // The admin token reads it.
  auto read = client_->Get("/api/v1/messages/" + std::to_string(message), Auth());
  ASSERT_TRUE(read);
  EXPECT_EQ(read->status, 200) << read->body;
}

TEST_F(PermissionsTest, OneTokenCannotApproveTheWipeItAskedFor) {
  const std::string device = EnrollCorporateAndroid();
  ASSERT_FALSE(device.empty());
  ASSERT_EQ(Verb(device, "report-lost", Auth())->status, 200);
  ASSERT_EQ(Verb(device, "confirm-stolen", Auth())->status, 200);
  auto own = Verb(device, "approve-wipe", Auth());
  ExpectError(own, 403, "permission_denied");
  EXPECT_NE(BodyJson(own)["error"].value("message", "").find("reporter"), std::string::npos)
      << own->body;

  const auto [second_id, second] = Token("admin", "second-admin");
  auto approved = Verb(device, "approve-wipe", Bearer(second));
  ASSERT_TRUE(approved);
  ASSERT_EQ(approved->status, 200) << approved->body;
  EXPECT_EQ(BodyJson(approved).value("lost_state", ""), "wiped");

  // The actors on record are the two principals, as their actor strings.
  auto commands = client_->Get("/api/v1/devices/" + device + "/commands", Auth());
  ASSERT_TRUE(commands);
  std::set<std::string> actors;
  const json listed = BodyJson(commands);  // kept: a range-for over BodyJson(...)["items"] dangles
  for (const json& c : listed["items"]) {
    actors.insert(c.value("actor", ""));
  }
  EXPECT_EQ(actors, (std::set<std::string>{"token:1 (admin)", "token:" + std::to_string(second_id) +
                                                                  " (second-admin)"}))
      << commands->body;
}

TEST_F(PermissionsTest, AnActorInTheBodyIsRefused) {
  const std::string device = EnrollCorporateAndroid();
  auto res = Verb(device, "report-lost", Auth(), json{{"actor", "bob"}}.dump());
  ExpectError(res, 400, "invalid_argument");
  EXPECT_NE(BodyJson(res)["error"].value("message", "").find("\"actor\""), std::string::npos)
      << res->body;
  auto shown = client_->Get("/api/v1/devices/" + device, Auth());
  ASSERT_TRUE(shown);
  EXPECT_EQ(BodyJson(shown).value("lost_state", ""), "active");  // nothing happened
}

TEST_F(PermissionsTest, ADeviceCredentialIsTheActorOfTheEmployeesReport) {
  const std::string device = EnrollCorporateAndroid();  // Alice's
  const json body = {{"person", "bob@example.com"},
                     {"platform", "android"},
                     {"ownership", "corporate"},
                     {"unlisted", true}};
  auto e = client_->Post("/api/v1/devices", Auth(), body.dump(), "application/json");
  ASSERT_TRUE(e && e->status == 201);
  const std::string bob_device = BodyJson(e).value("device_id", "");
  auto r =
      client_->Post("/api/v1/device/enroll",
                    json{{"enrollment_token", BodyJson(e).value("enrollment_token", "")}}.dump(),
                    "application/json");
  ASSERT_TRUE(r && r->status == 201);
  const std::string credential = BodyJson(r).value("credential", "");
  // An API token is not a device credential, and a device credential is not an API token.
  ExpectError(client_->Get("/api/v1/me/devices", Auth()), 401, "unauthenticated");
  ExpectError(client_->Get("/api/v1/holds", Bearer(credential)), 401, "unauthenticated");
  // Another person's device is not theirs to report.
  ExpectError(
      client_->Post("/api/v1/me/devices/" + device + "/report-lost", Bearer(credential), "", ""),
      404, "not_found");
  auto lost = client_->Post("/api/v1/me/devices/" + bob_device + "/report-lost", Bearer(credential),
                            "", "");
  ASSERT_TRUE(lost);
  ASSERT_EQ(lost->status, 200) << lost->body;
  auto commands = client_->Get("/api/v1/devices/" + bob_device + "/commands", Auth());
  ASSERT_TRUE(commands);
  const json items = BodyJson(commands)["items"];
  ASSERT_EQ(items.size(), 1u) << commands->body;
  EXPECT_EQ(items[0].value("actor", ""), "device:" + bob_device);
  // The device reported it, so an admin token may approve its wipe.
  ASSERT_EQ(Verb(bob_device, "confirm-stolen", Auth())->status, 200);
  EXPECT_EQ(Verb(bob_device, "approve-wipe", Auth())->status, 200);
}

TEST_F(PermissionsTest, MethodsAndUnauthenticatedBodies) {
  auto put = client_->Put("/api/v1/holds", Auth(), "{}", "application/json");
  ExpectError(put, 405, "invalid_argument");
  EXPECT_EQ(put->get_header_value("Allow"), "GET, HEAD, POST");
  ExpectError(client_->Delete("/api/v1/nothing-here", Auth()), 404, "not_found");
  // Refused before the body is read: 401 with the challenge.
  auto anonymous = client_->Post("/api/v1/messages", SampleMessage("x").dump(), "application/json");
  ExpectError(anonymous, 401, "unauthenticated");
  EXPECT_EQ(anonymous->get_header_value("WWW-Authenticate"), "Bearer realm=\"custos\"");
  // HEAD answers as GET does, without a body.
  auto head = client_->Head("/healthz");
  ASSERT_TRUE(head);
  EXPECT_EQ(head->status, 200);
  EXPECT_TRUE(head->body.empty());
  // A revoked token is refused from the next request on.
  const auto [id, token] = Token("auditor", "short-lived");
  ASSERT_EQ(client_->Get("/api/v1/holds", Bearer(token))->status, 200);
  const RunResult revoked =
      RunCustos({"tokens", "revoke", std::to_string(id), "--data", dir_.Path()});
  ASSERT_EQ(revoked.exit_code, 0) << revoked.err;
  ExpectError(client_->Get("/api/v1/holds", Bearer(token)), 401, "unauthenticated");
}

}  // namespace
}  // namespace custos::e2e
