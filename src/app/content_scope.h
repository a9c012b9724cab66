// SPDX-License-Identifier: Apache-2.0
// A reviewer's content scope (issue 15, docs/access.md "Reviewer scope"): the directory groups
// (desks) whose employees' messages a scoped principal may read. A message is visible when at
// least one of its participants (sender or a recipient) is an identity of an employee of one of
// the groups; anything else is answered as if it did not exist.
//
// How a message maps to a desk: the directory (directory/directory.h) knows each employee's group
// (sealed) and identities; the archive knows each message's handles (sealed) and a keyed hash of
// each (archive IdentityHash, the same that conversation_participants holds). A scope is built
// once per request from the directory: the keyed hashes of every identity of every employee in
// the groups. Visibility is then a set lookup of the participants' hashes, and a conversation
// listing is filtered in SQL by conversation_participants. The join is made at query time, not
// at ingest, so that a person who changes desks, or a directory imported after the messages,
// applies at once to everything already archived (docs/access.md says why).
//
// Thread-safety: a value type; const methods are safe concurrently.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "crypto/keyring.h"
#include "model/message.h"

namespace custos::app {

class ContentScope {
 public:
  // Everyone visible (an unscoped principal).
  ContentScope() = default;

  // Only the participants with these keyed identity hashes (archive IdentityHash); `keys` must
  // outlive the scope.
  ContentScope(const crypto::KeyRing* keys, std::vector<std::string> identity_hashes);

  bool scoped() const { return keys_ != nullptr; }

  // True when unscoped, or when the sender or a recipient of `m` is in scope.
  bool Visible(const model::Message& m) const;

  // True when unscoped, or when one of the handles is in scope (a conversation's participants).
  bool AnyVisible(const std::vector<std::string>& handles) const;

  // The keyed identity hashes in scope (empty when unscoped, or when no employee is in scope).
  const std::vector<std::string>& identity_hashes() const { return hashes_; }

 private:
  bool HandleVisible(const std::string& handle) const;

  const crypto::KeyRing* keys_ = nullptr;
  std::vector<std::string> hashes_;
  std::shared_ptr<const std::unordered_set<std::string>> set_;
};

}  // namespace custos::app
