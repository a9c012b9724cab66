// SPDX-License-Identifier: Apache-2.0
// TempDir: a unique, empty directory under $TMPDIR (or /tmp) for one test, removed with
// everything in it when the TempDir is destroyed. Creation failure aborts the test binary
// (there is nothing sensible a test can do without its directory).
// Thread-safety: const methods may be called concurrently.
#pragma once

#include <string>
#include <string_view>

namespace custos::testing {

class TempDir {
 public:
  TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir();

  // The directory's absolute path, without a trailing slash.
  const std::string& Path() const { return path_; }

  // Path() + "/" + `name`; the file is not created.
  std::string File(std::string_view name) const;

 private:
  std::string path_;
};

}  // namespace custos::testing
