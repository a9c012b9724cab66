// SPDX-License-Identifier: Apache-2.0
// Apple commands delivered through NanoMDM's command API: a fake NanoMDM (cpp-httplib on
// 127.0.0.1) speaks its documented API (PUT /v1/enqueue/{id}, basic auth "nanomdm" + API key,
// an XML plist body, a JSON APIResult answer); results come back as NanoMDM webhook events.
// Covers queued -> sent -> acknowledged | failed, retry while NanoMDM is down, and expiry.
#include <atomic>
#include <chrono>
#include <fstream>
#include <mutex>
#include <thread>

#include <gtest/gtest.h>
#include <httplib.h>

#include "crypto/crypto.h"
#include "devices/service.h"
#include "devices/ticker.h"
#include "storage/sqlite/sqlite_database.h"
#include "testing/fake_clock.h"
#include "testing/temp_dir.h"

namespace custos::devices {
namespace {

constexpr core::Micros kDay = 24LL * 3600 * core::kMicrosPerSecond;
constexpr const char* kUdid = "00008030-0012345678ABCDEF";
constexpr const char* kKey = "nanomdm-test-key";

// A fake NanoMDM: records every enqueue and answers with `status_code`.
class FakeNanoMdm {
 public:
  FakeNanoMdm() {
    server_.Put(R"(/v1/enqueue/(.+))", [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard lock(mu_);
      const std::string expected = "Basic " + crypto::Base64Encode(std::string("nanomdm:") + kKey);
      if (req.get_header_value("Authorization") != expected) {
        res.status = 401;
        return;
      }
      ids_.push_back(req.matches[1].str());
      bodies_.push_back(req.body);
      res.status = status_;
      res.set_content(status_ == 200 ? R"({"no_push":false,"command_uuid":"x"})"
                                     : R"({"command_error":"storage down"})",
                      "application/json");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }

  ~FakeNanoMdm() {
    server_.stop();
    thread_.join();
  }

  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

  void set_status(int s) {
    std::lock_guard lock(mu_);
    status_ = s;
  }

  std::vector<std::string> ids() {
    std::lock_guard lock(mu_);
    return ids_;
  }

  std::vector<std::string> bodies() {
    std::lock_guard lock(mu_);
    return bodies_;
  }

 private:
  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
  std::mutex mu_;
  int status_ = 200;
  std::vector<std::string> ids_;
  std::vector<std::string> bodies_;
};

std::string Webhook(const std::string& plist) {
  return R"({"topic":"mdm.Acknowledge","event_id":"e1","created_at":"2026-11-02T09:00:00Z",)"
         R"("acknowledge_event":{"udid":")" +
         std::string(kUdid) + R"(","status":"Acknowledged","raw_payload":")" +
         crypto::Base64Encode(plist) + R"("}})";
}

std::string AckPlist(const std::string& uuid, const std::string& status) {
  return R"(<?xml version="1.0" encoding="UTF-8"?><plist version="1.0"><dict>)"
         R"(<key>CommandUUID</key><string>)" +
         uuid + R"(</string><key>Status</key><string>)" + status +
         R"(</string><key>UDID</key><string>)" + kUdid + "</string></dict></plist>";
}

class NanoMdmDeliveryTest : public ::testing::Test {
 protected:
  NanoMdmDeliveryTest()
      : keys_(*crypto::KeyRing::LoadOrCreate(dir_.File("keyring"))),
        db_(*storage::OpenSqlite(dir_.File("custos.db"))),
        service_(db_.get(), &keys_, &clock_, Policy{}),
        client_(NanoMdmConfig{fake_.url(), kKey}) {
    clock_.Set(1'790'000'000LL * core::kMicrosPerSecond);
  }

  // A supervised corporate iPhone enrolled with its NanoMDM enrollment id, reported lost.
  Command ReportLost() {
    auto e =
        service_.Enroll("alice@example.com", Platform::kIos, Ownership::kCorporate, "admin", kUdid,
                        /*unlisted=*/true);
    EXPECT_TRUE(e.has_value()) << e.error().ToString();
    EXPECT_EQ(e->device_id, MdmDeviceId(kUdid));
    EXPECT_TRUE(service_.ReportLost(e->device_id, "alice@example.com").has_value());
    auto commands = service_.Commands(e->device_id);
    EXPECT_TRUE(commands.has_value() && commands->size() == 1);
    return commands->at(0);
  }

  CommandState StateOf(const std::string& uuid) {
    auto commands = service_.Commands(MdmDeviceId(kUdid));
    EXPECT_TRUE(commands.has_value());
    for (const Command& c : *commands) {
      if (c.uuid == uuid) {
        return c.state;
      }
    }
    ADD_FAILURE() << "no command " << uuid;
    return CommandState::kFailed;
  }

  testing::TempDir dir_;
  testing::FakeClock clock_;
  crypto::KeyRing keys_;
  std::unique_ptr<storage::Database> db_;
  DeviceService service_;
  FakeNanoMdm fake_;
  NanoMdmClient client_;
};

TEST_F(NanoMdmDeliveryTest, LostModeIsEnqueuedThenAcknowledgedThroughTheWebhook) {
  const Command lock = ReportLost();
  EXPECT_EQ(lock.type, CommandType::kLostMode);  // supervised corporate iPhone
  EXPECT_EQ(lock.state, CommandState::kQueued);

  auto summary = service_.DispatchToMdm(&client_);
  ASSERT_TRUE(summary.has_value()) << summary.error().ToString();
  EXPECT_EQ(summary->sent, 1);
  ASSERT_EQ(fake_.ids().size(), 1u);
  EXPECT_EQ(fake_.ids()[0], kUdid);
  const std::string body = fake_.bodies()[0];
  EXPECT_NE(body.find("<string>EnableLostMode</string>"), std::string::npos) << body;
  EXPECT_NE(body.find("<key>CommandUUID</key><string>" + lock.uuid + "</string>"),
            std::string::npos)
      << body;
  EXPECT_EQ(StateOf(lock.uuid), CommandState::kSent);

  // Dispatching again sends nothing twice.
  EXPECT_EQ(service_.DispatchToMdm(&client_)->sent, 0);
  EXPECT_EQ(fake_.ids().size(), 1u);

  auto event = ParseNanoMdmWebhook(Webhook(AckPlist(lock.uuid, "Acknowledged")), clock_.Now());
  ASSERT_TRUE(event.has_value()) << event.error().ToString();
  auto applied = service_.ApplyMdmEvent(*event);
  ASSERT_TRUE(applied.has_value()) << applied.error().ToString();
  EXPECT_EQ(applied->command_state, "acknowledged");
  EXPECT_EQ(StateOf(lock.uuid), CommandState::kAcknowledged);
}

TEST_F(NanoMdmDeliveryTest, AnErrorResultFailsTheCommand) {
  const Command lock = ReportLost();
  ASSERT_EQ(service_.DispatchToMdm(&client_)->sent, 1);
  auto event = ParseNanoMdmWebhook(Webhook(AckPlist(lock.uuid, "Error")), clock_.Now());
  ASSERT_TRUE(event.has_value()) << event.error().ToString();
  EXPECT_EQ(service_.ApplyMdmEvent(*event)->command_state, "failed");
  EXPECT_EQ(StateOf(lock.uuid), CommandState::kFailed);
}

TEST_F(NanoMdmDeliveryTest, UnreachableNanoMdmRetriesUntilTheCommandExpires) {
  const Command lock = ReportLost();
  fake_.set_status(500);
  auto first = service_.DispatchToMdm(&client_);
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->retry, 1);
  EXPECT_EQ(StateOf(lock.uuid), CommandState::kQueued);

