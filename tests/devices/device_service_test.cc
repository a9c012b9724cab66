// SPDX-License-Identifier: Apache-2.0
// DeviceService over a real SQLite file: enrollment, credentials, posture with the privacy
// filter, the lost/stolen workflow with its records, commands and the messaging gate.
#include <gtest/gtest.h>

#include "archive/records.h"
#include "devices/service.h"
#include "storage/sqlite/sqlite_database.h"
#include "testing/fake_clock.h"
#include "testing/temp_dir.h"

namespace custos::devices {
namespace {

constexpr core::Micros kHour = 3600 * core::kMicrosPerSecond;

Policy TestPolicy() {
  auto p = ParsePolicyYaml(R"yaml(
rules:
  - {id: encryption, control: encryption_required, severity: medium,
     remediation: Turn on encryption.}
  - {id: not-lost, control: not_reported_lost, severity: critical}
)yaml",
                           "test.yaml");
  EXPECT_TRUE(p.has_value());
  return *p;
}

class DeviceServiceTest : public ::testing::Test {
 protected:
  DeviceServiceTest()
      : keys_(*crypto::KeyRing::LoadOrCreate(dir_.File("keyring"))),
        db_(*storage::OpenSqlite(dir_.File("custos.db"))),
        service_(db_.get(), &keys_, &clock_, TestPolicy()) {}

  std::string EnrollAndRedeem(const std::string& person, Ownership ownership,
                              Platform platform = Platform::kIos) {
    auto e = service_.Enroll(person, platform, ownership, "admin", "", /*unlisted=*/true);
    EXPECT_TRUE(e.has_value()) << e.error().ToString();
    auto credential = service_.Redeem(e->token);
    EXPECT_TRUE(credential.has_value()) << credential.error().ToString();
    credential_ = *credential;
    return e->device_id;
  }

  PostureReport Posture(bool encrypted) {
    PostureReport r;
    r.collected_at = clock_.Now();
    r.source = Source::kAgent;
    r.encryption_enabled = encrypted ? Tri::kTrue : Tri::kFalse;
    return r;
  }

  std::int64_t CountEvents(const std::string& device) {
    auto tx = *db_->Begin(storage::TxMode::kRead);
    auto rows = *tx->Query(
        "SELECT count(*) FROM device_events e JOIN records r ON r.id = e.record_id "
        "WHERE e.device_id = ? AND r.kind = 'device_event'",
        {device});
    return rows[0].Int(0);
  }

  testing::TempDir dir_;
  testing::FakeClock clock_;
  crypto::KeyRing keys_;
  std::unique_ptr<storage::Database> db_;
  DeviceService service_;
  std::string credential_;
};

TEST_F(DeviceServiceTest, EnrollmentTokenIsOneTimeAndExpires) {
  auto e = service_.Enroll("alice@example.com", Platform::kAndroid, Ownership::kPersonal, "admin",
                           "", /*unlisted=*/true);
  ASSERT_TRUE(e.has_value());
  auto credential = service_.Redeem(e->token);
  ASSERT_TRUE(credential.has_value());
  EXPECT_EQ(service_.Redeem(e->token).error().code(), core::StatusCode::kUnauthenticated);
  EXPECT_EQ(service_.Authenticate(*credential).value(), e->device_id);
  EXPECT_FALSE(service_.Authenticate(*credential + "0").has_value());
  auto late = service_.Enroll("bob@example.com", Platform::kIos, Ownership::kCorporate, "admin", "",
                              /*unlisted=*/true);
  clock_.Advance(25 * kHour);
  EXPECT_EQ(service_.Redeem(late->token).error().code(), core::StatusCode::kUnauthenticated);
  EXPECT_FALSE(service_.Enroll("", Platform::kIos, Ownership::kCorporate, "admin").has_value());
}

TEST_F(DeviceServiceTest, SecretsAreStoredOnlyAsHashes) {
  EnrollAndRedeem("alice@example.com", Ownership::kCorporate);
  auto tx = *db_->Begin(storage::TxMode::kRead);
  auto rows = *tx->Query("SELECT hex(credential_hash) FROM devices");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].Text(0).size(), 64u);
  EXPECT_EQ(rows[0].Text(0).find(credential_), std::string::npos);
}

TEST_F(DeviceServiceTest, PersonalPostureIsFilteredBeforeStorage) {
  const std::string device = EnrollAndRedeem("alice@example.com", Ownership::kPersonal);
  PostureReport r = Posture(true);
  r.location = Location{51.5, -0.12, 5};
  r.hardware.imei = "490154203237518";
  r.apps_all = std::vector<AppInfo>{{"com.example.game", "1"}};
  auto out = service_.SubmitPosture(device, r, PostureChannel::kAgent);
  ASSERT_TRUE(out.has_value()) << out.error().ToString();
  EXPECT_EQ(out->privacy.dropped, 3);
  auto tx = *db_->Begin(storage::TxMode::kRead);
  auto rows = *tx->Query("SELECT posture FROM devices WHERE device_id = ?", {device});
  EXPECT_EQ(rows[0].Text(0).find("490154203237518"), std::string::npos);
  EXPECT_EQ(rows[0].Text(0).find("com.example.game"), std::string::npos);
  EXPECT_EQ(service_.Get(device)->privacy_dropped, 3);
}

