// SPDX-License-Identifier: Apache-2.0
// Devices end to end over HTTP against the real `custos serve`: enrollment (admin token ->
// enrollment token -> device credential), posture, a message sent from the device, then a lost
// report contained within seconds (the next message from that device refused 403 and archived
// as blocked, a lock queued and picked up at check-in), the employee's view, /metrics, the
// NanoMDM webhook with a corpus file, bad input naming the field, and `devices simulate`
// through the real API.
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>

#include "cli/custos_runner.h"
#include "e2e/server_test.h"

namespace custos::e2e {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr const char* kAlice = "alice@example.com";

fs::path MdmDir() {
  if (const char* corpus = std::getenv("CUSTOS_CORPUS"); corpus != nullptr && *corpus != '\0') {
    return fs::path(corpus) / "mdm";
  }
  const char* source = std::getenv("CUSTOS_SOURCE_DIR");
  return fs::path(source != nullptr ? source : ".") / ".." / "shared" / "corpus" / "mdm";
}

httplib::Headers Credential(const std::string& c) { return {{"Authorization", "Bearer " + c}}; }

// The UTC time `days_ago` days before now: RFC 3339, or only the date.
std::string UtcAgo(int days_ago, bool date_only) {
  const std::time_t t = std::time(nullptr) - static_cast<std::time_t>(days_ago) * 86400;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  if (date_only) {
    std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  } else {
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  }
  return buf;
}

json Posture() {
  return {
      {"collected_at", UtcAgo(0, false)},
      {"os", {{"version", "14"}, {"api_level", 34}, {"security_patch_level", UtcAgo(20, true)}}},
      {"encryption", {{"enabled", true}}},
      {"passcode", {{"present", true}, {"applied", {{"min_length", 6}}}}},
      // dropped on arrival for a personal device, kept (and counted 0) for corporate
      {"location", {{"lat", 51.5}, {"lon", -0.12}, {"accuracy", 20}}}};
}

json Outbound(const std::string& id) {
  json m = SampleMessage(id, "the deck for tomorrow");
  m["direction"] = "outbound";
  m["from"] = kAlice;
  return m;
}

class DevicesE2eTest : public ServerTest {
 protected:
  // Enrolls a device over the API and redeems its token; returns {device_id, credential}.
  std::pair<std::string, std::string> EnrollDevice(const std::string& platform,
                                                   const std::string& ownership,
                                                   const std::string& mdm_id = "") {
    json body = {
        {"person", kAlice}, {"platform", platform}, {"ownership", ownership}, {"unlisted", true}};
    if (!mdm_id.empty()) {
      body["mdm_id"] = mdm_id;
    }
    auto e = client_->Post("/api/v1/devices", Auth(), body.dump(), "application/json");
    EXPECT_TRUE(e && e->status == 201) << (e ? e->body : "no response");
    const json enrolled = BodyJson(e);
    auto r =
        client_->Post("/api/v1/device/enroll",
                      json{{"enrollment_token", enrolled.value("enrollment_token", "")}}.dump(),
                      "application/json");
    EXPECT_TRUE(r && r->status == 201) << (r ? r->body : "no response");
    return {enrolled.value("device_id", ""), BodyJson(r).value("credential", "")};
  }

