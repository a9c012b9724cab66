// SPDX-License-Identifier: Apache-2.0
// Cross-export matching for exports whose clocks differ: the same SMS conversation backed up
// from both phones (SMS Backup & Restore) must store each message once, although the sender's
// backup has the send time by the sender's clock and the recipient's the network's time
// (`date_sent`) or the receive time, seconds to minutes apart (docs/directory.md).
//
// A message's source id is "fp2-<digest>-<bucket>[-<n>]":
//   * digest: the first 128 bits (hex) of SHA-256 over channel, resolved conversation, resolved
//     sender, event kind, number of attachments and the text as FingerprintText() normalises it
//     (fingerprint.h); no time;
//   * bucket: the sender's time (Item::sender_time, else sent_at) divided by kBucketSeconds;
//   * n: the occurrence of that digest in that bucket (0 is left out).
// Before a new id is made, the ids of the digest in the buckets b-1, b and b+1 are probed against
// the archive (what earlier import runs stored). The first stored id (in bucket, then occurrence
// order) that this run has not claimed yet is reused: the message is the one stored from the other
// export (or by an earlier import of this one), and the ingest reports it as a duplicate. So a
// message matches a stored one between one and two bucket widths away, never one further than
// that; and each stored message matches at most one message of a run, so identical messages
// repeated in one export ("ok", "ok" a minute apart) are never merged with each other: they take
// distinct stored ids in time order, or new ones.
//
// Assumption: a run's messages come roughly in time order (within a day): the ids the run has
// claimed are forgotten once they are a day behind the newest message seen, to bound memory.
// Thread-safety: one matcher per import run, used by one thread.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/status.h"
#include "core/time.h"
#include "model/message.h"

namespace custos::directory {

class CrossExportMatcher {
 public:
  static constexpr std::int64_t kBucketSeconds = 120;

  // For each source id, whether the archive holds a message with `source` and that id.
  using StoredProbe = std::function<core::Result<std::vector<bool>>(
      const std::string& source, const std::vector<std::string>& source_ids)>;

  explicit CrossExportMatcher(StoredProbe stored);

  // The source id of `m` (resolved already), whose sender sent it at `sender_time`.
  core::Result<std::string> SourceIdFor(const model::Message& m, core::Micros sender_time);

 private:
  // Ids claimed (reused or made) by this run, by bucket.
  bool Claimed(std::int64_t bucket, const std::string& id) const;
  void Claim(std::int64_t bucket, const std::string& id);

  StoredProbe stored_;
  std::map<std::int64_t, std::set<std::string>> claimed_;
  std::int64_t newest_bucket_ = INT64_MIN;
};

// "fp2-<digest>-<bucket>" plus "-<n>" for n > 0.
std::string CrossExportId(const std::string& digest, std::int64_t bucket, int n);

// The time-free content digest of `m` (32 hex digits).
std::string CrossExportDigest(const model::Message& m);

}  // namespace custos::directory
