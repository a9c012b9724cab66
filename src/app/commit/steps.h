// SPDX-License-Identifier: Apache-2.0
// The built-in commit steps (app/commit/commit_step.h) and the one place that lists them in
// order (steps.cc), in the style of http/routes.cc. Each step is one file of this folder.
//
// Thread-safety: the factories are pure; the steps they return follow commit_step.h.
#pragma once

#include <memory>

#include "app/commit/commit_step.h"
#include "archive/attachment_store.h"
#include "archive/message_store.h"
#include "core/time.h"
#include "crypto/keyring.h"
#include "search/index.h"

namespace custos::app {

// The services the built-in steps write through; they must outlive the steps.
struct CommitServices {
  archive::MessageStore* store = nullptr;           // required
  const search::Index* index = nullptr;             // nullptr: messages are not indexed
  const crypto::KeyRing* keys = nullptr;            // required: seals verdict and gate records
  const core::Clock* clock = nullptr;               // required: dates them
  archive::AttachmentStore* attachments = nullptr;  // nullptr: attachment content is refused
};

// attachment content -> archive append -> search index -> verdicts -> device-gate events.
CommitSteps DefaultCommitSteps(const CommitServices& services);

// Stores the bytes that come with attachments (content-addressed) and drops them from the
// messages, so that only metadata goes into the message records. Without a store, admits no
// message that carries content.
std::unique_ptr<CommitStep> MakeAttachmentContentStep(archive::AttachmentStore* attachments);

// Appends the message records (archive::MessageStore::Append): sets `duplicate` and `id`.
std::unique_ptr<CommitStep> MakeArchiveAppendStep(archive::MessageStore* store);

// Adds each new message's text to the search index.
std::unique_ptr<CommitStep> MakeSearchIndexStep(const search::Index* index);

// Appends a sealed verdict record for each new message with hits, blocked, or refused by the
// device gate (then with a "device-gate" hit).
std::unique_ptr<CommitStep> MakeVerdictsStep(const crypto::KeyRing* keys, const core::Clock* clock);

// Appends the device events of the gate: "send_blocked" for a refused message and
// "delivery_withheld" for each device an inbound message is withheld from.
std::unique_ptr<CommitStep> MakeGateEventsStep(const crypto::KeyRing* keys,
                                               const core::Clock* clock);

}  // namespace custos::app
