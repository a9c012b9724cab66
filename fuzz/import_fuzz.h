// SPDX-License-Identifier: Apache-2.0
// The shared body of the importer fuzz targets: the input becomes a file (or one file of a
// directory bundle) in a per-process temporary directory, the format's Source is opened on it
// and drained to the end or the first error. Any crash, sanitizer report or hang is a bug: a
// parser must turn every input into items, skipped items or an error with a position.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include "importers/bundle.h"
#include "importers/registry.h"
#include "importers/source.h"

namespace custos::fuzz {

// A temporary directory for this process, created once.
inline const std::string& WorkDir() {
  static const std::string dir = [] {
    std::string tmpl = "/tmp/custos-fuzz-XXXXXX";
    const char* made = ::mkdtemp(tmpl.data());
    return std::string(made != nullptr ? made : "/tmp");
  }();
  return dir;
}

inline void WriteFile(const std::string& path, const std::uint8_t* data, std::size_t size) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
}

// Opens `path` as a bundle and drains the `format` source over it.
inline void DrainImport(const char* format, const std::string& path) {
  auto bundle = importers::Bundle::Open(path);
  if (!bundle.has_value()) {
    return;
  }
  importers::ImportOptions options;
  options.custodian = "+447700900123";
  const importers::Format* f = importers::FindFormat(format);
  if (f == nullptr) {
    std::abort();  // a target names a format that does not exist
  }
  auto source = f->open(**bundle, options);
  if (!source.has_value()) {
    return;
  }
  for (int i = 0; i < 1'000'000; ++i) {
    auto item = (*source)->Next();
    if (!item.has_value() || !item->has_value()) {
      return;
    }
    const importers::Item& it = **item;
    if (it.kind == importers::Item::Kind::kMessage &&
        it.message.attachments.size() != it.attachments.size()) {
      std::abort();  // the Source contract: parallel attachment lists
    }
  }
}

}  // namespace custos::fuzz
