// SPDX-License-Identifier: Apache-2.0
// Every file of $CUSTOS_CORPUS/mdm/{nanomdm,intune} through its mapping, the Apple schema's
// passcode payload keys through the Apple importer, and a hand-written AMAPI Device fixture.
// CUSTOS_CORPUS defaults to $CUSTOS_SOURCE_DIR/../shared/corpus; the tests skip when absent.
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include <gtest/gtest.h>

#include "crypto/crypto.h"
#include "devices/amapi.h"
#include "devices/importers.h"
#include "devices/nanomdm.h"
#include "devices/privacy.h"

namespace custos::devices {
namespace {

namespace fs = std::filesystem;

fs::path MdmDir() {
  if (const char* corpus = std::getenv("CUSTOS_CORPUS"); corpus != nullptr && *corpus != '\0') {
    return fs::path(corpus) / "mdm";
  }
  const char* source = std::getenv("CUSTOS_SOURCE_DIR");
  const fs::path root =
      source != nullptr && *source != '\0' ? fs::path(source) : fs::path(CUSTOS_DEFAULT_SOURCE_DIR);
  return root / ".." / "shared" / "corpus" / "mdm";
}

std::string Read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<fs::path> Files(const std::string& sub, const std::string& ext) {
  std::vector<fs::path> out;
  const fs::path dir = MdmDir() / sub;
  if (!fs::is_directory(dir)) {
    return out;
  }
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.path().extension() == ext) {
      out.push_back(e.path());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

#define SKIP_WITHOUT_CORPUS(files)                                                  \
  if ((files).empty()) {                                                            \
    GTEST_SKIP() << "MDM corpus not found at " << MdmDir()                          \
                 << "; set CUSTOS_CORPUS to the shared corpus folder to run these"; \
  }

constexpr core::Micros kNow = 1'704'067'200 * core::kMicrosPerSecond;

TEST(NanoMdm, EveryCorpusPlist) {
  const auto files = Files("nanomdm", ".plist");
  SKIP_WITHOUT_CORPUS(files);
  for (const auto& f : files) {
    SCOPED_TRACE(f.string());
    auto e = ParseMdmPlist(Read(f), kNow);
    ASSERT_TRUE(e.has_value()) << e.error().ToString();
    EXPECT_FALSE(e->device_id.empty());
    EXPECT_FALSE(e->message_type.empty());
    const std::string name = f.filename().string();
    if (name.rfind("Authenticate", 0) == 0) {
      EXPECT_EQ(e->message_type, "Authenticate");
      ASSERT_TRUE(e->posture.has_value());
      EXPECT_EQ(e->posture->source, Source::kAppleMdm);
    } else if (name.rfind("TokenUpdate", 0) == 0) {
      EXPECT_EQ(e->message_type, "TokenUpdate");
    } else if (name.rfind("DeviceInformation", 0) == 0) {
      EXPECT_TRUE(e->acknowledgement);
      EXPECT_EQ(e->status, "Acknowledged");
      EXPECT_EQ(e->command_uuid, "76eda240-5488-4989-8339-f2ae160113c4");
      EXPECT_EQ(e->device_id, "66ADE930-5FDF-5EC4-8429-15640684C489");
    }
  }
}

TEST(NanoMdm, EveryCorpusWebhook) {
  const auto files = Files("nanomdm", ".json");
  SKIP_WITHOUT_CORPUS(files);
  for (const auto& f : files) {
    SCOPED_TRACE(f.string());
    auto e = ParseNanoMdmWebhook(Read(f), kNow);
    ASSERT_TRUE(e.has_value()) << e.error().ToString();
    EXPECT_EQ(e->device_id, "66ADE930-5FDF-5EC4-8429-15640684C489");
  }
  auto ack =
      ParseNanoMdmWebhook(Read(MdmDir() / "nanomdm" / "webhook_DeviceInformation.1.json"), kNow);
  ASSERT_TRUE(ack.has_value());
  EXPECT_TRUE(ack->acknowledgement);
  EXPECT_EQ(ack->message_type, "DeviceInformation");
}

TEST(NanoMdm, SecurityInfoBecomesPosture) {
  const std::string plist = R"(<?xml version="1.0" encoding="UTF-8"?>
<plist version="1.0"><dict>
<key>CommandUUID</key><string>c1</string><key>RequestType</key><string>SecurityInfo</string>
<key>Status</key><string>Acknowledged</string><key>UDID</key><string>U1</string>
<key>SecurityInfo</key><dict><key>HardwareEncryptionCaps</key><integer>3</integer>
<key>PasscodePresent</key><true/><key>PasscodeCompliant</key><false/>
<key>AutoLockTime</key><integer>300</integer></dict></dict></plist>)";
  auto e = ParseMdmPlist(plist, kNow);
  ASSERT_TRUE(e.has_value()) << e.error().ToString();
  ASSERT_TRUE(e->posture.has_value());
  EXPECT_EQ(e->posture->encryption_enabled, Tri::kTrue);
  EXPECT_EQ(e->posture->passcode_present, Tri::kTrue);
  EXPECT_EQ(e->posture->passcode_compliant, Tri::kFalse);
  EXPECT_EQ(e->posture->passcode.max_inactivity_min, 5);
}

TEST(NanoMdm, BadInputIsAClearError) {
  EXPECT_FALSE(ParseMdmPlist("garbage", kNow).has_value());
  auto bad = ParseNanoMdmWebhook(R"({"topic":"mdm.Connect","acknowledge_event":{}})", kNow);
  ASSERT_FALSE(bad.has_value());
  EXPECT_NE(bad.error().message().find("raw_payload"), std::string::npos);
  auto notb64 = ParseNanoMdmWebhook(
      R"({"topic":"mdm.Connect","acknowledge_event":{"raw_payload":"!!"}})", kNow);
  EXPECT_FALSE(notb64.has_value());
}

TEST(Intune, EveryCorpusPolicyImports) {
  const auto files = Files("intune", ".json");
  SKIP_WITHOUT_CORPUS(files);
  for (const auto& f : files) {
    SCOPED_TRACE(f.string());
    auto r = ImportIntunePolicy(Read(f), f.string());
    ASSERT_TRUE(r.has_value()) << r.error().ToString();
    EXPECT_GE(r->policy.rules.size(), 4u);
    bool has_passcode = false;
    for (const Rule& rule : r->policy.rules) {
      has_passcode |= rule.control == "passcode_required";
      EXPECT_NE(FindControl(rule.control), nullptr) << rule.control;
    }
    EXPECT_TRUE(has_passcode);
    // The emitted YAML is a valid custos device policy.
    auto again = ParsePolicyYaml(PolicyToYaml(r->policy), "imported.yaml");
    ASSERT_TRUE(again.has_value()) << again.error().ToString();
    EXPECT_EQ(again->rules.size(), r->policy.rules.size());
  }
}

TEST(Intune, IosLevel3MapsTheDocumentedSettings) {
  const fs::path f = MdmDir() / "intune" / "level-3-iOS_iPadOS-high-security-compliance.json";
  if (!fs::exists(f)) {
    GTEST_SKIP() << "corpus file not found: " << f;
  }
  auto r = ImportIntunePolicy(Read(f), f.string());
  ASSERT_TRUE(r.has_value());
  std::map<std::string, std::string> by_control;
  for (const Rule& rule : r->policy.rules) {
    by_control[rule.control] = rule.value;
    EXPECT_EQ(rule.grace_hours, 0);  // "block" after 0 hours
  }
  EXPECT_EQ(by_control["os_version_min"], "15.0");
  EXPECT_EQ(by_control["passcode_min_length"], "6");
  EXPECT_EQ(by_control["passcode_max_age_days"], "365");
  EXPECT_EQ(by_control["threat_level_max"], "secured");
  EXPECT_TRUE(by_control.count("integrity_not_compromised"));
}

TEST(Intune, AndroidReportsUnmappableSettings) {
  const fs::path f = MdmDir() / "intune" / "level-3-fm-high-security-compliance.json";
  if (!fs::exists(f)) {
    GTEST_SKIP() << "corpus file not found: " << f;
  }
  auto r = ImportIntunePolicy(Read(f), f.string());
  ASSERT_TRUE(r.has_value());
  bool reported = false;
  for (const auto& u : r->unmapped) {
    reported |= u.find("securityRequireIntuneAppIntegrity") != std::string::npos;
  }
  EXPECT_TRUE(reported);
  EXPECT_FALSE(
      ImportIntunePolicy(R"({"@odata.type":"#microsoft.graph.windows10"})", "w.json").has_value());
}

TEST(Apple, EverySchemaPasscodeKeyIsKnown) {
  const fs::path f =
      MdmDir() / "apple-schema" / "mdm_profiles_com.apple.mobiledevice.passwordpolicy.yaml";
  if (!fs::exists(f)) {
    GTEST_SKIP() << "corpus file not found: " << f;
  }
  std::istringstream in(Read(f));
  std::string line;
  int checked = 0;
  const auto& known = ApplePasscodeKeys();
  while (std::getline(in, line)) {
    if (line.rfind("- key: ", 0) == 0) {  // top-level payload keys only
      const std::string key = line.substr(7);
      EXPECT_NE(std::find(known.begin(), known.end(), key), known.end()) << key;
      ++checked;
    }
  }
  EXPECT_EQ(checked, 13);
}

TEST(Apple, MobileconfigImports) {
  const std::string plist = R"(<?xml version="1.0" encoding="UTF-8"?>
<plist version="1.0"><dict>
<key>PayloadDisplayName</key><string>Passcode</string><key>PayloadType</key>
<string>Configuration</string><key>PayloadContent</key><array><dict>
<key>PayloadType</key><string>com.apple.mobiledevice.passwordpolicy</string>
<key>forcePIN</key><true/><key>allowSimple</key><false/><key>minLength</key><integer>8</integer>
<key>maxInactivity</key><integer>5</integer><key>maxFailedAttempts</key><integer>10</integer>
<key>pinHistory</key><integer>5</integer><key>changeAtNextAuth</key><false/>
</dict></array></dict></plist>)";
  auto r = ImportApplePasscode(plist, "passcode.mobileconfig");
  ASSERT_TRUE(r.has_value()) << r.error().ToString();
  EXPECT_EQ(r->policy.rules.size(), 6u);
  EXPECT_EQ(r->unmapped.size(), 2u);  // changeAtNextAuth; the wipe side effect of maxFailed
  EXPECT_FALSE(ImportApplePasscode("<plist><dict/></plist>", "empty.plist").has_value());
}

TEST(Amapi, DeviceFixtureMapsAndByodDrops) {
  const std::string device = R"({
    "name": "enterprises/e1/devices/3a1b", "userName": "enterprises/e1/users/42",
    "ownership": "PERSONALLY_OWNED", "managementMode": "PROFILE_OWNER", "state": "ACTIVE",
    "lastStatusReportTime": "2024-01-01T09:00:00Z", "appliedPolicyVersion": "7", "apiLevel": 33,
    "softwareInfo": {"androidVersion": "13", "securityPatchLevel": "2023-11-01"},
    "securityPosture": {"devicePosture": "POTENTIALLY_COMPROMISED", "postureDetails": [
      {"securityRisk": "UNKNOWN_OS"}, {"securityRisk": "HARDWARE_BACKED_EVALUATION_FAILED"}]},
    "deviceSettings": {"isDeviceSecure": true, "isEncrypted": true, "adbEnabled": false,
                       "unknownSourcesEnabled": false, "verifyAppsEnabled": true},
    "nonComplianceDetails": [{"settingName": "passwordPolicies",
                              "nonComplianceReason": "USER_ACTION"}],
    "appliedPasswordPolicies": [{"passwordQuality": "COMPLEXITY_MEDIUM",
                                 "passwordExpirationTimeout": "31536000s"}],
    "hardwareInfo": {"serialNumber": "R58N"}, "networkInfo": {"imei": "490154203237518"},
    "applicationReports": [{"packageName": "com.example", "versionName": "1.0"}]})";
  auto r = ParseAmapiDevice(device);
  ASSERT_TRUE(r.has_value()) << r.error().ToString();
  EXPECT_EQ(r->integrity, IntegrityPosture::kCompromised);
  EXPECT_EQ(r->attestation, Attestation::kSoftware);
  EXPECT_EQ(r->ownership, Ownership::kPersonal);
  EXPECT_EQ(r->management_mode, "work_profile");
  EXPECT_EQ(r->passcode.complexity, "medium");
  EXPECT_EQ(r->passcode.max_age_days, 365);
  EXPECT_EQ(r->passcode_compliant, Tri::kFalse);
  EXPECT_EQ(r->policy_version, "7");
  PrivacyNotice n = ApplyPrivacy(Ownership::kPersonal, &*r);
  EXPECT_EQ(n.dropped, 3);  // apps.all, serial, imei
  EXPECT_FALSE(ParseAmapiDevice(R"({"name":"x"})").has_value());
}

}  // namespace
}  // namespace custos::devices

namespace custos::devices {
namespace {

TEST(DefaultPolicy, ParsesAndUsesOnlyCatalogueControls) {
  const char* source = std::getenv("CUSTOS_SOURCE_DIR");
  const std::string root =
      source != nullptr && *source != '\0' ? source : CUSTOS_DEFAULT_SOURCE_DIR;
  auto p = LoadPolicyFile(root + "/policies/default/devices/mobile-device-policy.yaml");
  ASSERT_TRUE(p.has_value()) << p.error().ToString();
  EXPECT_GE(p->rules.size(), 20u);
  EXPECT_EQ(p->ladder.size(), DefaultLadder().size());
  for (const Rule& r : p->rules) {
    EXPECT_NE(FindControl(r.control), nullptr) << r.id;
    EXPECT_FALSE(r.remediation.empty()) << r.id;
  }
}

}  // namespace
}  // namespace custos::devices
