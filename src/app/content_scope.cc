// SPDX-License-Identifier: Apache-2.0
#include "app/content_scope.h"

#include <utility>

#include "archive/payload.h"

namespace custos::app {

ContentScope::ContentScope(const crypto::KeyRing* keys, std::vector<std::string> identity_hashes)
    : keys_(keys),
      hashes_(std::move(identity_hashes)),
      set_(std::make_shared<const std::unordered_set<std::string>>(hashes_.begin(),
                                                                   hashes_.end())) {}

bool ContentScope::HandleVisible(const std::string& handle) const {
  return !handle.empty() && set_->count(archive::IdentityHash(*keys_, handle)) > 0;
}

bool ContentScope::Visible(const model::Message& m) const {
  if (!scoped()) {
    return true;
  }
  if (HandleVisible(m.from)) {
    return true;
  }
  for (const std::string& to : m.to) {
    if (HandleVisible(to)) {
      return true;
    }
  }
  return false;
}

bool ContentScope::AnyVisible(const std::vector<std::string>& handles) const {
  if (!scoped()) {
    return true;
  }
  for (const std::string& h : handles) {
    if (HandleVisible(h)) {
      return true;
    }
  }
  return false;
}

}  // namespace custos::app
