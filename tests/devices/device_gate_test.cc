// SPDX-License-Identifier: Apache-2.0
// The device gate in the ingest spine (app::IngestService + DeviceService over a real data
// directory): a lost device cannot send (archived as blocked, a send_blocked device event), a
// restricted device sends text but not attachments, inbound messages for a blocked device are
// archived but not delivered (delivery_withheld), and history is never gated.
#include <fstream>

#include <gtest/gtest.h>

#include "app/custos.h"
#include "storage/sqlite/sqlite_database.h"
#include "testing/fake_clock.h"
#include "testing/temp_dir.h"

namespace custos::app {
namespace {

constexpr const char* kAlice = "alice@example.com";

class DeviceGateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    clock_.Set(1'790'000'000LL * core::kMicrosPerSecond);
    std::ofstream(dir_.File("devices-policy.yaml")) << R"yaml(
rules:
  - {id: encryption, control: encryption_required, severity: high, remediation: Turn on encryption.}
  - {id: not-lost, control: not_reported_lost, severity: critical}
)yaml";
    OpenOptions o;
    o.data_dir = dir_.Path();
    o.clock = &clock_;
    o.default_policy_pack = kNoPolicyPack;
    auto c = Custos::Open(o);
    ASSERT_TRUE(c.has_value()) << c.error().ToString();
    custos_ = std::move(*c);
  }

  std::string Enroll(const std::string& person, bool encrypted) {
    auto e = custos_->devices().Enroll(person, devices::Platform::kAndroid,
                                       devices::Ownership::kCorporate, "admin", "",
                                       /*unlisted=*/true);
    EXPECT_TRUE(e.has_value()) << e.error().ToString();
    devices::PostureReport r;
    r.collected_at = clock_.Now();
    r.source = devices::Source::kAmapi;
    r.encryption_enabled = encrypted ? devices::Tri::kTrue : devices::Tri::kFalse;
    EXPECT_TRUE(custos_->devices()
                    .SubmitPosture(e->device_id, r, devices::PostureChannel::kMdm)
                    .has_value());
    return e->device_id;
  }

  model::Message Outbound(const std::string& id, bool attachment = false) {
    model::Message m;
    m.source = "test";
    m.source_id = id;
    m.channel = "whatsapp";
    m.conversation = "+447700900123";
    m.from = kAlice;
    m.to = {"+447700900123"};
    m.sent_at = clock_.Now();
    m.direction = model::Direction::kOutbound;
    m.text = "quarterly numbers attached";
    if (attachment) {
      m.attachments.push_back({"q3.pdf", "application/pdf", 1024, std::string(64, 'a')});
    }
    return m;
  }

  // device_event records of `event` for `device`, read over a second connection.
  std::int64_t Events(const std::string& device, const std::string& event) {
    auto db = storage::OpenSqlite(dir_.File("custos.db"));
    EXPECT_TRUE(db.has_value());
    auto tx = *(*db)->Begin(storage::TxMode::kRead);
    auto rows = *tx->Query(
        "SELECT count(*) FROM device_events e JOIN records r ON r.id = e.record_id "
        "WHERE e.device_id = ? AND e.event = ? AND r.kind = 'device_event'",
        {device, event});
    return rows[0].Int(0);
  }

  testing::TempDir dir_;
  testing::FakeClock clock_;
  std::unique_ptr<Custos> custos_;
};

TEST_F(DeviceGateTest, ALostDeviceCannotSendAndTheAttemptIsRecorded) {
  const std::string device = Enroll(kAlice, /*encrypted=*/true);
  auto before = custos_->ingest().Ingest({Outbound("m1")}, Enforcement::kEnforce, device);
  EXPECT_EQ(before.at(0).status, IngestStatus::kAccepted) << before.at(0).error;

  ASSERT_TRUE(custos_->devices().ReportLost(device, kAlice).has_value());
  auto after = custos_->ingest().Ingest({Outbound("m2")}, Enforcement::kEnforce, device);
  ASSERT_EQ(after.at(0).status, IngestStatus::kBlocked);
  EXPECT_EQ(after.at(0).device_id, device);
  EXPECT_EQ(after.at(0).field, "device");
  EXPECT_NE(after.at(0).error.find("contained"), std::string::npos) << after.at(0).error;
  EXPECT_GT(after.at(0).id, 0);  // archived as blocked: the attempt is on record
  EXPECT_EQ(Events(device, "send_blocked"), 1);

  // A connector that knows only the sender: the sender's lost device blocks it too.
  auto by_sender = custos_->ingest().Ingest({Outbound("m3")});
  EXPECT_EQ(by_sender.at(0).status, IngestStatus::kBlocked);
  EXPECT_EQ(Events(device, "send_blocked"), 2);
}

