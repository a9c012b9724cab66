// SPDX-License-Identifier: Apache-2.0
// For the sms-backup, slack and imessage tests: drain a format over a path (import_test_util.h)
// and split the items into messages and skips; and the path of a tests/data/importers fixture.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "importers/import_test_util.h"

namespace custos::importers::testing {

struct SplitItems {
  std::vector<Item> messages;  // kMessage items, in order
  std::vector<Item> skipped;   // kSkipped items, in order
  core::Status error;          // the error that ended the stream (or the open), or OK
};

inline SplitItems DrainSplit(const Format& format, const std::string& path,
                             const ImportOptions& options = {}) {
  SplitItems out;
  core::Result<Drained> d = Drain(format, path, options);
  if (!d) {
    out.error = d.error();
    return out;
  }
  out.error = d->error;
  for (Item& item : d->items) {
    (item.kind == Item::Kind::kMessage ? out.messages : out.skipped).push_back(std::move(item));
  }
  return out;
}

// <source>/tests/data/importers/<format>/<name>
inline std::string Fixture(const std::string& format, const std::string& name) {
  const char* env = std::getenv("CUSTOS_SOURCE_DIR");
  const std::filesystem::path root = env != nullptr && *env != '\0'
                                         ? std::filesystem::path(env)
                                         : std::filesystem::path(CUSTOS_DEFAULT_SOURCE_DIR);
  return (root / "tests" / "data" / "importers" / format / name).string();
}

}  // namespace custos::importers::testing
