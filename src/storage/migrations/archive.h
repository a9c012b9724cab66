// SPDX-License-Identifier: Apache-2.0
// The schema migrations owned by the archive (archive/): the ingest spine and Merkle log, holds and
// retention, verdicts and policy packs, attachments, the access audit. Each is registered in the
// global order by storage/migrations.cc (which says how to add one); their numbers, names and SQL
// text never change once shipped.
//
// Thread-safety: constants, initialised before any code runs.
#pragma once

#include "storage/migrations.h"

namespace custos::storage::migrations::archive {

extern const Migration kIngestSpine;             // 1
extern const Migration kHoldsAndRetention;       // 2
extern const Migration kVerdictsAndPacks;        // 3
extern const Migration kAttachmentContent;       // 4
extern const Migration kPersonHoldIdentities;    // 9
extern const Migration kPolicyAcknowledgements;  // 13
extern const Migration kAccessAudit;             // 14

}  // namespace custos::storage::migrations::archive
