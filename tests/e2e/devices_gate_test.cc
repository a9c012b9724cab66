// SPDX-License-Identifier: Apache-2.0
// The device gate and device data at rest, end to end against the real `custos serve` (issue 13,
// items 1, 25 and 30):
//  - a person's lost or blocked device cuts off every spelling of every identity of theirs
//    (E.164, national format, e-mail in any case, each handle), resolved through the directory;
//  - devices are enrolled to directory people (an unknown person is refused unless --unlisted);
//  - a device's messages are its person's (another `from` 403, inbound 422), name the device, and
//    live in the device's idempotency namespace: a device (or an API token) that claims an
//    importer's source id first does not make the genuine import a duplicate;
//  - no person, phone, e-mail, actor or posture evidence in plaintext in custos.db or its WAL,
//    also for rows written in plaintext before migration 7 (sealed at the next open).
#include <chrono>
#include <csignal>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "cli/custos_runner.h"
#include "e2e/custos_process.h"
#include "testing/temp_dir.h"

namespace custos::e2e {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

httplib::Headers Credential(const std::string& c) { return {{"Authorization", "Bearer " + c}}; }

std::string UtcNow() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string Slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// Anna (the device owner) and Ben, with e-mails, UK phone numbers written nationally, handles.
constexpr const char* kPeopleCsv =
    "name,emails,phones,handles,group,manager\n"
    "Anna Example,anna@example.com;anna.e@example.org,07700 900123,@anna_tg;anna.slack,sales,\n"
    "Ben Other,ben@example.com,07700 900456,@ben_tg,sales,\n";

class DeviceGateE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    data_ = dir_.File("data");
    const std::string people = dir_.File("people.csv");
    std::ofstream(people) << kPeopleCsv;
    const custos::testing::RunResult imported = custos::testing::RunCustos(
        {"directory", "import", people, "--data", data_, "--region", "GB"});
    ASSERT_EQ(imported.exit_code, 0) << imported.err;
    Start();
  }

  void Start() {
    std::string error;
    server_ = CustosProcess::Start(data_, &error);
    ASSERT_NE(server_, nullptr) << error;
    client_ = server_->Client();
  }

  void Stop() {
    client_.reset();
    ASSERT_EQ(server_->Terminate(SIGTERM, std::chrono::seconds(30)), 0);
    server_.reset();
  }

  httplib::Headers Auth() const { return server_->Auth(); }

  httplib::Result Post(const std::string& path, const json& body, const httplib::Headers& headers) {
    return client_->Post(path, headers, body.dump(), "application/json");
  }

  // Enrolls a corporate Android device for `person` and redeems its token.
  std::pair<std::string, std::string> EnrollDevice(const std::string& person,
                                                   bool unlisted = false) {
    json body = {{"person", person}, {"platform", "android"}, {"ownership", "corporate"}};
    if (unlisted) {
      body["unlisted"] = true;
    }
    auto e = Post("/api/v1/devices", body, Auth());
    EXPECT_TRUE(e && e->status == 201) << (e ? e->body : "no response");
    const json enrolled = BodyJson(e);
    auto r =
        client_->Post("/api/v1/device/enroll",
                      json{{"enrollment_token", enrolled.value("enrollment_token", "")}}.dump(),
                      "application/json");
    EXPECT_TRUE(r && r->status == 201) << (r ? r->body : "no response");
    return {enrolled.value("device_id", ""), BodyJson(r).value("credential", "")};
  }

  json GoodPosture() const {
    return {{"collected_at", UtcNow()},
            {"os", {{"version", "14"}, {"api_level", 34}}},
            {"encryption", {{"enabled", true}}},
            {"integrity", {{"posture", "secure"}, {"attestation", "hardware"}}},
            {"passcode", {{"present", true}, {"applied", {{"min_length", 6}}}}}};
  }

  // An outbound message from `from` on `channel`, through POST /api/v1/messages.
  httplib::Result SendAs(const std::string& from, const std::string& channel) {
    json m = SampleMessage("gate-" + std::to_string(++sequence_), "the deck for tomorrow");
    m["channel"] = channel;
    m["direction"] = "outbound";
    m["from"] = from;
    return client_->Post("/api/v1/messages", Auth(), m.dump(), "application/json");
  }

  json DeviceMessage(const std::string& source, const std::string& source_id,
                     const std::string& from, const std::string& direction = "outbound") {
    json m = SampleMessage(source_id, "from the phone");
    m["source"] = source;
    m["channel"] = "whatsapp";
    m["direction"] = direction;
    m["from"] = from;
    return m;
  }

  // Every spelling of Anna is refused (422, archived as blocked by the device gate); Ben is not.
  void ExpectAnnaCutOff(const std::string& device) {
    for (const std::string from : {"anna@example.com", "+447700900123", "07700 900123",
                                   "ANNA@example.com", "Anna.E@Example.org", "+44 7700 900123",
                                   "0044 7700 900123", "@anna_tg", "anna_tg", "Anna.Slack"}) {
      for (const std::string channel : {"whatsapp", "sms", "telegram"}) {
        auto res = SendAs(from, channel);
        ASSERT_TRUE(res);
        EXPECT_EQ(res->status, 422) << from << " on " << channel << ": " << res->body;
        EXPECT_EQ(BodyJson(res).value("status", ""), "blocked") << from;
        EXPECT_NE(res->body.find(device), std::string::npos) << from << ": " << res->body;
      }
    }
    auto ben = SendAs("07700 900456", "whatsapp");
    ASSERT_TRUE(ben);
    EXPECT_EQ(ben->status, 200) << ben->body;
  }

  custos::testing::TempDir dir_;
  std::string data_;
  std::unique_ptr<CustosProcess> server_;
  std::unique_ptr<httplib::Client> client_;
  int sequence_ = 0;
};

