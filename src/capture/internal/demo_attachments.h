// SPDX-License-Identifier: Apache-2.0
// Attachments of the demo data set: plausible file names and sizes, and the SHA-256 of
// generated content (capture::DemoAttachmentContent).
// Thread-safety: pure functions.
#pragma once

#include <string_view>

#include "capture/internal/demo_rng.h"
#include "core/time.h"
#include "model/message.h"

namespace custos::capture::internal {

// A PDF or JPEG attachment for the message with `source_id` sent at `sent_at`; `company` (may
// be empty) flavours the file name.
model::Attachment MakeDemoAttachment(DemoRng& rng, std::string_view source_id, core::Micros sent_at,
                                     std::string_view company);

}  // namespace custos::capture::internal