TEST_F(DeviceServiceTest, LostIsContainedAtOnceAndRecovers) {
  const std::string device = EnrollAndRedeem("alice@example.com", Ownership::kCorporate);
  ASSERT_TRUE(service_.SubmitPosture(device, Posture(true), PostureChannel::kAgent).has_value());
  EXPECT_EQ(service_.Check("alice@example.com", true).decision, GateDecision::kAllow);
  auto t = service_.ReportLost(device, "alice@example.com");
  ASSERT_TRUE(t.has_value()) << t.error().ToString();
  EXPECT_EQ(service_.Get(device)->lost, LostState::kContained);
  const GateResult gate = service_.Check("alice@example.com", false);
  EXPECT_EQ(gate.decision, GateDecision::kBlocked);
  EXPECT_EQ(gate.device_id, device);
  auto commands = service_.Commands(device);
  ASSERT_EQ(commands->size(), 1u);
  EXPECT_EQ(commands->front().type, CommandType::kLostMode);  // corporate, supervised iOS
  auto delivered = service_.Deliver(device);
  ASSERT_EQ(delivered->size(), 1u);
  ASSERT_TRUE(service_.AckCommand(device, delivered->front().uuid, true, "Acknowledged").ok());
  ASSERT_TRUE(service_.Found(device, "it-admin").ok());
  EXPECT_EQ(service_.Check("alice@example.com", false).decision, GateDecision::kBlocked);
  clock_.Advance(kHour);
  ASSERT_TRUE(service_.SubmitPosture(device, Posture(true), PostureChannel::kAgent).has_value());
  EXPECT_EQ(service_.Get(device)->lost, LostState::kActive);
  EXPECT_EQ(service_.Check("alice@example.com", true).decision, GateDecision::kAllow);
  // enrolled, evaluated (no report yet: notify), credential, posture, report_lost,
  // command_queued, contained, evaluated (lost), command_sent, command_acknowledged, found,
  // recovered, posture
  EXPECT_EQ(CountEvents(device), 13);
}

TEST_F(DeviceServiceTest, WipeNeedsApprovalAndPersonalDevicesAreRetiredNotErased) {
  const std::string device = EnrollAndRedeem("bob@example.com", Ownership::kPersonal);
  ASSERT_TRUE(service_.ReportLost(device, "bob@example.com").has_value());
  EXPECT_EQ(service_.Commands(device)->front().type, CommandType::kLock);  // no lost mode
  EXPECT_FALSE(service_.ApproveWipe(device, "ciso").has_value());          // not wipe_pending yet
  ASSERT_TRUE(service_.ConfirmStolen(device, "it-admin").has_value());
  EXPECT_FALSE(service_.ApproveWipe(device, "bob@example.com").has_value());
  ASSERT_TRUE(service_.ApproveWipe(device, "ciso").has_value());
  auto commands = *service_.Commands(device);
  ASSERT_EQ(commands.size(), 2u);
  EXPECT_EQ(commands.back().type, CommandType::kRetire);
  EXPECT_FALSE(service_.QueueCommand(device, CommandType::kErase, "admin").has_value());
}

TEST_F(DeviceServiceTest, RestrictedDevicesSendTextOnlyAndReportCounts) {
  const std::string device = EnrollAndRedeem("carol@example.com", Ownership::kCorporate);
  ASSERT_TRUE(service_.SubmitPosture(device, Posture(false), PostureChannel::kAgent).has_value());
  clock_.Advance(73 * kHour);
  ASSERT_TRUE(service_.SubmitPosture(device, Posture(false), PostureChannel::kAgent).has_value());
  EXPECT_EQ(service_.Get(device)->access, MessagingAccess::kRestricted);
  EXPECT_EQ(service_.Check("carol@example.com", false).decision, GateDecision::kRestricted);
  EXPECT_EQ(service_.Check("carol@example.com", true).decision, GateDecision::kBlocked);
  EXPECT_EQ(service_.Check("nobody@example.com", true).decision, GateDecision::kAllow);
  auto report = service_.Report();
  ASSERT_TRUE(report.has_value());
  EXPECT_EQ(report->devices, 1);
  EXPECT_EQ(report->by_state["noncompliant"], 1);
  EXPECT_EQ(report->by_failing_rule["encryption"], 1);
}

TEST_F(DeviceServiceTest, CommandsExpireOnDelivery) {
  const std::string device =
      EnrollAndRedeem("dan@example.com", Ownership::kCorporate, Platform::kAndroid);
  auto c = service_.QueueCommand(device, CommandType::kLock, "admin");
  ASSERT_TRUE(c.has_value());
  clock_.Advance(11 * 60 * core::kMicrosPerSecond);
  EXPECT_TRUE(service_.Deliver(device)->empty());
  EXPECT_EQ(service_.Commands(device)->front().state, CommandState::kExpired);
}

}  // namespace
}  // namespace custos::devices