  httplib::Result SendFromDevice(const std::string& credential, const json& message) {
    return client_->Post("/api/v1/device/messages", Credential(credential), message.dump(),
                         "application/json");
  }
};

TEST_F(DevicesE2eTest, ALostDeviceIsContainedWithinSeconds) {
  const auto [device, credential] = EnrollDevice("android", "corporate");
  ASSERT_FALSE(credential.empty());
  auto p = client_->Post("/api/v1/device/posture", Credential(credential), Posture().dump(),
                         "application/json");
  ASSERT_TRUE(p);
  ASSERT_EQ(p->status, 200) << p->body;
  auto before = SendFromDevice(credential, Outbound("d1"));
  ASSERT_TRUE(before);
  EXPECT_EQ(before->status, 200) << before->body;

  const auto start = std::chrono::steady_clock::now();
  auto lost = client_->Post("/api/v1/devices/" + device + "/report-lost", Auth(), "", "");
  ASSERT_TRUE(lost);
  ASSERT_EQ(lost->status, 200) << lost->body;
  EXPECT_EQ(BodyJson(lost).value("lost_state", ""), "contained");
  EXPECT_EQ(BodyJson(lost).value("messaging", ""), "blocked");
  auto refused = SendFromDevice(credential, Outbound("d2"));
  const auto elapsed = std::chrono::steady_clock::now() - start;
  ExpectError(refused, 403, "device_blocked");
  EXPECT_EQ(BodyJson(refused)["error"].value("field", ""), "device");
  EXPECT_EQ(BodyJson(refused).value("status", ""), "blocked");
  const std::int64_t archived = BodyJson(refused).value("id", std::int64_t{0});
  EXPECT_GT(archived, 0);  // the attempt is in the archive
  EXPECT_LT(elapsed, std::chrono::seconds(5));

  // The attempt is archived as blocked, with the device-gate hit in its verdict.
  auto stored = client_->Get("/api/v1/messages/" + std::to_string(archived), Auth());
  ASSERT_TRUE(stored);
  EXPECT_NE(stored->body.find("device-gate"), std::string::npos) << stored->body;

  // A lock (lost mode on a company-owned Android) was queued; the device picks it up.
  auto commands = client_->Get("/api/v1/devices/" + device + "/commands", Auth());
  ASSERT_TRUE(commands);
  const json items = BodyJson(commands)["items"];
  ASSERT_EQ(items.size(), 1u) << commands->body;
  EXPECT_EQ(items[0].value("type", ""), "lost_mode");
  EXPECT_EQ(items[0].value("state", ""), "queued");
  auto checkin = client_->Post("/api/v1/device/checkin", Credential(credential), "", "");
  ASSERT_TRUE(checkin);
  ASSERT_EQ(BodyJson(checkin)["commands"].size(), 1u) << checkin->body;
  const std::string uuid = BodyJson(checkin)["commands"][0].value("uuid", "");
  auto ack = client_->Post("/api/v1/device/commands/" + uuid + "/ack", Credential(credential),
                           json{{"status", "acknowledged"}}.dump(), "application/json");
  ASSERT_TRUE(ack);
  EXPECT_EQ(ack->status, 200) << ack->body;

  // The employee sees the device as lost; /metrics counts it.
  auto me = client_->Get("/api/v1/me/devices", Credential(credential));
  ASSERT_TRUE(me);
  ASSERT_EQ(me->status, 200) << me->body;
  EXPECT_EQ(BodyJson(me)["items"][0].value("lost_state", ""), "contained");
  auto metrics = client_->Get("/metrics");
  ASSERT_TRUE(metrics);
  EXPECT_NE(metrics->body.find("custos_devices{state=\"lost\"} 1"), std::string::npos);
  EXPECT_NE(metrics->body.find("custos_devices_lost{lost_state=\"contained\"} 1"),
            std::string::npos);

  // Found: still contained until a fresh compliant posture arrives; then it may send again.
  auto found = client_->Post("/api/v1/devices/" + device + "/found", Auth(), "", "");
  ASSERT_TRUE(found);
  ASSERT_EQ(found->status, 200) << found->body;
  EXPECT_EQ(BodyJson(found).value("lost_state", ""), "contained");
  ExpectError(SendFromDevice(credential, Outbound("d3")), 403, "device_blocked");
  // "Fresh" means collected after the device was found; reports carry whole seconds.
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  auto fresh = client_->Post("/api/v1/device/posture", Credential(credential), Posture().dump(),
                             "application/json");
  ASSERT_TRUE(fresh);
  ASSERT_EQ(fresh->status, 200) << fresh->body;
  auto shown = client_->Get("/api/v1/devices/" + device, Auth());
  ASSERT_TRUE(shown);
  EXPECT_EQ(BodyJson(shown).value("lost_state", ""), "active") << shown->body;
  auto again = SendFromDevice(credential, Outbound("d4"));
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 200) << again->body;
}

