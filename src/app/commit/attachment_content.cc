// SPDX-License-Identifier: Apache-2.0
// The attachment-content commit step (app/commit/steps.h).
#include <algorithm>

#include "app/commit/steps.h"

namespace custos::app {
namespace {

bool HasContent(const model::Message& m) {
  return std::any_of(m.attachments.begin(), m.attachments.end(),
                     [](const model::Attachment& a) { return a.content.has_value(); });
}

class AttachmentContentStep final : public CommitStep {
 public:
  explicit AttachmentContentStep(archive::AttachmentStore* attachments)
      : attachments_(attachments) {}

  std::string_view Name() const override { return "attachment-content"; }

  core::Status Admit(const model::Message& message, std::string* field) const override {
    if (attachments_ == nullptr && HasContent(message)) {
      *field = "attachments";
      return core::InvalidArgument(
          "attachment content cannot be stored here (no attachment store)");
    }
    return core::Status::Ok();
  }

  // Duplicates too: their content may be new to the store, and the store keeps one copy.
  core::Status Apply(CommitContext& group) override {
    for (IngestItem& item : group.items) {
      for (model::Attachment& a : item.message.attachments) {
        if (!a.content) {
          continue;
        }
        if (attachments_ == nullptr) {
          return core::FailedPrecondition("attachment content cannot be stored here");
        }
        ASSIGN_OR_RETURN(model::Attachment stored,
                         attachments_->Put(group.tx, *a.content, a.mime, a.name));
        if (stored.sha256 != a.sha256) {
          return core::Internal("attachment " + a.name + ": stored content hashes differently");
        }
        a.content.reset();
      }
    }
    return core::Status::Ok();
  }

 private:
  archive::AttachmentStore* const attachments_;
};

}  // namespace

std::unique_ptr<CommitStep> MakeAttachmentContentStep(archive::AttachmentStore* attachments) {
  return std::make_unique<AttachmentContentStep>(attachments);
}

}  // namespace custos::app
