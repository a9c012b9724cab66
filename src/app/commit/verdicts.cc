// SPDX-License-Identifier: Apache-2.0
// The verdicts commit step (app/commit/steps.h; docs/policy-language.md, "Verdicts in the
// archive").
#include "archive/verdicts.h"

#include <algorithm>

#include "app/commit/steps.h"

namespace custos::app {
namespace {

archive::VerdictEntry ToEntry(const model::Message& m, const policy::Verdict& v, bool blocked) {
  archive::VerdictEntry e;
  e.message_id = m.id;
  e.action = std::string(policy::ActionName(v.action));
  e.pack_version = v.pack_version;
  e.blocked = blocked;
  policy::Severity highest = policy::Severity::kInfo;
  for (const policy::RuleHit& h : v.hits) {
    highest = std::max(highest, h.severity);
    archive::StoredHit hit{.rule = h.rule_id,
                           .clause = h.clause,
                           .severity = std::string(policy::SeverityName(h.severity)),
                           .action = std::string(policy::ActionName(h.action)),
                           .evidence = {}};
    for (const policy::Evidence& ev : h.evidence) {
      hit.evidence.push_back(
          {.begin = static_cast<std::int64_t>(ev.begin),
           .end = static_cast<std::int64_t>(ev.end),
           .text = ev.text,
           .masked = ev.masked,
           .source = ev.source,
           .view = ev.view,
           .confidence = ev.confidence ? std::string(policy::ConfidenceName(*ev.confidence))
                                       : std::string()});
    }
    e.hits.push_back(std::move(hit));
  }
  e.severity = std::string(policy::SeverityName(highest));
  return e;
}

// The verdict entry of a message the device gate refused: its policy hits plus "device-gate".
archive::VerdictEntry DeviceBlockedEntry(const IngestItem& item) {
  archive::VerdictEntry e = ToEntry(item.message, item.verdict, /*blocked=*/true);
  e.action = "block";
  if (e.severity != "critical") {
    e.severity = "high";
  }
  e.hits.push_back({.rule = "device-gate",
                    .clause = "device " + item.gate.device_id + ": " + item.gate.reason,
                    .severity = "high",
                    .action = "block",
                    .evidence = {}});
  return e;
}

class VerdictsStep final : public CommitStep {
 public:
  VerdictsStep(const crypto::KeyRing* keys, const core::Clock* clock)
      : keys_(keys), clock_(clock) {}

  std::string_view Name() const override { return "verdicts"; }

  core::Status Apply(CommitContext& group) override {
    std::vector<archive::VerdictEntry> entries;
    for (const IngestItem& item : group.items) {
      if (item.duplicate) {
        continue;
      }
      if (item.DeviceBlocked()) {
        entries.push_back(DeviceBlockedEntry(item));
      } else if (!item.verdict.hits.empty() || item.blocked) {
        entries.push_back(ToEntry(item.message, item.verdict, item.blocked));
      }
    }
    if (entries.empty()) {
      return core::Status::Ok();
    }
    return archive::AppendVerdicts(group.tx, *keys_, clock_->Now(), entries).status();
  }

 private:
  const crypto::KeyRing* const keys_;
  const core::Clock* const clock_;
};

}  // namespace

std::unique_ptr<CommitStep> MakeVerdictsStep(const crypto::KeyRing* keys,
                                             const core::Clock* clock) {
  return std::make_unique<VerdictsStep>(keys, clock);
}

}  // namespace custos::app
