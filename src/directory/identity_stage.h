// SPDX-License-Identifier: Apache-2.0
// The identity stage of an import (app::ImportService, whichever front end starts it: the CLI's
// `custos import FORMAT`, later the API, a webhook or a bus consumer): between the parser and
// the ingest service, every message is attributed and linked (docs/directory.md):
//   * it carries the import run's id (`import_run` in its record);
//   * its sender and recipients are resolved through the directory and the run's
//     `--participant NAME=HANDLE` aliases: an employee's messages carry the employee's primary
//     identity, anyone else's the normalised handle (E.164 for phone numbers), and is an
//     external party;
//   * a two-party conversation keyed by the other party's handle or name (WhatsApp, SMS,
//     iMessage) is keyed by both resolved parties ("dm:<a> <b>", sorted), so the exports of the
//     two participants land in one conversation;
//   * WhatsApp messages, whose exports have no shared ids, get the cross-export content
//     fingerprint (directory/fingerprint.h) as their source id; SMS Backup & Restore messages,
//     whose exports also differ in their clocks, get theirs from the cross-export matcher
//     (directory/cross_export.h), which reuses the id of the other export's stored copy;
//   * each conversation is labelled internal (employees only) or external.
// Thread-safety: one stage per import, used by one thread.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/status.h"
#include "core/time.h"
#include "directory/cross_export.h"
#include "directory/directory.h"
#include "directory/fingerprint.h"
#include "directory/resolver.h"
#include "model/message.h"

namespace custos::directory {

// The sender of a chat's system notices ("X joined"): never resolved, never a party. The same
// value as importers::kSystemSender (importers/source.h); app/import_service.cc checks that they
// agree (directory does not depend on importers).
inline constexpr std::string_view kSystemSender = "system";

class IdentityStage {
 public:
  // `stored` answers the cross-export matcher's probes (Directory::StoredSourceIds).
  IdentityStage(Resolver resolver, const std::string& custodian, std::int64_t import_run,
                CrossExportMatcher::StoredProbe stored);

  // Resolves and links `m` in place. `sender_time` is the time on the sender's clock when the
  // source knows it (importers::Item::sender_time), else 0: the cross-export matcher compares it.
  // Errors: a probe of the archive failed.
  core::Status Apply(model::Message& m, core::Micros sender_time);

  // The custodian as resolved ("" when none was given).
  const std::string& custodian() const { return custodian_.identity; }

  // Every identity seen that is not an employee's, sorted.
  std::vector<std::string> ExternalIdentities() const;

  // The label of every conversation seen.
  std::vector<ConversationLabel> Labels() const;

 private:
  const Resolved& Resolve(const std::string& raw);
  void Note(const Resolved& r, bool* external);

  Resolver resolver_;
  Resolved custodian_;
  std::int64_t import_run_;
  Fingerprinter fingerprint_;
  CrossExportMatcher matcher_;
  std::unordered_map<std::string, Resolved> cache_;  // raw -> resolved
  std::set<std::string> external_;
  std::map<std::pair<std::string, std::string>, bool> conversations_;  // (channel, key) -> ext.
};

}  // namespace custos::directory
