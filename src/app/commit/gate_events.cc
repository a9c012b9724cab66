// SPDX-License-Identifier: Apache-2.0
// The device-gate-events commit step (app/commit/steps.h; docs/devices.md).
#include "app/commit/steps.h"

namespace custos::app {
namespace {

class GateEventsStep final : public CommitStep {
 public:
  GateEventsStep(const crypto::KeyRing* keys, const core::Clock* clock)
      : keys_(keys), clock_(clock) {}

  std::string_view Name() const override { return "gate-events"; }

  core::Status Apply(CommitContext& group) override {
    std::vector<devices::GateEvent> events;
    for (const IngestItem& item : group.items) {
      if (item.duplicate) {
        continue;
      }
      if (item.DeviceBlocked()) {
        events.push_back(
            {item.gate.device_id, "send_blocked", item.id, item.gate.reason, clock_->Now()});
      }
      for (const std::string& d : item.withheld) {
        events.push_back({d, "delivery_withheld", item.id,
                          "inbound message archived, not delivered", clock_->Now()});
      }
    }
    if (events.empty()) {
      return core::Status::Ok();
    }
    return devices::RecordGateEvents(group.tx, *keys_, events);
  }

 private:
  const crypto::KeyRing* const keys_;
  const core::Clock* const clock_;
};

}  // namespace

std::unique_ptr<CommitStep> MakeGateEventsStep(const crypto::KeyRing* keys,
                                               const core::Clock* clock) {
  return std::make_unique<GateEventsStep>(keys, clock);
}

}  // namespace custos::app