  clock_.Advance(31 * kDay);  // Apple commands live 30 days
  auto later = service_.DispatchToMdm(&client_);
  ASSERT_TRUE(later.has_value());
  EXPECT_EQ(later->expired, 1);
  EXPECT_EQ(StateOf(lock.uuid), CommandState::kExpired);
}

TEST_F(NanoMdmDeliveryTest, AWrongApiKeyFailsTheCommandWithTheReason) {
  const Command lock = ReportLost();
  NanoMdmClient wrong(NanoMdmConfig{fake_.url(), "not-the-key"});
  auto summary = service_.DispatchToMdm(&wrong);
  ASSERT_TRUE(summary.has_value());
  EXPECT_EQ(summary->failed, 1);
  ASSERT_EQ(summary->errors.size(), 1u);
  EXPECT_NE(summary->errors[0].find("401"), std::string::npos) << summary->errors[0];
  EXPECT_EQ(StateOf(lock.uuid), CommandState::kFailed);
}

TEST_F(NanoMdmDeliveryTest, WithoutNanoMdmCommandsWaitForTheAgentCheckIn) {
  const Command lock = ReportLost();
  auto summary = service_.DispatchToMdm(nullptr);
  ASSERT_TRUE(summary.has_value());
  EXPECT_EQ(summary->sent, 0);
  auto delivered = service_.Deliver(MdmDeviceId(kUdid));
  ASSERT_TRUE(delivered.has_value());
  ASSERT_EQ(delivered->size(), 1u);
  EXPECT_EQ(StateOf(lock.uuid), CommandState::kSent);
  EXPECT_TRUE(service_.AckCommand(MdmDeviceId(kUdid), lock.uuid, true, "locked").ok());
  EXPECT_EQ(StateOf(lock.uuid), CommandState::kAcknowledged);
}

TEST_F(NanoMdmDeliveryTest, TheTickerDeliversWithoutARequest) {
  const Command lock = ReportLost();
  DeviceTicker ticker(&service_, &client_, std::chrono::milliseconds(10));
  ASSERT_TRUE(ticker.Start().ok());
  for (int i = 0; i < 500 && fake_.ids().empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ticker.Stop();
  ASSERT_EQ(fake_.ids().size(), 1u);
  EXPECT_EQ(StateOf(lock.uuid), CommandState::kSent);
}

TEST(NanoMdmConfigTest, ReadsTheDevicesSectionAndNamesBadKeys) {
  testing::TempDir dir;
  const std::string path = dir.File("custos.yaml");
  EXPECT_FALSE(LoadNanoMdmConfig(path)->has_value());  // no file: not configured
  {
    std::ofstream(path) << "devices:\n  nanomdm:\n    url: http://127.0.0.1:9000/\n"
                           "    api_key: k\n";
  }
  auto ok = LoadNanoMdmConfig(path);
  ASSERT_TRUE(ok.has_value() && ok->has_value()) << (ok ? "" : ok.error().ToString());
  EXPECT_EQ((*ok)->url, "http://127.0.0.1:9000");
  { std::ofstream(path) << "devices:\n  nanomdm:\n    url: ftp://x\n    api_key: k\n"; }
  auto bad = LoadNanoMdmConfig(path);
  ASSERT_FALSE(bad.has_value());
  EXPECT_NE(bad.error().message().find("devices.nanomdm.url"), std::string::npos);
  { std::ofstream(path) << "devices:\n  nanomdm:\n    url: http://x\n"; }
  auto missing = LoadNanoMdmConfig(path);
  ASSERT_FALSE(missing.has_value());
  EXPECT_NE(missing.error().message().find("devices.nanomdm.api_key"), std::string::npos);
}

}  // namespace
}  // namespace custos::devices