TEST_F(DeviceGateTest, ARestrictedDeviceSendsTextButNotAttachments) {
  const std::string device = Enroll(kAlice, /*encrypted=*/false);
  auto info = custos_->devices().Get(device);
  ASSERT_TRUE(info.has_value());
  ASSERT_EQ(info->access, devices::MessagingAccess::kRestricted);  // high rule: restricted at once

  auto text = custos_->ingest().Ingest({Outbound("t1")}, Enforcement::kEnforce, device);
  EXPECT_EQ(text.at(0).status, IngestStatus::kAccepted) << text.at(0).error;
  auto file = custos_->ingest().Ingest({Outbound("t2", true)}, Enforcement::kEnforce, device);
  ASSERT_EQ(file.at(0).status, IngestStatus::kBlocked);
  EXPECT_NE(file.at(0).error.find("attachments"), std::string::npos) << file.at(0).error;
}

TEST_F(DeviceGateTest, InboundForABlockedDeviceIsArchivedButNotDelivered) {
  const std::string device = Enroll(kAlice, /*encrypted=*/true);
  ASSERT_TRUE(custos_->devices().ReportLost(device, kAlice).has_value());
  model::Message in = Outbound("i1");
  in.direction = model::Direction::kInbound;
  in.from = "+447700900123";
  in.to = {kAlice};
  auto out = custos_->ingest().Ingest({in});
  ASSERT_EQ(out.at(0).status, IngestStatus::kAccepted) << out.at(0).error;
  EXPECT_EQ(out.at(0).withheld_devices, std::vector<std::string>{device});
  EXPECT_EQ(Events(device, "delivery_withheld"), 1);
}

TEST_F(DeviceGateTest, HistoryAndUnenrolledSendersAreNotGated) {
  const std::string device = Enroll(kAlice, /*encrypted=*/true);
  ASSERT_TRUE(custos_->devices().ReportLost(device, kAlice).has_value());
  auto history = custos_->ingest().Ingest({Outbound("h1")}, Enforcement::kRecordOnly);
  EXPECT_EQ(history.at(0).status, IngestStatus::kAccepted);
  model::Message other = Outbound("h2");
  other.from = "bob@example.com";  // no enrolled device
  EXPECT_EQ(custos_->ingest().Ingest({other}).at(0).status, IngestStatus::kAccepted);
  EXPECT_EQ(Events(device, "send_blocked"), 0);
}

// A message sent with the credential of a device is first bound to that device and its person
// (issue 13 item 25, docs/devices.md); an unknown device has no person to bind to, so the
// message is refused there, before the gate, and nothing is archived in its name.
TEST_F(DeviceGateTest, AnUnknownDeviceIsRefused) {
  auto out = custos_->ingest().Ingest({Outbound("u1")}, Enforcement::kEnforce, "dev-nonesuch");
  ASSERT_EQ(out.at(0).status, IngestStatus::kRejected);
  EXPECT_EQ(out.at(0).id, 0);
  EXPECT_NE(out.at(0).error.find("unknown device"), std::string::npos) << out.at(0).error;
  auto db = storage::OpenSqlite(dir_.File("custos.db"));
  ASSERT_TRUE(db.has_value());
  auto tx = *(*db)->Begin(storage::TxMode::kRead);
  EXPECT_EQ((*tx->Query("SELECT count(*) FROM messages"))[0].Int(0), 0);
}

}  // namespace
}  // namespace custos::app
