// SPDX-License-Identifier: Apache-2.0
// The first stage of loading a pack (falco's rule_loader_reader): finds the pack's files,
// hashes them into the pack version, and parses every YAML file into raw items with
// positions. Problems are added to `diags`; reading goes on after each of them.
//
// Files: every regular file below the pack root, hidden names (".git") excepted, in byte order
// of their relative path. Files ending in .yaml or .yml are parsed; the others (lexicon text
// files) are kept for the collector. A file larger than kMaxFileBytes is an error; so is a YAML
// file with anchors or aliases or beyond the kMaxYaml* bounds (kYamlLimit, nothing of it read).
// Thread-safety: pure functions.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "policy/diagnostics.h"
#include "policy/loader/raw.h"

namespace custos::policy::loader {

inline constexpr std::size_t kMaxFileBytes = 64u << 20;
inline constexpr std::size_t kMaxFiles = 10'000;
// YAML files (docs/crash-safety.md): checked by config::CheckYaml before yaml-cpp builds a
// tree. Anchors and aliases (&x, *x) are refused: expanding them is the "billion laughs".
inline constexpr std::size_t kMaxYamlFileBytes = 4u << 20;
inline constexpr std::size_t kMaxYamlFileNodes = 100'000;
inline constexpr std::size_t kMaxPackYamlNodes = 500'000;
inline constexpr int kMaxYamlDepth = 64;

struct ReadResult {
  std::vector<PackFile> files;  // sorted by path
  std::vector<RawItem> items;   // in file order, then item order
  std::string version;          // lowercase hex SHA-256 (docs/policy-language.md §1)
};

// Reads the pack rooted at `dir`. A missing or unreadable directory is a kFileRead error.
ReadResult ReadPackDir(const std::filesystem::path& dir, Diagnostics& diags);

// The same for files already in memory (tests, packs stored in the archive).
ReadResult ReadPackFiles(std::vector<PackFile> files, Diagnostics& diags);

// The first check of a YAML file (config::CheckYaml with the kMaxYaml* bounds): false, with a
// kYamlLimit diagnostic at the offending line, for anchors, aliases, too many bytes, nodes
// (`pack_nodes` counts them across the pack's files) or levels. ReadPackFiles calls it first.
bool GuardYaml(const PackFile& file, Diagnostics& diags, std::size_t& pack_nodes);

// The pack version of `files` (sorted by path): SHA-256 over path NUL size NUL content.
std::string PackVersion(const std::vector<PackFile>& files);

}  // namespace custos::policy::loader