TEST_F(DeviceGateE2eTest, ALostDeviceCutsOffEveryIdentityOfItsPerson) {
  const auto [device, credential] = EnrollDevice("anna@example.com");
  ASSERT_FALSE(device.empty());
  // Before the report her messages go through, whatever the spelling.
  auto before = SendAs("07700 900123", "whatsapp");
  ASSERT_TRUE(before);
  EXPECT_EQ(before->status, 200) << before->body;

  auto lost = Post("/api/v1/devices/" + device + "/report-lost", json::object(), Auth());
  ASSERT_TRUE(lost);
  ASSERT_EQ(lost->status, 200) << lost->body;
  ExpectAnnaCutOff(device);
}

TEST_F(DeviceGateE2eTest, EnrolledByAnotherSpellingTheDeviceStillBelongsToThePerson) {
  // Enrolled by her phone number in national format: the same person as her e-mail.
  const auto [device, credential] = EnrollDevice("07700 900123");
  auto shown = client_->Get("/api/v1/devices?person=ANNA%40example.com", Auth());
  ASSERT_TRUE(shown);
  ASSERT_EQ(shown->status, 200) << shown->body;
  EXPECT_NE(shown->body.find(device), std::string::npos) << shown->body;
  auto lost = Post("/api/v1/devices/" + device + "/report-lost", json::object(), Auth());
  ASSERT_TRUE(lost && lost->status == 200) << (lost ? lost->body : "");
  ExpectAnnaCutOff(device);
}

TEST_F(DeviceGateE2eTest, ABlockedDeviceCutsOffEveryIdentityOfItsPerson) {
  const auto [device, credential] = EnrollDevice("@anna_tg");
  json report = GoodPosture();
  report["integrity"]["posture"] = "compromised";  // critical: blocked at once
  auto p = Post("/api/v1/device/posture", report, Credential(credential));
  ASSERT_TRUE(p);
  ASSERT_EQ(p->status, 200) << p->body;
  ASSERT_EQ(BodyJson(p).value("messaging", ""), "blocked") << p->body;
  ExpectAnnaCutOff(device);
}