TEST_F(DevicesE2eTest, PersonalDevicesLoseLocationOnArrival) {
  const auto [device, credential] = EnrollDevice("ios", "personal");
  auto p = client_->Post("/api/v1/device/posture", Credential(credential), Posture().dump(),
                         "application/json");
  ASSERT_TRUE(p);
  ASSERT_EQ(p->status, 200) << p->body;
  EXPECT_GE(BodyJson(p).value("privacy_dropped", 0), 1);
  EXPECT_NE(p->body.find("location"), std::string::npos) << p->body;
  auto shown = client_->Get("/api/v1/devices/" + device, Auth());
  ASSERT_TRUE(shown);
  EXPECT_EQ(shown->body.find("51.5"), std::string::npos) << shown->body;
}

TEST_F(DevicesE2eTest, BadInputIsRefusedNamingTheField) {
  ExpectError(client_->Post("/api/v1/device/posture", Posture().dump(), "application/json"), 401,
              "unauthenticated");
  ExpectError(client_->Get("/api/v1/me/devices", Credential("cdc_nonsense")), 401,
              "unauthenticated");
  auto bad_platform = client_->Post(
      "/api/v1/devices", Auth(),
      json{{"person", kAlice}, {"platform", "symbian"}, {"ownership", "corporate"}}.dump(),
      "application/json");
  ExpectError(bad_platform, 400, "invalid_argument");
  EXPECT_EQ(BodyJson(bad_platform)["error"].value("field", ""), "platform");

  const auto [device, credential] = EnrollDevice("android", "corporate");
  json report = Posture();
  report["os"]["api_level"] = "thirty-four";
  auto bad = client_->Post("/api/v1/device/posture", Credential(credential), report.dump(),
                           "application/json");
  ExpectError(bad, 400, "invalid_argument");
  EXPECT_EQ(BodyJson(bad)["error"].value("field", ""), "os.api_level") << bad->body;
  report = Posture();
  report["device_id"] = "dev-someone-else";
  ExpectError(client_->Post("/api/v1/device/posture", Credential(credential), report.dump(),
                            "application/json"),
              403, "permission_denied");
}

TEST_F(DevicesE2eTest, NanoMdmWebhookMapsTheCorpusQueryResponse) {
  const fs::path file = MdmDir() / "nanomdm" / "webhook_DeviceInformation.1.json";
  if (!fs::exists(file)) {
    GTEST_SKIP() << "MDM corpus not found at " << MdmDir() << "; set CUSTOS_CORPUS";
  }
  std::stringstream body;
  body << std::ifstream(file).rdbuf();
  ExpectError(client_->Post("/hooks/nanomdm", body.str(), "application/json"), 401,
              "unauthenticated");
  // Not enrolled yet: 404 naming the device.
  ExpectError(client_->Post("/hooks/nanomdm", Auth(), body.str(), "application/json"), 404,
              "not_found");
  const auto [device, credential] =
      EnrollDevice("ios", "corporate", "66ADE930-5FDF-5EC4-8429-15640684C489");
  EXPECT_EQ(device, "mdm-66ADE930-5FDF-5EC4-8429-15640684C489");
  httplib::Headers basic = {
      {"Authorization",
       httplib::make_basic_authentication_header("custos", server_->token()).second}};
  auto hook = client_->Post("/hooks/nanomdm", basic, body.str(), "application/json");
  ASSERT_TRUE(hook);
  ASSERT_EQ(hook->status, 200) << hook->body;
  EXPECT_EQ(BodyJson(hook).value("device_id", ""), device);
  EXPECT_FALSE(BodyJson(hook).value("posture_state", "").empty()) << hook->body;
  auto shown = client_->Get("/api/v1/devices/" + device, Auth());
  ASSERT_TRUE(shown);
  EXPECT_NE(BodyJson(shown)["posture_at"], nullptr) << shown->body;
}

