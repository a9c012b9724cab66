// SPDX-License-Identifier: Apache-2.0
#include "archive/evidence.h"

#include <nlohmann/json.hpp>

#include "crypto/crypto.h"

namespace custos::archive {

std::string EvidenceJson(const EvidenceBundle& bundle) {
  using Json = nlohmann::ordered_json;
  Json records = Json::array();
  for (const EvidenceItem& item : bundle.items) {
    Json r;
    r["role"] = item.role;
    r["record_id"] = item.inclusion.record_id;
    r["leaf_index"] = item.inclusion.leaf_index;
    r["leaf_hash"] = HashHex(item.inclusion.leaf_hash);
    if (item.canonical) {
      r["canonical_base64"] = crypto::Base64Encode(*item.canonical);
    }
    r["disposed"] = !item.canonical.has_value();
    r["proof"] = Json::parse(InclusionJson(item.inclusion));
    records.push_back(std::move(r));
  }
  Json j;
  j["format"] = "custos-evidence/1";
  j["message_id"] = bundle.message_id;
  j["record_id"] = bundle.items.empty() ? 0 : bundle.items.front().inclusion.record_id;
  j["origin"] = bundle.origin;
  j["verifier_key"] = bundle.verifier_key;
  j["checkpoint"] = bundle.checkpoint;
  j["tree_size"] = bundle.tree_size;
  j["root_hash"] = HashHex(bundle.root_hash);
  j["records"] = std::move(records);
  return j.dump();
}

}  // namespace custos::archive