TEST_F(DeviceGateE2eTest, AnUnknownPersonIsRefusedUnlessUnlisted) {
  auto refused = Post(
      "/api/v1/devices",
      json{{"person", "carol@elsewhere.example"}, {"platform", "ios"}, {"ownership", "corporate"}},
      Auth());
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 400) << refused->body;
  EXPECT_EQ(BodyJson(refused)["error"].value("field", ""), "person") << refused->body;
  EXPECT_NE(refused->body.find("identity directory"), std::string::npos) << refused->body;

  auto unlisted = Post("/api/v1/devices",
                       json{{"person", "+1 415 555 0100"},
                            {"platform", "ios"},
                            {"ownership", "corporate"},
                            {"unlisted", true}},
                       Auth());
  ASSERT_TRUE(unlisted);
  ASSERT_EQ(unlisted->status, 201) << unlisted->body;
  EXPECT_NE(BodyJson(unlisted).value("warning", ""), "") << unlisted->body;
  const std::string device = BodyJson(unlisted).value("device_id", "");
  auto lost = Post("/api/v1/devices/" + device + "/report-lost", json::object(), Auth());
  ASSERT_TRUE(lost && lost->status == 200);
  // The one identity it was enrolled to, in any phone spelling, is cut off.
  for (const std::string from : {"+14155550100", "+1 (415) 555-0100"}) {
    auto res = SendAs(from, "sms");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 422) << from << ": " << res->body;
  }

  // The CLI refuses too, naming the person, and exits 65.
  Stop();
  const custos::testing::RunResult cli = custos::testing::RunCustos(
      {"devices", "enroll", "--data", data_, "--person", "nobody@example.net", "--platform", "ios",
       "--ownership", "corporate"});
  EXPECT_EQ(cli.exit_code, 65) << cli.err;
  EXPECT_NE(cli.err.find("nobody@example.net"), std::string::npos) << cli.err;
  EXPECT_NE(cli.err.find("--unlisted"), std::string::npos) << cli.err;
}

TEST_F(DeviceGateE2eTest, ADeviceSendsOnlyAsItsPersonAndIsNamedInTheRecord) {
  const auto [device, credential] = EnrollDevice("anna@example.com");
  ASSERT_EQ(Post("/api/v1/device/posture", GoodPosture(), Credential(credential))->status, 200);

  // Another person's identities, and strangers, are refused 403 naming `from`.
  for (const std::string from :
       {"ben@example.com", "+447700900456", "@ben_tg", "ceo@example.com", "+447700900999"}) {
    auto res = Post("/api/v1/device/messages", DeviceMessage("agent", "forge-" + from, from),
                    Credential(credential));
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 403) << from << ": " << res->body;
    EXPECT_EQ(BodyJson(res)["error"].value("field", ""), "from") << res->body;
  }
  // Inbound from a device is refused 422 naming `direction`.
  auto inbound =
      Post("/api/v1/device/messages", DeviceMessage("agent", "in-1", "anna@example.com", "inbound"),
           Credential(credential));
  ASSERT_TRUE(inbound);
  EXPECT_EQ(inbound->status, 422) << inbound->body;
  EXPECT_EQ(BodyJson(inbound)["error"].value("field", ""), "direction") << inbound->body;

  // Her own number in any spelling is hers; the stored message names the device.
  auto ok = Post("/api/v1/device/messages", DeviceMessage("agent", "mine-1", "07700 900123"),
                 Credential(credential));
  ASSERT_TRUE(ok);
  ASSERT_EQ(ok->status, 200) << ok->body;
  const std::int64_t id = BodyJson(ok).value("id", std::int64_t{0});
  auto stored = client_->Get("/api/v1/messages/" + std::to_string(id), Auth());
  ASSERT_TRUE(stored);
  const json message = BodyJson(stored);
  EXPECT_EQ(message.value("device", ""), device) << stored->body;
  EXPECT_EQ(message.value("principal", ""), "device:" + device) << stored->body;
  EXPECT_EQ(message.value("from", ""), "+447700900123") << stored->body;

  // Lost: inbound is still refused (not archived as something the device received).
  ASSERT_EQ(Post("/api/v1/devices/" + device + "/report-lost", json::object(), Auth())->status,
            200);
  auto lost_inbound =
      Post("/api/v1/device/messages", DeviceMessage("agent", "in-2", "anna@example.com", "inbound"),
           Credential(credential));
  ASSERT_TRUE(lost_inbound);
  EXPECT_EQ(lost_inbound->status, 422) << lost_inbound->body;
  auto lost_outbound =
      Post("/api/v1/device/messages", DeviceMessage("agent", "out-2", "anna@example.com"),
           Credential(credential));
  ASSERT_TRUE(lost_outbound);
  EXPECT_EQ(lost_outbound->status, 403) << lost_outbound->body;
  EXPECT_EQ(BodyJson(lost_outbound)["error"].value("code", ""), "device_blocked");
}

