// SPDX-License-Identifier: Apache-2.0
// The evidence bundle of one message (docs/archive.md, "Evidence bundles"): its record's
// canonical bytes, the record of its policy verdict when it has one, an RFC 6962 inclusion
// proof of each in one signed checkpoint, that checkpoint and the log's verifier key, so that
// `custos log verify-inclusion` (or any RFC 6962 and signed-note verifier) can check it
// without the archive. Built by app::LogService::Evidence; served by `custos record evidence`
// and GET /api/v1/messages/{id}/evidence.
// Thread-safety: plain values and pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "archive/log_proofs.h"

namespace custos::archive {

struct EvidenceItem {
  std::string role;                      // "message" or "verdict"
  RecordInclusion inclusion;             // in the bundle's checkpoint
  std::optional<std::string> canonical;  // the canonical bytes; nullopt when disposed of
};

struct EvidenceBundle {
  std::int64_t message_id = 0;
  std::string origin;        // the log's name (the checkpoint's first line)
  std::string verifier_key;  // the log's note verifier key
  std::string checkpoint;    // the signed note every proof is for
  std::uint64_t tree_size = 0;
  std::string root_hash;            // raw 32 bytes
  std::vector<EvidenceItem> items;  // the message first, then its verdict
};

// {"format":"custos-evidence/1","message_id","record_id","origin","verifier_key","checkpoint",
//  "tree_size","root_hash","records":[{"role","record_id","leaf_index","leaf_hash",
//  "canonical_base64" (absent when disposed of),"disposed","proof":<InclusionJson>}]}.
std::string EvidenceJson(const EvidenceBundle& bundle);

}  // namespace custos::archive
