// SPDX-License-Identifier: Apache-2.0
#include "devices/posture.h"

#include <gtest/gtest.h>

#include "devices/privacy.h"

namespace custos::devices {
namespace {

constexpr const char* kFull = R"json({
  "schema_version": "1.0", "report_id": "r-1", "device_id": "dev-1", "user_id": "alice",
  "platform": "android", "ownership": "personal", "management_mode": "work_profile",
  "privacy_tier": "corporate", "source": "agent", "collected_at": "2024-01-01T10:00:00Z",
  "os": {"version": "14", "api_level": 34, "security_patch_level": "2023-12-05"},
  "integrity": {"posture": "secure", "attestation": "hardware", "adb": false},
  "encryption": {"enabled": true},
  "passcode": {"present": true, "compliant": null, "applied": {"min_length": 6}},
  "apps": {"all": [{"id": "com.example.game", "version": "1"}],
           "messaging_client": {"id": "org.custos.app", "version": "2.1.0"}},
  "location": {"lat": 51.5, "lon": -0.12, "accuracy": 10},
  "hardware": {"imei": "490154203237518", "serial": "R58N123"},
  "battery": {"level": 80}, "gps_fix": "51.5,-0.12"
})json";

TEST(Posture, ParsesTriStateAndKeepsUnknownFieldsAsEvidence) {
  auto r = ParsePostureJson(kFull);
  ASSERT_TRUE(r.has_value()) << r.error().ToString();
  EXPECT_EQ(r->device_id, "dev-1");
  EXPECT_EQ(r->platform, Platform::kAndroid);
  EXPECT_EQ(r->encryption_enabled, Tri::kTrue);
  EXPECT_EQ(r->adb, Tri::kFalse);
  EXPECT_EQ(r->passcode_compliant, Tri::kUnknown);  // null is "not observed"
  EXPECT_EQ(r->dev_mode, Tri::kUnknown);            // absent is "not observed"
  EXPECT_EQ(r->api_level, 34);
  EXPECT_EQ(r->privacy_tier, PrivacyTier::kByod);  // derived, never taken from the report
  EXPECT_NE(r->raw_evidence.find("battery"), std::string::npos);
  EXPECT_NE(r->raw_evidence.find("gps_fix"), std::string::npos);
}

TEST(Posture, RoundTripsThroughJson) {
  auto r = ParsePostureJson(kFull);
  ASSERT_TRUE(r.has_value());
  auto again = ParsePostureJson(PostureToJson(*r));
  ASSERT_TRUE(again.has_value()) << again.error().ToString();
  EXPECT_EQ(again->os_version, r->os_version);
  EXPECT_EQ(again->passcode.min_length, 6);
  EXPECT_EQ(again->raw_evidence, r->raw_evidence);
  EXPECT_EQ(again->hardware.imei, r->hardware.imei);
}

TEST(Posture, BadInputNamesTheField) {
  auto r = ParsePostureJson(
      R"({"device_id":"d","collected_at":"2024-01-01T00:00:00Z","os":{"api_level":"x"}})");
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message().find("os.api_level"), std::string::npos);
  auto t = ParsePostureJson(R"({"device_id":"d","collected_at":"yesterday"})");
  ASSERT_FALSE(t.has_value());
  EXPECT_NE(t.error().message().find("collected_at"), std::string::npos);
  auto e = ParsePostureJson(
      R"({"device_id":"d","collected_at":"2024-01-01T00:00:00Z","platform":"symbian"})");
  ASSERT_FALSE(e.has_value());
  EXPECT_NE(e.error().message().find("platform"), std::string::npos);
  EXPECT_FALSE(ParsePostureJson(R"({"collected_at":"2024-01-01T00:00:00Z"})").has_value());
  EXPECT_FALSE(ParsePostureJson("not json").has_value());
}

TEST(Privacy, PersonalDeviceDropsLocationInventoryAndHardwareIds) {
  auto r = ParsePostureJson(kFull);
  ASSERT_TRUE(r.has_value());
  PrivacyNotice notice = ApplyPrivacy(Ownership::kPersonal, &*r);
  EXPECT_FALSE(r->location.has_value());
  EXPECT_FALSE(r->apps_all.has_value());
  EXPECT_TRUE(r->hardware.empty());
  EXPECT_EQ(r->raw_evidence.find("gps_fix"), std::string::npos);
  EXPECT_NE(r->raw_evidence.find("battery"), std::string::npos);
  EXPECT_EQ(notice.dropped, 5);                  // location, apps.all, imei, serial, raw gps_fix
  EXPECT_TRUE(r->messaging_client.has_value());  // our own app's version is allowed
  const std::string stored = PostureToJson(*r);
  EXPECT_EQ(stored.find("490154203237518"), std::string::npos);
  EXPECT_EQ(stored.find("51.5"), std::string::npos);
}

TEST(Privacy, CorporateKeepsInventoryButLocationOnlyInLostMode) {
  auto r = ParsePostureJson(kFull);
  ASSERT_TRUE(r.has_value());
  PrivacyNotice notice = ApplyPrivacy(Ownership::kCorporate, &*r);
  EXPECT_EQ(r->privacy_tier, PrivacyTier::kCorporate);
  EXPECT_TRUE(r->apps_all.has_value());
  EXPECT_FALSE(r->location.has_value());
  EXPECT_EQ(notice.dropped, 1);
  auto lost = ParsePostureJson(kFull);
  ASSERT_TRUE(lost.has_value());
  lost->lost_mode = Tri::kTrue;
  EXPECT_EQ(ApplyPrivacy(Ownership::kCorporate, &*lost).dropped, 0);
  EXPECT_TRUE(lost->location.has_value());
}

}  // namespace
}  // namespace custos::devices
