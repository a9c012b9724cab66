// SPDX-License-Identifier: Apache-2.0
#include "directory/resolver.h"

#include <utility>

#include "directory/identity.h"

namespace custos::directory {

Resolver::Resolver(std::string default_region) : region_(std::move(default_region)) {}

void Resolver::AddPerson(KnownPerson person) {
  const std::size_t index = people_.size();
  for (const std::string& id : person.identities) {
    by_key_.emplace(LookupKey(id, region_), index);  // the first person to claim a key keeps it
  }
  by_key_.emplace(LookupKey(person.name, region_), index);
  people_.push_back(std::move(person));
}

void Resolver::AddAlias(std::string_view name, std::string_view identity) {
  alias_[LookupKey(name, region_)] = std::string(identity);
}

bool Resolver::HasAlias(std::string_view name) const {
  return alias_.count(LookupKey(name, region_)) > 0;
}

Resolved Resolver::Resolve(std::string_view handle_or_name) const {
  std::string key = LookupKey(handle_or_name, region_);
  std::string normalised = NormaliseIdentity(handle_or_name, region_);
  if (const auto alias = alias_.find(key); alias != alias_.end()) {
    normalised = NormaliseIdentity(alias->second, region_);
    key = LookupKey(alias->second, region_);
  }
  const auto it = by_key_.find(key);
  if (it == by_key_.end()) {
    return Resolved{std::move(normalised), 0, false, ""};
  }
  const KnownPerson& p = people_[it->second];
  return Resolved{p.primary, p.id, p.employee, p.name};
}

}  // namespace custos::directory
