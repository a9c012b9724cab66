// SPDX-License-Identifier: Apache-2.0
// The cross-export content fingerprint: the same message exported by two participants of a
// conversation (two phones' WhatsApp exports, two SMS backups) gets the same source id, so the
// second export stores nothing twice.
//
// A message's fingerprint is SHA-256 over: channel, the conversation key, the sender, the time
// truncated to the coarsest precision any exporter of the channel writes (WhatsApp: minute,
// since Android exports have no seconds; others: second), the event kind, the text with
// invisible characters (U+200E, U+200F, U+202A-U+202E, U+2066-U+2069, U+FEFF) removed and
// white space collapsed, and the number of attachments; plus its occurrence among identical
// messages of the same minute/second ("ok", "ok"). The caller must first have resolved the sender
// and the conversation through the directory (the exports name people differently).
// Thread-safety: one Fingerprinter per import.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "model/message.h"

namespace custos::directory {

// The time precision (microseconds) the fingerprint keeps for `channel`.
std::int64_t FingerprintPrecision(std::string_view channel);

// `text` without invisible direction/format marks, white space runs collapsed, trimmed.
std::string FingerprintText(std::string_view text);

class Fingerprinter {
 public:
  // "fp1-<32 hex>" plus "-N" for the N-th identical message in the same time slot.
  std::string Next(const model::Message& m);

 private:
  // Occurrence counts per time slot; slots more than a day older than the current message are
  // dropped, so the memory stays bounded on inputs (nearly) in time order.
  std::map<std::int64_t, std::map<std::string, int>> counts_;
};

}  // namespace custos::directory
