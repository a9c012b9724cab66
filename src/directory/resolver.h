// SPDX-License-Identifier: Apache-2.0
// Identity resolution: who a handle or display name in an export is. A snapshot of the
// directory in memory (names, e-mails, phones, handles of every person) plus the aliases given
// for one import (`--participant "Bob Smith=+447700900456"`). A name that matches nobody stays
// as it is and is an external party.
// Thread-safety: const methods are safe concurrently; Add* need external exclusion.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace custos::directory {

// A person of the directory as the resolver knows it.
struct KnownPerson {
  std::int64_t id = 0;
  std::string name;
  std::string primary;  // the identity messages carry: first e-mail, else phone, else handle
  std::string group;
  bool employee = true;
  std::vector<std::string> identities;  // every e-mail, phone, handle and the name
};

struct Resolved {
  std::string identity;        // the person's primary identity, or the normalised input
  std::int64_t person_id = 0;  // 0: not in the directory
  bool employee = false;
  std::string name;  // the directory's name; "" when not known
};

class Resolver {
 public:
  explicit Resolver(std::string default_region = "GB");

  void AddPerson(KnownPerson person);
  // `name` (as it appears in an export) means `identity` (a handle, or a directory person's
  // name or handle).
  void AddAlias(std::string_view name, std::string_view identity);

  Resolved Resolve(std::string_view handle_or_name) const;

  // True when AddAlias() was called for `name` (matched like Resolve does).
  bool HasAlias(std::string_view name) const;

  const std::string& region() const { return region_; }

  std::size_t size() const { return people_.size(); }

 private:
  std::string region_;
  std::vector<KnownPerson> people_;
  std::unordered_map<std::string, std::size_t> by_key_;  // LookupKey -> people_ index
  std::unordered_map<std::string, std::string> alias_;   // LookupKey -> identity
};

}  // namespace custos::directory
