// SPDX-License-Identifier: Apache-2.0
// `custos import imessage PATH`: a macOS Messages database (chat.db, or the ~/Library/Messages
// folder that holds it and its Attachments/), opened strictly read-only
// (storage/foreign_sqlite.h: immutable=1, so a copy from a live Mac is never modified).
// Messages are read in ROWID order in batches (bounded memory); one Item per message row:
// text from `text`, else from `attributedBody` (imessage_body.h); tapbacks
// (associated_message_type 2000-2006 / 3000-3006) as reaction events on the target guid;
// attachments read from their path when the file is present, else recorded as missing.
// Ids: source "imessage-db", source_id = message.guid. Positions: "chat.db (ROWID n)".
// Format details and pitfalls: docs/formats/imessage.md.
// Thread-safety: the Format is immutable; a Source is used by one thread.
#pragma once

#include "importers/registry.h"

namespace custos::importers {

const Format& IMessageFormat();

}  // namespace custos::importers
