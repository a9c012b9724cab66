// SPDX-License-Identifier: Apache-2.0
// The escalation ladder driven over simulated weeks with a FakeClock.
#include "devices/evaluator.h"

#include <algorithm>

#include <gtest/gtest.h>

#include "devices/gate.h"
#include "testing/fake_clock.h"

namespace custos::devices {
namespace {

constexpr core::Micros kHour = 3600 * core::kMicrosPerSecond;

Policy TestPolicy() {
  auto p = ParsePolicyYaml(R"yaml(
id: test
version: 1
settings: {posture_max_age_hours: 48}
rules:
  - id: encryption
    control: encryption_required
    severity: medium
    remediation: Turn on device encryption.
  - id: integrity
    control: integrity_not_compromised
    value: at_risk
    severity: high
  - id: os
    control: os_version_min
    value: "17.0"
    severity: low
    evidence: mdm
  - id: lost
    control: not_reported_lost
)yaml",
                           "test.yaml");
  EXPECT_TRUE(p.has_value()) << p.error().ToString();
  return *p;
}

PostureReport Report(core::Micros at, bool encrypted) {
  PostureReport r;
  r.device_id = "d1";
  r.source = Source::kAppleMdm;
  r.platform = Platform::kIos;
  r.collected_at = at;
  r.os_version = "17.4";
  r.integrity = IntegrityPosture::kSecure;
  r.encryption_enabled = encrypted ? Tri::kTrue : Tri::kFalse;
  return r;
}

bool Fired(const Verdict& v, Action a) {
  return std::any_of(v.fired.begin(), v.fired.end(),
                     [&](const FiredAction& f) { return f.action == a; });
}

const RuleResult& ResultFor(const Verdict& v, const std::string& id) {
  return *std::find_if(v.results.begin(), v.results.end(),
                       [&](const RuleResult& r) { return r.rule_id == id; });
}

TEST(Evaluator, LadderOverSimulatedWeeks) {
  testing::FakeClock clock;
  const Policy policy = TestPolicy();
  const DeviceContext ctx{Platform::kIos, Ownership::kCorporate, false};
  DeviceTrack track;
  const core::Micros start = clock.Now();
  auto eval = [&] {
    PostureReport r = Report(clock.Now(), false);  // a fresh, unencrypted report each time
    return Evaluate(policy, ctx, &r, clock.Now(), &track);
  };
  Verdict v = eval();
  EXPECT_EQ(v.state, DeviceState::kInGrace);
  EXPECT_EQ(v.access, MessagingAccess::kWarn);
  EXPECT_TRUE(Fired(v, Action::kNotifyUser));
  const RuleResult& enc = ResultFor(v, "encryption");
  EXPECT_EQ(enc.outcome, Outcome::kFail);
  EXPECT_EQ(enc.observed, "encryption off");
  EXPECT_EQ(enc.expected, "encryption on");
  EXPECT_EQ(enc.first_failed_at, start);
  EXPECT_EQ(enc.grace_ends_at, start + 72 * kHour);
  EXPECT_EQ(v.user_messages.front(), "Turn on device encryption.");

  clock.Advance(24 * kHour);
  v = eval();
  EXPECT_TRUE(Fired(v, Action::kNotifyManager));
  EXPECT_FALSE(Fired(v, Action::kNotifyUser) && v.fired.size() == 1);
  clock.Advance(48 * kHour);  // 72 h
  v = eval();
  EXPECT_TRUE(Fired(v, Action::kMarkNoncompliant));
  EXPECT_EQ(v.state, DeviceState::kNoncompliant);
  EXPECT_EQ(v.access, MessagingAccess::kRestricted);
  clock.Advance(96 * kHour);  // 7 days
  v = eval();
  EXPECT_TRUE(Fired(v, Action::kBlockMessaging));
  EXPECT_TRUE(Fired(v, Action::kRevokeSessions));
  EXPECT_EQ(v.access, MessagingAccess::kBlocked);
  clock.Advance(7 * 24 * kHour);  // 14 days
  v = eval();
  EXPECT_TRUE(Fired(v, Action::kRemoteLock));
  clock.Advance(16 * 24 * kHour);  // 30 days
  v = eval();
  ASSERT_TRUE(Fired(v, Action::kRetire));
  EXPECT_TRUE(v.fired.front().requires_approval);
  clock.Advance(kHour);
  v = eval();
  EXPECT_TRUE(v.fired.empty());  // each step fires once
  EXPECT_EQ(ResultFor(v, "encryption").first_failed_at, start);
}

TEST(Evaluator, PersonalDevicesAreNeverRemoteLockedByTheLadder) {
  testing::FakeClock clock;
  DeviceTrack track;
  const DeviceContext ctx{Platform::kIos, Ownership::kPersonal, false};
  PostureReport r = Report(clock.Now(), false);
  Evaluate(TestPolicy(), ctx, &r, clock.Now(), &track);
  clock.Advance(15 * 24 * kHour);
  r = Report(clock.Now(), false);
  Verdict v = Evaluate(TestPolicy(), ctx, &r, clock.Now(), &track);
  EXPECT_TRUE(Fired(v, Action::kBlockMessaging));
  EXPECT_FALSE(Fired(v, Action::kRemoteLock));
}

TEST(Evaluator, CriticalFindingsSkipTheGrace) {
  testing::FakeClock clock;
  DeviceTrack track;
  PostureReport r = Report(clock.Now(), true);
  r.integrity = IntegrityPosture::kCompromised;
  Verdict v = Evaluate(TestPolicy(), {Platform::kIos, Ownership::kCorporate, false}, &r,
                       clock.Now(), &track);
  const RuleResult& integ = ResultFor(v, "integrity");
  EXPECT_TRUE(integ.critical);
  EXPECT_TRUE(Fired(v, Action::kBlockMessaging));
  EXPECT_EQ(v.access, MessagingAccess::kBlocked);
  EXPECT_FALSE(Fired(v, Action::kRemoteLock));  // later steps keep their times
}

TEST(Evaluator, ReportedLostBlocksAtOnce) {
  testing::FakeClock clock;
  DeviceTrack track;
  PostureReport r = Report(clock.Now(), true);
  Verdict v = Evaluate(TestPolicy(), {Platform::kIos, Ownership::kCorporate, true}, &r, clock.Now(),
                       &track);
  EXPECT_EQ(v.state, DeviceState::kLost);
  EXPECT_EQ(v.access, MessagingAccess::kBlocked);
  EXPECT_TRUE(ResultFor(v, "lost").critical);
  EXPECT_TRUE(Fired(v, Action::kRevokeSessions));
}

TEST(Evaluator, RecoveryClearsTheClock) {
  testing::FakeClock clock;
  DeviceTrack track;
  const Policy policy = TestPolicy();
  const DeviceContext ctx{Platform::kIos, Ownership::kCorporate, false};
  PostureReport bad = Report(clock.Now(), false);
  Evaluate(policy, ctx, &bad, clock.Now(), &track);
  clock.Advance(80 * kHour);
  bad = Report(clock.Now(), false);
  EXPECT_EQ(Evaluate(policy, ctx, &bad, clock.Now(), &track).access, MessagingAccess::kRestricted);
  PostureReport good = Report(clock.Now(), true);
  Verdict v = Evaluate(policy, ctx, &good, clock.Now(), &track);
  EXPECT_EQ(v.state, DeviceState::kCompliant);
  EXPECT_EQ(v.access, MessagingAccess::kAllow);
  EXPECT_FALSE(track.rules["encryption"].first_failed_at.has_value());
  clock.Advance(kHour);
  bad = Report(clock.Now(), false);
  v = Evaluate(policy, ctx, &bad, clock.Now(), &track);
  EXPECT_EQ(ResultFor(v, "encryption").first_failed_at, clock.Now());  // a new clock
  EXPECT_EQ(v.access, MessagingAccess::kWarn);
}

TEST(Evaluator, StalePostureBecomesUnknownAndRestrictsAfterMaxAge) {
  testing::FakeClock clock;
  DeviceTrack track;
  const Policy policy = TestPolicy();
  const DeviceContext ctx{Platform::kIos, Ownership::kCorporate, false};
  PostureReport r = Report(clock.Now(), true);
  EXPECT_EQ(Evaluate(policy, ctx, &r, clock.Now(), &track).state, DeviceState::kCompliant);
  clock.Advance(49 * kHour);  // the report is now older than posture_max_age_hours
  Verdict v = Evaluate(policy, ctx, &r, clock.Now(), &track);
  EXPECT_EQ(ResultFor(v, "encryption").outcome, Outcome::kUnknown);
  EXPECT_NE(ResultFor(v, "encryption").observed.find("stale"), std::string::npos);
  EXPECT_EQ(v.state, DeviceState::kInGrace);
  clock.Advance(47 * kHour);
  EXPECT_EQ(Evaluate(policy, ctx, &r, clock.Now(), &track).access, MessagingAccess::kWarn);
  clock.Advance(2 * kHour);  // max age + 0 h (high rules restrict at once)
  v = Evaluate(policy, ctx, &r, clock.Now(), &track);
  EXPECT_EQ(v.access, MessagingAccess::kRestricted);
}

TEST(Evaluator, SelfReportIsNotTrustedForMdmRules) {
  testing::FakeClock clock;
  DeviceTrack track;
  PostureReport r = Report(clock.Now(), true);
  r.source = Source::kAgent;
  r.attestation = Attestation::kNone;
  Verdict v = Evaluate(TestPolicy(), {Platform::kIos, Ownership::kCorporate, false}, &r,
                       clock.Now(), &track);
  EXPECT_EQ(ResultFor(v, "os").outcome, Outcome::kUnknown);
  EXPECT_EQ(ResultFor(v, "encryption").outcome, Outcome::kPass);
}

TEST(Evaluator, ThreeEpisodesOpenAnHrCase) {
  testing::FakeClock clock;
  DeviceTrack track;
  const Policy policy = TestPolicy();
  const DeviceContext ctx{Platform::kIos, Ownership::kCorporate, false};
  bool opened = false;
  for (int i = 0; i < 3; ++i) {
    PostureReport bad = Report(clock.Now(), false);
    opened = Fired(Evaluate(policy, ctx, &bad, clock.Now(), &track), Action::kOpenHrCase);
    clock.Advance(kHour);
    PostureReport good = Report(clock.Now(), true);
    Evaluate(policy, ctx, &good, clock.Now(), &track);
    clock.Advance(10 * 24 * kHour);
  }
  EXPECT_TRUE(opened);
}

TEST(Gate, Decisions) {
  EXPECT_EQ(DecideGate(MessagingAccess::kWarn, LostState::kActive, true).decision,
            GateDecision::kAllow);
  EXPECT_EQ(DecideGate(MessagingAccess::kRestricted, LostState::kActive, false).decision,
            GateDecision::kRestricted);
  EXPECT_EQ(DecideGate(MessagingAccess::kRestricted, LostState::kActive, true).decision,
            GateDecision::kBlocked);
  const GateResult lost = DecideGate(MessagingAccess::kAllow, LostState::kContained, false);
  EXPECT_EQ(lost.decision, GateDecision::kBlocked);
  EXPECT_NE(lost.reason.find("contained"), std::string::npos);
}

TEST(Policy, ErrorsNamePositionAndField) {
  auto p = ParsePolicyYaml("rules:\n  - id: a\n    control: warp_drive\n", "p.yaml");
  ASSERT_FALSE(p.has_value());
  EXPECT_NE(p.error().message().find("p.yaml:3:14"), std::string::npos) << p.error().message();
  auto q = ParsePolicyYaml("rules:\n  - id: a\n    control: passcode_min_length\n", "q.yaml");
  ASSERT_FALSE(q.has_value());
  EXPECT_NE(q.error().message().find("value"), std::string::npos);
  auto r = ParsePolicyYaml("settings: {colour: red}\n", "r.yaml");
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message().find("colour"), std::string::npos);
}

}  // namespace
}  // namespace custos::devices