TEST_F(DeviceGateE2eTest, NobodyCanPreClaimAnImportersSourceIds) {
  const auto [device, credential] = EnrollDevice("anna@example.com");
  ASSERT_EQ(Post("/api/v1/device/posture", GoodPosture(), Credential(credential))->status, 200);
  // The device, and an API token, claim ids a WhatsApp export will bring later.
  auto claimed = Post("/api/v1/device/messages",
                      DeviceMessage("whatsapp-export", "3EB0FUTURE1", "anna@example.com"),
                      Credential(credential));
  ASSERT_TRUE(claimed);
  ASSERT_EQ(claimed->status, 200) << claimed->body;
  EXPECT_EQ(BodyJson(claimed).value("status", ""), "accepted");
  json api = DeviceMessage("whatsapp-export", "3EB0FUTURE2", "ben@example.com");
  auto api_claimed = PostMessages(*client_, Auth(), api);
  ASSERT_TRUE(api_claimed);
  ASSERT_EQ(api_claimed->status, 200) << api_claimed->body;
  // The device's retry of the same message is still a duplicate in its own namespace.
  auto retry = Post("/api/v1/device/messages",
                    DeviceMessage("whatsapp-export", "3EB0FUTURE1", "anna@example.com"),
                    Credential(credential));
  ASSERT_TRUE(retry);
  EXPECT_EQ(BodyJson(retry).value("status", ""), "duplicate") << retry->body;
  Stop();

  // The genuine export: both messages are stored, not dropped as duplicates.
  const std::string file = dir_.File("export.jsonl");
  {
    std::ofstream out(file);
    for (const char* id : {"3EB0FUTURE1", "3EB0FUTURE2"}) {
      json m = SampleMessage(id, std::string("the genuine ") + id, "+447700900999");
      m["source"] = "whatsapp-export";
      m["channel"] = "whatsapp";
      out << m.dump() << "\n";
    }
  }
  custos::testing::RunResult imported =
      custos::testing::RunCustos({"import", "jsonl", file, "--data", data_, "--json"});
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  EXPECT_NE(imported.out.find("\"imported\":2"), std::string::npos) << imported.out;
  EXPECT_NE(imported.out.find("\"duplicates\":0"), std::string::npos) << imported.out;
  // Re-importing the same export still de-duplicates.
  custos::testing::RunResult again =
      custos::testing::RunCustos({"import", "jsonl", file, "--data", data_, "--json"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.out.find("\"imported\":0"), std::string::npos) << again.out;
  EXPECT_NE(again.out.find("\"duplicates\":2"), std::string::npos) << again.out;
}

// The strings no byte of custos.db or its WAL may contain.
const char* const kSecrets[] = {"anna@example.com",         "+447700900123",   "EVIDENCE-7f3a-7781",
                                "it-admin-zed@example.com", "ACK-DETAIL-91c2", "@anna_tg"};

void ExpectNoPlaintext(const std::string& data) {
  for (const char* file : {"custos.db", "custos.db-wal"}) {
    const fs::path path = fs::path(data) / file;
    if (!fs::exists(path)) {
      continue;
    }
    const std::string bytes = Slurp(path);
    for (const char* secret : kSecrets) {
      EXPECT_EQ(bytes.find(secret), std::string::npos) << secret << " in plaintext in " << file;
    }
  }
}

TEST_F(DeviceGateE2eTest, DeviceDataIsNotInPlaintextOnDisk) {
  const auto [device, credential] = EnrollDevice("+447700900123");
  json report = GoodPosture();
  report["vendor_diagnostics"] = {{"note", "EVIDENCE-7f3a-7781"}};  // kept as raw evidence
  ASSERT_EQ(Post("/api/v1/device/posture", report, Credential(credential))->status, 200);
  auto lost = Post("/api/v1/devices/" + device + "/report-lost", json::object(), Auth());
  ASSERT_TRUE(lost && lost->status == 200);
  auto checkin = Post("/api/v1/device/checkin", json::object(), Credential(credential));
  ASSERT_TRUE(checkin && checkin->status == 200);
  const json commands = BodyJson(checkin)["commands"];
  ASSERT_FALSE(commands.empty()) << checkin->body;
  const std::string uuid = commands[0].value("uuid", "");
  auto ack =
      Post("/api/v1/device/commands/" + uuid + "/ack",
           json{{"status", "failed"}, {"detail", "ACK-DETAIL-91c2"}}, Credential(credential));
  ASSERT_TRUE(ack && ack->status == 200) << (ack ? ack->body : "");
  // Still readable through the API (decrypted), and the gate still works.
  auto shown = client_->Get("/api/v1/devices/" + device, Auth());
  ASSERT_TRUE(shown);
  EXPECT_NE(shown->body.find("+447700900123"), std::string::npos) << shown->body;
  auto sent = SendAs("anna@example.com", "sms");
  ASSERT_TRUE(sent);
  EXPECT_EQ(sent->status, 422) << sent->body;

  ExpectNoPlaintext(data_);  // while serving: the database file and the live WAL
  Stop();
  ExpectNoPlaintext(data_);
}

TEST_F(DeviceGateE2eTest, RowsWrittenInPlaintextBeforeMigration7AreSealedAtTheNextOpen) {
  const auto [device, credential] = EnrollDevice("anna@example.com");
  json report = GoodPosture();
  report["vendor_diagnostics"] = {{"note", "EVIDENCE-7f3a-7781"}};
  ASSERT_EQ(Post("/api/v1/device/posture", report, Credential(credential))->status, 200);
  ASSERT_EQ(Post("/api/v1/devices/" + device + "/report-lost", json::object(), Auth())->status,
            200);
  Stop();

  // Make the rows look like a data directory of schema 6: plaintext columns, nothing sealed.
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((data_ + "/custos.db").c_str(), &db), SQLITE_OK);
  const std::string legacy =
      "UPDATE devices SET person = 'anna@example.com', lost_reported_by = "
      "'it-admin-zed@example.com', posture = '{\"device_id\":\"" +
      device +
      "\",\"raw_evidence\":{\"vendor_diagnostics.note\":\"EVIDENCE-7f3a-7781\"}}', results = "
      "'[]', person_hash = NULL, key_version = NULL, wrapped_key = NULL, payload = NULL;"
      "UPDATE device_commands SET actor = 'it-admin-zed@example.com', detail = '', key_version "
      "= NULL, wrapped_key = NULL, payload = NULL;"
      "UPDATE device_events SET actor = 'it-admin-zed@example.com' WHERE event = 'report_lost';";
  char* error = nullptr;
  ASSERT_EQ(sqlite3_exec(db, legacy.c_str(), nullptr, nullptr, &error), SQLITE_OK)
      << (error != nullptr ? error : "");
  sqlite3_close(db);
  ASSERT_NE(Slurp(data_ + "/custos.db").find("EVIDENCE-7f3a-7781"), std::string::npos);

  Start();  // the writable open seals them
  ExpectNoPlaintext(data_);
  // The sealed legacy device still cuts Anna off by any spelling, and reads back.
  auto sent = SendAs("07700 900123", "whatsapp");
  ASSERT_TRUE(sent);
  EXPECT_EQ(sent->status, 422) << sent->body;
  auto shown = client_->Get("/api/v1/devices/" + device, Auth());
  ASSERT_TRUE(shown);
  EXPECT_NE(shown->body.find("anna@example.com"), std::string::npos) << shown->body;
  Stop();
  ExpectNoPlaintext(data_);
}

}  // namespace
}  // namespace custos::e2e
