// SPDX-License-Identifier: Apache-2.0
// The archive-append commit step (app/commit/steps.h): the message records themselves.
#include "app/commit/steps.h"

namespace custos::app {
namespace {

class ArchiveAppendStep final : public CommitStep {
 public:
  explicit ArchiveAppendStep(archive::MessageStore* store) : store_(store) {}

  std::string_view Name() const override { return "archive-append"; }

  core::Status Apply(CommitContext& group) override {
    // MessageStore::Append takes the messages as one vector; they are moved there and back.
    std::vector<model::Message> messages;
    messages.reserve(group.items.size());
    for (IngestItem& item : group.items) {
      messages.push_back(std::move(item.message));
    }
    core::Result<std::vector<archive::AppendOutcome>> stored = store_->Append(group.tx, messages);
    for (std::size_t i = 0; i < group.items.size(); ++i) {
      group.items[i].message = std::move(messages[i]);
    }
    if (!stored.has_value()) {
      return stored.error();
    }
    for (std::size_t i = 0; i < group.items.size(); ++i) {
      group.items[i].duplicate = (*stored)[i].duplicate;
      group.items[i].id = (*stored)[i].id;
    }
    return core::Status::Ok();
  }

 private:
  archive::MessageStore* const store_;
};

}  // namespace

std::unique_ptr<CommitStep> MakeArchiveAppendStep(archive::MessageStore* store) {
  return std::make_unique<ArchiveAppendStep>(store);
}

}  // namespace custos::app
