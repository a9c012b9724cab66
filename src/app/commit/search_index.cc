// SPDX-License-Identifier: Apache-2.0
// The search-index commit step (app/commit/steps.h).
#include "app/commit/steps.h"

namespace custos::app {
namespace {

class SearchIndexStep final : public CommitStep {
 public:
  explicit SearchIndexStep(const search::Index* index) : index_(index) {}

  std::string_view Name() const override { return "search-index"; }

  core::Status Apply(CommitContext& group) override {
    if (index_ == nullptr) {
      return core::Status::Ok();
    }
    for (const IngestItem& item : group.items) {
      if (!item.duplicate) {
        RETURN_IF_ERROR(index_->Add(group.tx, item.message.id, item.message.text));
      }
    }
    return core::Status::Ok();
  }

 private:
  const search::Index* const index_;
};

}  // namespace

std::unique_ptr<CommitStep> MakeSearchIndexStep(const search::Index* index) {
  return std::make_unique<SearchIndexStep>(index);
}

}  // namespace custos::app
