// SPDX-License-Identifier: Apache-2.0
#include "directory/cross_export.h"

#include "core/text.h"
#include "crypto/crypto.h"
#include "directory/fingerprint.h"

namespace custos::directory {
namespace {

constexpr std::int64_t kBucket = CrossExportMatcher::kBucketSeconds * core::kMicrosPerSecond;
// Occurrences probed per bucket and round; a round with a hit in its last slot asks for more.
constexpr int kProbeDepth = 4;
constexpr std::int64_t kForgetBuckets = 86'400 / CrossExportMatcher::kBucketSeconds;

std::int64_t FloorDiv(std::int64_t a, std::int64_t b) {
  return a >= 0 ? a / b : -((-a + b - 1) / b);
}

}  // namespace

std::string CrossExportId(const std::string& digest, std::int64_t bucket, int n) {
  return "fp2-" + digest + "-" + std::to_string(bucket) + (n > 0 ? "-" + std::to_string(n) : "");
}

std::string CrossExportDigest(const model::Message& m) {
  std::string basis = m.channel;
  for (const std::string_view part :
       {std::string_view(m.conversation), std::string_view(m.from), model::EventKindName(m.kind)}) {
    basis.push_back('\x1f');
    basis.append(part);
  }
  basis += '\x1f' + std::to_string(m.attachments.size()) + '\x1f' + FingerprintText(m.text);
  return core::HexEncode(crypto::Sha256(basis)).substr(0, 32);
}

CrossExportMatcher::CrossExportMatcher(StoredProbe stored) : stored_(std::move(stored)) {}

bool CrossExportMatcher::Claimed(std::int64_t bucket, const std::string& id) const {
  const auto it = claimed_.find(bucket);
  return it != claimed_.end() && it->second.count(id) > 0;
}

void CrossExportMatcher::Claim(std::int64_t bucket, const std::string& id) {
  claimed_[bucket].insert(id);
}

core::Result<std::string> CrossExportMatcher::SourceIdFor(const model::Message& m,
                                                          core::Micros sender_time) {
  const std::string digest = CrossExportDigest(m);
  const std::int64_t bucket = FloorDiv(sender_time, kBucket);
  if (bucket > newest_bucket_) {
    newest_bucket_ = bucket;
    claimed_.erase(claimed_.begin(), claimed_.lower_bound(newest_bucket_ - kForgetBuckets));
  }
  // stored[k][n]: whether occurrence n of bucket (bucket - 1 + k) is in the archive.
  std::vector<bool> stored[3];
  bool more[3] = {true, true, true};
  for (int round = 0; more[0] || more[1] || more[2]; ++round) {
    std::vector<std::string> ids;
    std::vector<int> which;
    for (int k = 0; k < 3; ++k) {
      if (!more[k]) {
        continue;
      }
      for (int n = round * kProbeDepth; n < (round + 1) * kProbeDepth; ++n) {
        ids.push_back(CrossExportId(digest, bucket - 1 + k, n));
        which.push_back(k);
      }
    }
    ASSIGN_OR_RETURN(std::vector<bool> hits, stored_(m.source, ids));
    for (int k = 0; k < 3; ++k) {
      more[k] = false;
    }
    for (std::size_t i = 0; i < ids.size() && i < hits.size(); ++i) {
      const int k = which[i];
      stored[k].push_back(hits[i]);
      more[k] = hits[i] && stored[k].size() % kProbeDepth == 0 ? true : more[k];
    }
  }
  for (int k = 0; k < 3; ++k) {
    for (std::size_t n = 0; n < stored[k].size(); ++n) {
      if (!stored[k][n]) {
        continue;
      }
      const std::string id = CrossExportId(digest, bucket - 1 + k, static_cast<int>(n));
      if (!Claimed(bucket - 1 + k, id)) {
        Claim(bucket - 1 + k, id);
        return id;
      }
    }
  }
  for (int n = 0;; ++n) {
    const bool in_archive = static_cast<std::size_t>(n) < stored[1].size() && stored[1][n];
    std::string id = CrossExportId(digest, bucket, n);
    if (!in_archive && !Claimed(bucket, id)) {
      Claim(bucket, id);
      return id;
    }
  }
}

}  // namespace custos::directory
