// SPDX-License-Identifier: Apache-2.0
#include "testing/temp_dir.h"

#include <cstdlib>
#include <filesystem>
#include <vector>

#include <stdlib.h>  // mkdtemp

#include "core/status.h"

namespace custos::testing {
namespace {

std::string TempRoot() {
  const char* tmpdir = std::getenv("TMPDIR");  // NOLINT(concurrency-mt-unsafe): read-only use
  if (tmpdir != nullptr && tmpdir[0] != '\0') {
    return tmpdir;
  }
  return "/tmp";
}

}  // namespace

TempDir::TempDir() {
  std::string pattern = TempRoot() + "/custos-test-XXXXXX";
  std::vector<char> buffer(pattern.begin(), pattern.end());
  buffer.push_back('\0');
  const char* made = mkdtemp(buffer.data());
  CUSTOS_CHECK(made != nullptr);
  std::error_code ec;
  path_ = std::filesystem::absolute(made, ec).string();
  CUSTOS_CHECK(!ec);
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::string TempDir::File(std::string_view name) const { return path_ + "/" + std::string(name); }

}  // namespace custos::testing
