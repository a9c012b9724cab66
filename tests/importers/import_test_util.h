// SPDX-License-Identifier: Apache-2.0
// Helpers for the importer tests: the shared corpus folder, writing fixtures (plain files and
// zips), and draining a Source into a vector.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "core/status.h"
#include "importers/registry.h"

namespace custos::importers::testing {

// $CUSTOS_CORPUS/<sub>, or <source>/../shared/corpus/<sub>; empty when it does not exist.
std::filesystem::path CorpusDir(const std::string& sub);

void WriteFile(const std::string& path, std::string_view content);
// A zip at `path` holding `entries` (name -> content).
void WriteZip(const std::string& path, const std::map<std::string, std::string>& entries);
std::string ReadFile(const std::string& path);

struct Drained {
  std::vector<Item> items;
  core::Status error;  // the error that ended the stream, or OK
};

// Opens `path` as `format` and reads every item (stopping at the first error).
core::Result<Drained> Drain(const Format& format, const std::string& path,
                            const ImportOptions& options = {});

// Only the kMessage items' messages.
std::vector<model::Message> Messages(const Drained& d);

}  // namespace custos::importers::testing
