// SPDX-License-Identifier: Apache-2.0
#include "app/commit/steps.h"

namespace custos::app {

core::Status CommitStep::Admit(const model::Message& /*message*/, std::string* /*field*/) const {
  return core::Status::Ok();
}

CommitSteps DefaultCommitSteps(const CommitServices& services) {
  CommitSteps steps;
  // Order matters: content is stored before the records that list it; the records (and their
  // ids) come before everything that refers to them; record ids follow this order.
  steps.push_back(MakeAttachmentContentStep(services.attachments));
  steps.push_back(MakeArchiveAppendStep(services.store));
  steps.push_back(MakeSearchIndexStep(services.index));
  steps.push_back(MakeVerdictsStep(services.keys, services.clock));
  steps.push_back(MakeGateEventsStep(services.keys, services.clock));
  return steps;
}

}  // namespace custos::app
