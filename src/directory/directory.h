// SPDX-License-Identifier: Apache-2.0
// The identity directory (docs/directory.md): employees imported from people.csv|json, the
// external parties met in imports, and the internal/external label of each conversation.
//
// Secrecy at rest: names, e-mails, phones, handles, desks and managers are only in sealed
// payloads (envelope encryption, bound to the table and the row's key hash). Lookups use keyed
// hashes of normalised identities (KeyRing::IndexHash with the domain "directory-identity").
//
// Thread-safety: all methods are safe to call concurrently (each runs its own transaction).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "core/time.h"
#include "crypto/keyring.h"
#include "directory/people_file.h"
#include "directory/resolver.h"
#include "storage/database.h"

namespace custos::directory {

struct DirectoryImportSummary {
  std::int64_t added = 0;
  std::int64_t updated = 0;  // same person key (first e-mail, else name) as before
  std::int64_t identities = 0;
};

// A conversation's label, as computed by an import.
struct ConversationLabel {
  std::string channel;
  std::string conversation;  // the conversation key the messages were stored under
  bool external = false;     // someone in it is not an employee
};

struct StoredLabel {
  std::int64_t conversation_id = 0;
  std::string label;  // "internal" or "external"
  std::int64_t import_run_id = 0;
};

// The keyed hash a directory identity is looked up by (`identity` already normalised; it is
// case-folded here): KeyRing::IndexHash("directory-identity" US identity).
std::string DirectoryIdentityHash(const crypto::KeyRing& keys, std::string_view identity);

// The directory person `raw` is an identity of, inside the caller's transaction: `raw` is
// normalised like the directory's own identities (E.164 with `region` for a phone number in any
// spelling, case-folded e-mail, a handle trimmed and case-folded, tried with and without a
// leading '@'). 0 when nobody of the directory has it. Names are not identities.
core::Result<std::int64_t> FindPersonId(storage::Transaction& tx, const crypto::KeyRing& keys,
                                        std::string_view raw, std::string_view region);

// One person of the directory, decrypted, inside the caller's transaction; nullopt when `id` is
// not a person of the directory.
core::Result<std::optional<KnownPerson>> LoadPerson(storage::Transaction& tx,
                                                    const crypto::KeyRing& keys, std::int64_t id);

class Directory {
 public:
  Directory(storage::Database* db, const crypto::KeyRing* keys, const core::Clock* clock);

  // Adds or replaces (by first e-mail, else name) every person, in one transaction.
  // kAlreadyExists naming the entry when an identity belongs to two people.
  core::Result<DirectoryImportSummary> ImportPeople(const std::vector<PersonEntry>& people);

  // Everyone in the directory, decrypted, in id order.
  core::Result<std::vector<KnownPerson>> People() const;

  // A resolver over the whole directory.
  core::Result<Resolver> LoadResolver(const std::string& default_region) const;

  // Records each identity that is neither an employee's nor already known as an external party.
  // Returns how many were new.
  core::Result<std::int64_t> RecordParties(const std::vector<std::string>& identities,
                                           std::int64_t import_run_id);

  core::Result<std::int64_t> PartyCount() const;

  // Labels the archive's conversations (found by their channel and key); a conversation once
  // external stays external. Conversations not in the archive (nothing stored) are skipped.
  core::Status LabelConversations(const std::vector<ConversationLabel>& labels,
                                  std::int64_t import_run_id);

  // Labels, optionally only "internal" or "external" ones, by conversation id.
  core::Result<std::vector<StoredLabel>> Labels(const std::string& only = "") const;

  // For each source id, whether the archive holds a message with `source` and that id (its
  // idempotency key), in one read transaction. For cross_export.h.
  core::Result<std::vector<bool>> StoredSourceIds(const std::string& source,
                                                  const std::vector<std::string>& ids) const;

  // The label of one conversation; nullopt when none was computed.
  core::Result<std::optional<std::string>> LabelOf(std::int64_t conversation_id) const;

 private:
  // The keyed hash of an already normalised identity (case-folded).
  std::string IdentityHash(std::string_view identity) const;

  storage::Database* db_;
  const crypto::KeyRing* keys_;
  const core::Clock* clock_;
};

}  // namespace custos::directory