TEST_F(DevicesE2eTest, SimulateSendsDevicesThroughTheApi) {
  const auto run = testing::RunCustos(
      {"devices", "simulate", "--url", "http://127.0.0.1:" + std::to_string(server_->port()),
       "--token", server_->token(), "--count", "15", "--seed", "4", "--json"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  auto compliance = client_->Get("/api/v1/compliance/devices", Auth());
  ASSERT_TRUE(compliance);
  const json report = BodyJson(compliance);
  EXPECT_EQ(report.value("devices", 0), 15) << compliance->body;
  int states = 0;
  for (const auto& [state, n] : report["by_state"].items()) {
    states += n.get<int>();
  }
  EXPECT_EQ(states, 15);
  EXPECT_FALSE(report["by_failing_rule"].empty()) << compliance->body;  // some non-compliant
  EXPECT_NE(run.out.find("\"enrolled\":15"), std::string::npos) << run.out;
  // The same seed gives the same devices' profiles.
  const auto again = testing::RunCustos(
      {"devices", "simulate", "--url", "http://127.0.0.1:" + std::to_string(server_->port()),
       "--token", server_->token(), "--count", "15", "--seed", "4", "--json"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  const auto profiles = [](std::string out) {
    while (!out.empty() && out.back() == '\n') {
      out.pop_back();
    }
    const std::size_t line = out.rfind('\n');
    return json::parse(line == std::string::npos ? out : out.substr(line + 1))
        .at("profiles")
        .dump();
  };
  EXPECT_EQ(profiles(run.out), profiles(again.out));
}

// A report that meets every rule of the default Mobile Device Policy, as the agent sends it
// after check-in: `blocked_list` is the check_blocked_apps list the server published.
json CompliantPosture(const std::string& platform, bool corporate, const json& blocked_list,
                      int minutes_ago = 1) {
  const std::time_t t = std::time(nullptr) - minutes_ago * 60;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char at[32];
  std::strftime(at, sizeof at, "%Y-%m-%dT%H:%M:%SZ", &tm);
  json r = {{"collected_at", at}};
  if (platform == "android") {
    r["os"] = {{"version", "14"},
               {"api_level", 34},
               {"security_patch_level", UtcAgo(20, true)},
               {"update_status", "up_to_date"}};
  } else {
    r["os"] = {{"version", "17.5"}, {"update_status", "up_to_date"}};
  }
  r["integrity"] = {{"posture", "secure"}, {"attestation", "hardware"}, {"dev_mode", false},
                    {"adb", false},        {"unknown_sources", false},  {"verify_apps", true}};
  r["encryption"] = {{"enabled", true}};
  r["passcode"] = {{"present", true},
                   {"applied",
                    {{"min_length", 6},
                     {"quality", "numeric_complex"},
                     {"max_inactivity_min", 5},
                     {"max_failed_attempts", 10}}}};
  r["biometric"] = {{"allowed", true}};
  r["apps"] = {{"messaging_client", {{"id", "com.custos.messenger"}, {"version", "2.3.0"}}},
               {"blocklist_check", {{"checked", blocked_list}, {"present", json::array()}}}};
  if (corporate) {
    r["vpn"] = {{"always_on", true}};
  }
  r["management"] = {{"enrolled", true}, {"last_checkin", at}};
  r["threat"] = {{"level", "secured"}};
  return r;
}

// The result of rule `rule` in a device view (GET /api/v1/devices/{id}).
json RuleOf(const json& device, const std::string& rule) {
  for (const auto& r : device["rules"]) {
    if (r.value("rule", "") == rule) {
      return r;
    }
  }
  return json();
}

class DeviceIssue13Test : public DevicesE2eTest {
 protected:
  json Checkin(const std::string& credential) {
    auto c = client_->Post("/api/v1/device/checkin", Credential(credential), "", "");
    EXPECT_TRUE(c && c->status == 200) << (c ? c->body : "no response");
    return BodyJson(c);
  }

  json Device(const std::string& device) {
    auto d = client_->Get("/api/v1/devices/" + device, Auth());
    EXPECT_TRUE(d && d->status == 200) << (d ? d->body : "no response");
    return BodyJson(d);
  }

  httplib::Result Report(const std::string& credential, const json& report) {
    return client_->Post("/api/v1/device/posture", Credential(credential), report.dump(),
                         "application/json");
  }
};

// Issue 13 item 9: the rules are re-evaluated on report-lost, not at the next tick.
TEST_F(DeviceIssue13Test, ReportLostReevaluatesTheRulesAtOnce) {
  const auto [device, credential] = EnrollDevice("android", "corporate");
  const json list = Checkin(credential)["check_blocked_apps"];
  auto p = Report(credential, CompliantPosture("android", true, list));
  ASSERT_TRUE(p);
  ASSERT_EQ(p->status, 200) << p->body;
  EXPECT_EQ(BodyJson(p).value("state", ""), "compliant") << p->body;
  EXPECT_EQ(RuleOf(Device(device), "not-lost").value("result", ""), "pass");

  auto lost = client_->Post("/api/v1/devices/" + device + "/report-lost", Auth(), "", "");
  ASSERT_TRUE(lost);
  ASSERT_EQ(lost->status, 200) << lost->body;
  EXPECT_EQ(RuleOf(BodyJson(lost), "not-lost").value("result", ""), "fail") << lost->body;
  EXPECT_EQ(RuleOf(Device(device), "not-lost").value("observed", ""), "reported lost");
  // The employee sees why, with the rule's remediation.
  auto me = client_->Get("/api/v1/me/devices", Credential(credential));
  ASSERT_TRUE(me);
  ASSERT_EQ(me->status, 200) << me->body;
  const json steps = BodyJson(me)["items"][0]["remediation"];
  bool lost_step = false;
  for (const auto& s : steps) {
    lost_step |= s.value("rule", "") == "not-lost" && s.value("outcome", "") == "fail" &&
                 s.value("remediation", "").find("reported lost") != std::string::npos;
  }
  EXPECT_TRUE(lost_step) << me->body;
  // A freshly enrolled device has its rules (all unknown: no report yet), not an empty list.
  const auto [fresh, fresh_credential] = EnrollDevice("ios", "personal");
  (void)fresh_credential;
  EXPECT_EQ(RuleOf(Device(fresh), "encryption").value("result", ""), "unknown");
}

// Issue 13 item 10: a lock queued while lost is cancelled when the device is found.
TEST_F(DeviceIssue13Test, FoundCancelsTheQueuedLock) {
  const auto [device, credential] = EnrollDevice("android", "corporate");
  const json list = Checkin(credential)["check_blocked_apps"];
  ASSERT_TRUE(Report(credential, CompliantPosture("android", true, list)));
  auto lost = client_->Post("/api/v1/devices/" + device + "/report-lost", Auth(), "", "");
  ASSERT_TRUE(lost && lost->status == 200);
  auto found = client_->Post("/api/v1/devices/" + device + "/found", Auth(), "", "");
  ASSERT_TRUE(found);
  ASSERT_EQ(found->status, 200) << found->body;
  auto commands = client_->Get("/api/v1/devices/" + device + "/commands", Auth());
  ASSERT_TRUE(commands);
  const json items = BodyJson(commands)["items"];
  ASSERT_EQ(items.size(), 1u) << commands->body;
  EXPECT_EQ(items[0].value("type", ""), "lost_mode");
  EXPECT_EQ(items[0].value("state", ""), "cancelled") << commands->body;
  EXPECT_NE(items[0].value("detail", "").find("found"), std::string::npos) << commands->body;
  // The device checks in (and reports): nothing to lock any more.
  EXPECT_TRUE(Checkin(credential)["commands"].empty());
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  auto fresh = Report(credential, CompliantPosture("android", true, list, 0));
  ASSERT_TRUE(fresh);
  ASSERT_EQ(fresh->status, 200) << fresh->body;
  EXPECT_TRUE(BodyJson(fresh)["commands"].empty()) << fresh->body;
  EXPECT_EQ(Device(device).value("lost_state", ""), "active");
}

// Issue 13 item 11: an implausible future time is refused naming the field; an older report
// never replaces a newer one.
TEST_F(DeviceIssue13Test, PostureTimesAreChecked) {
  const auto [device, credential] = EnrollDevice("ios", "corporate");
  const json list = Checkin(credential)["check_blocked_apps"];
  json future = CompliantPosture("ios", true, list, -300 * 24 * 60);  // 300 days ahead
  auto refused = Report(credential, future);
  ExpectError(refused, 400, "invalid_argument");
  EXPECT_EQ(BodyJson(refused)["error"].value("field", ""), "collected_at") << refused->body;
  EXPECT_EQ(Device(device)["posture_at"], nullptr);  // nothing stored
  json checkin_ahead = CompliantPosture("ios", true, list);
  checkin_ahead["management"]["last_checkin"] = "2099-01-01T00:00:00Z";
  auto refused2 = Report(credential, checkin_ahead);
  ExpectError(refused2, 400, "invalid_argument");
  EXPECT_EQ(BodyJson(refused2)["error"].value("field", ""), "management.last_checkin");
  // Two minutes ahead is clock skew: accepted.
  auto skewed = Report(credential, CompliantPosture("ios", true, list, -2));
  ASSERT_TRUE(skewed);
  EXPECT_EQ(skewed->status, 200) << skewed->body;

  const std::string newest = Device(device).value("posture_at", "");
  json older = CompliantPosture("ios", true, list, 120);
  older["encryption"]["enabled"] = false;
  auto ignored = Report(credential, older);
  ASSERT_TRUE(ignored);
  ASSERT_EQ(ignored->status, 200) << ignored->body;
  EXPECT_FALSE(BodyJson(ignored).value("applied", true)) << ignored->body;
  EXPECT_NE(BodyJson(ignored).value("ignored_reason", "").find("older"), std::string::npos);
  const json after = Device(device);
  EXPECT_EQ(after.value("posture_at", ""), newest);
  EXPECT_EQ(RuleOf(after, "encryption").value("result", ""), "pass") << after.dump();
  EXPECT_EQ(after.value("state", ""), "compliant") << after.dump();
}

// Issue 13 item 12: the agent of a personal device answers which of the policy's blocked apps
// are installed, never its inventory; a well-configured device is compliant.
TEST_F(DeviceIssue13Test, BlockedAppsAreCheckedWithoutTheInventory) {
  const auto [device, credential] = EnrollDevice("android", "personal");
  const json list = Checkin(credential)["check_blocked_apps"];
  ASSERT_TRUE(list.is_array());
  ASSERT_FALSE(list.empty());
  EXPECT_NE(list.dump().find("com.whatsapp.mod"), std::string::npos) << list.dump();
  json report = CompliantPosture("android", false, list);
  // An id the policy did not ask about is dropped on arrival, never stored.
  report["apps"]["blocklist_check"]["present"] = json::array({"com.example.diary"});
  auto p = Report(credential, report);
  ASSERT_TRUE(p);
  ASSERT_EQ(p->status, 200) << p->body;
  EXPECT_EQ(BodyJson(p).value("state", ""), "compliant") << p->body;
  EXPECT_NE(BodyJson(p)["privacy_dropped_fields"].dump().find("apps.blocklist_check"),
            std::string::npos)
      << p->body;
  EXPECT_EQ(RuleOf(Device(device), "blocked-apps").value("result", ""), "pass");
  auto all = client_->Get("/api/v1/devices/" + device, Auth());
  ASSERT_TRUE(all);
  EXPECT_EQ(all->body.find("com.example.diary"), std::string::npos) << all->body;

  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  json blocked = CompliantPosture("android", false, list, 0);
  blocked["apps"]["blocklist_check"]["present"] = json::array({"com.whatsapp.mod"});
  auto b = Report(credential, blocked);
  ASSERT_TRUE(b);
  ASSERT_EQ(b->status, 200) << b->body;
  EXPECT_NE(BodyJson(b).value("state", ""), "compliant") << b->body;
  const json rule = RuleOf(Device(device), "blocked-apps");
  EXPECT_EQ(rule.value("result", ""), "fail");
  EXPECT_NE(rule.value("observed", "").find("com.whatsapp.mod"), std::string::npos);

  // Without the check, the rule is unknown and the employee is told how to let it be checked,
  // not to remove apps they do not have.
  const auto [other, other_credential] = EnrollDevice("ios", "personal");
  (void)other;
  json unchecked = CompliantPosture("ios", false, list);
  unchecked["apps"].erase("blocklist_check");
  ASSERT_TRUE(Report(other_credential, unchecked));
  auto me = client_->Get("/api/v1/me/devices", Credential(other_credential));
  ASSERT_TRUE(me);
  bool told = false;
  const json me_body = BodyJson(me);
  for (const auto& item : me_body["items"]) {
    for (const auto& s : item["remediation"]) {
      if (s.value("rule", "") == "blocked-apps" && s.value("outcome", "") == "unknown") {
        told = s.value("remediation", "").find("not yet checked") != std::string::npos;
      }
    }
  }
  EXPECT_TRUE(told) << me->body;

  // A corporate device reporting through the agent can be compliant too (VPN included).
  const auto [corp, corp_credential] = EnrollDevice("ios", "corporate");
  auto c = Report(corp_credential,
                  CompliantPosture("ios", true, Checkin(corp_credential)["check_blocked_apps"]));
  ASSERT_TRUE(c);
  EXPECT_EQ(BodyJson(c).value("state", ""), "compliant") << c->body;
  (void)corp;
}

// Issue 13 item 12: a simulated fleet under the default policy is a realistic mix.
TEST_F(DeviceIssue13Test, SimulatedFleetIsMostlyCompliant) {
  const auto run = testing::RunCustos(
      {"devices", "simulate", "--url", "http://127.0.0.1:" + std::to_string(server_->port()),
       "--data", dir_.Path(), "--count", "40", "--seed", "3", "--json"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  auto compliance = client_->Get("/api/v1/compliance/devices", Auth());
  ASSERT_TRUE(compliance);
  const json by_state = BodyJson(compliance)["by_state"];
  EXPECT_GT(by_state.value("compliant", 0), 20) << compliance->body;
  EXPECT_GE(by_state.value("in_grace", 0), 1) << compliance->body;
  EXPECT_GE(by_state.value("noncompliant", 0), 1) << compliance->body;
  EXPECT_GE(by_state.value("lost", 0), 1) << compliance->body;
  EXPECT_LE(by_state.value("lost", 0), 8) << compliance->body;
  // No rule fails for want of a channel: the VPN of corporate devices is observed.
  EXPECT_FALSE(BodyJson(compliance)["by_failing_rule"].contains("vpn")) << compliance->body;
}

// Issue 13 item 22: `simulate --url` reads the admin token of --data DIR; without one it says
// what to give. `enroll` refuses the platform "unknown", listing the valid ones.
TEST_F(DeviceIssue13Test, SimulateUrlTokenAndEnrollPlatform) {
  const std::string url = "http://127.0.0.1:" + std::to_string(server_->port());
  const auto with_data = testing::RunCustos({"devices", "simulate", "--url", url, "--data",
                                             dir_.Path(), "--count", "2", "--seed", "5", "--json"});
  EXPECT_EQ(with_data.exit_code, 0) << with_data.err;
  custos::testing::TempDir empty;
  const auto without = testing::RunCustos(
      {"devices", "simulate", "--url", url, "--data", empty.Path(), "--count", "2"});
  EXPECT_NE(without.exit_code, 0);
  EXPECT_NE(without.err.find("--token"), std::string::npos) << without.err;
  EXPECT_NE(without.err.find("admin-token"), std::string::npos) << without.err;

  auto unknown = client_->Post(
      "/api/v1/devices", Auth(),
      json{{"person", kAlice}, {"platform", "unknown"}, {"ownership", "corporate"}}.dump(),
      "application/json");
  ExpectError(unknown, 400, "invalid_argument");
  EXPECT_EQ(BodyJson(unknown)["error"].value("field", ""), "platform");
  EXPECT_NE(BodyJson(unknown)["error"].value("message", "").find("ios, ipados, android"),
            std::string::npos)
      << unknown->body;
}

}  // namespace
}  // namespace custos::e2e
