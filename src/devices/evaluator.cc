// SPDX-License-Identifier: Apache-2.0
#include "devices/evaluator.h"

#include <algorithm>
#include <array>

namespace custos::devices {
namespace {

constexpr core::Micros kHour = 3600 * core::kMicrosPerSecond;

bool Applies(const Rule& rule, const DeviceContext& ctx) {
  auto has = [](const auto& list, auto v) {
    return list.empty() || std::find(list.begin(), list.end(), v) != list.end();
  };
  const Platform p = ctx.platform == Platform::kIpados ? Platform::kIos : ctx.platform;
  const bool platform_ok = has(rule.platforms, ctx.platform) || has(rule.platforms, p);
  return platform_ok && has(rule.ownerships, ctx.ownership);
}

// Why a rule is unknown, for the employee: what would let custos check it. The rule's own
// remediation says how to fix a failure; shown for an unknown it would claim a fault nobody saw.
enum class UnknownWhy { kNoReport, kStale, kUntrusted, kNotObserved };

std::string UnknownRemediation(const Policy& policy, const Rule& rule, UnknownWhy why) {
  switch (why) {
    case UnknownWhy::kNoReport:
      return "custos has no status report from this device yet: open the company messaging app "
             "so it can report.";
    case UnknownWhy::kStale:
      return "This device has not reported its status for more than " +
             std::to_string(policy.posture_max_age_hours) +
             " hours: open the company messaging app so it can report.";
    case UnknownWhy::kUntrusted:
      return rule.evidence == Evidence::kMdm
                 ? "This setting must be confirmed by the company's device management, which has "
                   "not reported it: keep the company management profile installed, or contact "
                   "IT."
                 : "This setting must be confirmed by the company messaging app with a device "
                   "attestation: update the app and allow it to verify the device, or contact "
                   "IT.";
    case UnknownWhy::kNotObserved:
      break;
  }
  if (rule.control == "apps_blocklist") {
    return "The company messaging app has not yet checked for the apps on the company's blocked "
           "list: open it so it can check (it reports only which blocked apps are installed, "
           "never your other apps).";
  }
  return "The device did not report this setting: update the company messaging app so it can "
         "report it, or contact IT.";
}

RuleResult Check(const Policy& policy, const Rule& rule, const DeviceContext& ctx,
                 const PostureReport* report, core::Micros now) {
  RuleResult r{rule.id,       rule.control, Outcome::kUnknown, "",           "",
               rule.severity, false,        std::nullopt,      std::nullopt, rule.remediation};
  if (!Applies(rule, ctx)) {
    r.outcome = Outcome::kNotApplicable;
    return r;
  }
  ControlCheck check;
  UnknownWhy why = UnknownWhy::kNotObserved;
  if (rule.control == "not_reported_lost") {
    check = CheckControl(rule, ctx, PostureReport{}, now);
  } else if (report == nullptr) {
    check = {Outcome::kUnknown, "no posture report", ""};
    why = UnknownWhy::kNoReport;
  } else if (now - report->collected_at > policy.posture_max_age_hours * kHour) {
    check = {Outcome::kUnknown, "stale: collected " + core::FormatRfc3339(report->collected_at),
             ""};
    why = UnknownWhy::kStale;
  } else if (TrustOf(*report) < rule.evidence) {
    check = {Outcome::kUnknown,
             "not trusted from " + std::string(Name(report->source)) + " (needs " +
                 std::string(Name(rule.evidence)) + ")",
             ""};
    why = UnknownWhy::kUntrusted;
  } else {
    check = CheckControl(rule, ctx, *report, now);
  }
  r.outcome = check.outcome;
  r.observed = check.observed;
  r.expected = check.expected;
  if (r.outcome == Outcome::kUnknown) {
    r.remediation = UnknownRemediation(policy, rule, why);
  }
  if (r.outcome == Outcome::kFail) {
    r.critical = rule.severity == Severity::kCritical || rule.control == "not_reported_lost" ||
                 (report != nullptr && rule.control == "integrity_not_compromised" &&
                  report->integrity == IntegrityPosture::kCompromised) ||
                 (report != nullptr && rule.control == "threat_level_max" &&
                  report->threat == ThreatLevel::kHigh);
  }
  return r;
}

bool Restricts(const LadderStep& step) {
  return std::any_of(step.actions.begin(), step.actions.end(), [](Action a) {
    return a == Action::kMarkNoncompliant || a == Action::kBlockMessaging;
  });
}

bool Blocks(const LadderStep& step) {
  return std::find(step.actions.begin(), step.actions.end(), Action::kBlockMessaging) !=
         step.actions.end();
}

// When step `i` becomes due for a failing rule, or nullopt if it never applies.
std::optional<core::Micros> DueAt(const Policy& policy, const Rule& rule, const RuleResult& r,
                                  const DeviceContext& ctx, std::size_t i) {
  const LadderStep& step = policy.ladder[i];
  const Severity severity = r.critical ? Severity::kCritical : rule.severity;
  if (severity < step.min_severity ||
      (step.corporate_only && ctx.ownership != Ownership::kCorporate)) {
    return std::nullopt;
  }
  const core::Micros start = *r.first_failed_at;
  if (r.critical) {
    std::size_t first_block = policy.ladder.size();
    for (std::size_t j = 0; j < policy.ladder.size(); ++j) {
      if (Blocks(policy.ladder[j])) {
        first_block = j;
        break;
      }
    }
    if (i <= first_block) {
      return start;
    }
  }
  core::Micros hours = step.HoursFor(severity);
  if (i > 0) {
    hours += rule.grace_hours.value_or(0);
    if (r.outcome == Outcome::kUnknown && !policy.unknown_is_fail) {
      hours += policy.posture_max_age_hours;  // unknown: in grace for the posture's max age
    }
  }
  return start + hours * kHour;
}

MessagingAccess Worse(MessagingAccess a, MessagingAccess b) { return a > b ? a : b; }

void AddFired(Verdict* v, Action action, const std::string& rule_id, bool approval) {
  for (const auto& f : v->fired) {
    if (f.action == action) {
      return;
    }
  }
  v->fired.push_back({action, rule_id, approval});
}

void Ladder(const Policy& policy, const Rule& rule, const DeviceContext& ctx, core::Micros now,
            RuleClock* clock, RuleResult* r, Verdict* v) {
  for (std::size_t i = 0; i < policy.ladder.size() && i < 32; ++i) {
    const auto due = DueAt(policy, rule, *r, ctx, i);
    if (!due) {
      continue;
    }
    const LadderStep& step = policy.ladder[i];
    if (Restricts(step) && !r->grace_ends_at) {
      r->grace_ends_at = *due;
    }
    if (*due > now) {
      if (!v->next || *due < v->next->due_at) {
        v->next = NextAction{step.actions.front(), *due};
      }
      continue;
    }
    const unsigned bit = 1u << i;
    if ((clock->fired_steps & bit) == 0) {
      clock->fired_steps |= bit;
      for (Action a : step.actions) {
        AddFired(v, a, rule.id, step.requires_approval);
      }
    }
    v->access = Worse(v->access, Blocks(step)      ? MessagingAccess::kBlocked
                                 : Restricts(step) ? MessagingAccess::kRestricted
                                                   : MessagingAccess::kWarn);
  }
}

void Episodes(const Policy& policy, bool failing, core::Micros now, DeviceTrack* track,
              Verdict* v) {
  if (!failing) {
    track->in_episode = false;
    return;
  }
  if (track->in_episode) {
    return;
  }
  track->in_episode = true;
  track->episodes.push_back(now);
  const core::Micros window = core::Micros{policy.hr_case_window_days} * 24 * kHour;
  std::erase_if(track->episodes, [&](core::Micros t) { return now - t > window; });
  if (static_cast<int>(track->episodes.size()) >= policy.hr_case_episodes) {
    AddFired(v, Action::kOpenHrCase, "", false);
  }
}

}  // namespace

std::vector<std::string> PublishedBlocklist(const Policy& policy, const DeviceContext& ctx) {
  std::vector<std::string> out;
  for (const Rule& rule : policy.rules) {
    if (rule.control != "apps_blocklist" || !Applies(rule, ctx)) {
      continue;
    }
    for (const std::string& id : rule.values) {
      if (std::find(out.begin(), out.end(), id) == out.end()) {
        out.push_back(id);
      }
    }
  }
  return out;
}

std::string_view Name(DeviceState v) {
  constexpr std::array<std::string_view, 5> kNames = {"compliant", "in_grace", "noncompliant",
                                                      "unknown", "lost"};
  return kNames[static_cast<std::size_t>(v)];
}

std::string_view Name(MessagingAccess v) {
  constexpr std::array<std::string_view, 4> kNames = {"allow", "warn", "restricted", "blocked"};
  return kNames[static_cast<std::size_t>(v)];
}

Verdict Evaluate(const Policy& policy, const DeviceContext& ctx, const PostureReport* report,
                 core::Micros now, DeviceTrack* track) {
  Verdict v;
  v.evaluated_at = now;
  bool any_fail = false;
  bool any_unknown = false;
  for (const Rule& rule : policy.rules) {
    RuleResult r = Check(policy, rule, ctx, report, now);
    RuleClock& clock = track->rules[rule.id];
    if (r.outcome == Outcome::kPass || r.outcome == Outcome::kNotApplicable) {
      clock = RuleClock{};  // recovery clears the clock
      v.results.push_back(std::move(r));
      continue;
    }
    any_fail |= r.outcome == Outcome::kFail;
    any_unknown |= r.outcome == Outcome::kUnknown;
    if (!clock.first_failed_at) {
      clock.first_failed_at = now;
    }
    r.first_failed_at = clock.first_failed_at;
    Ladder(policy, rule, ctx, now, &clock, &r, &v);
    if (!r.remediation.empty() && std::find(v.user_messages.begin(), v.user_messages.end(),
                                            r.remediation) == v.user_messages.end()) {
      v.user_messages.push_back(r.remediation);
    }
    v.results.push_back(std::move(r));
  }
  Episodes(policy, any_fail, now, track, &v);
  if (ctx.reported_lost) {
    v.state = DeviceState::kLost;
    v.access = MessagingAccess::kBlocked;
  } else if (v.access >= MessagingAccess::kRestricted) {
    v.state = DeviceState::kNoncompliant;
  } else if (any_fail) {
    v.state = DeviceState::kInGrace;
  } else if (any_unknown) {
    v.state = report == nullptr ? DeviceState::kUnknown : DeviceState::kInGrace;
  } else {
    v.state = DeviceState::kCompliant;
  }
  return v;
}

}  // namespace custos::devices
