// SPDX-License-Identifier: Apache-2.0
// How `custos import ...` shows an import while it runs (app::ImportObserver): the progress line
// on stderr (cli/progress.h), and a note on stderr for each skipped item and each attachment not
// stored. Internal to the cli module.
// Thread-safety: one thread (the importing one).
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>

#include "app/import_pipeline.h"
#include "cli/progress.h"

namespace custos::cli {

class TerminalImportObserver : public app::ImportObserver {
 public:
  void Started(std::int64_t total_bytes) override { progress_.SetTotal(total_bytes); }

  void Progressed(std::int64_t messages, std::uint64_t bytes) override {
    progress_.Update(messages, bytes);
  }

  void Finished() override { progress_.Finish(); }

  void Skipped(const importers::Item& item) override {
    std::fprintf(stderr, "%s: skipped (%s): %s\n", item.position.ToString().c_str(),
                 item.skip_kind.c_str(), item.skip_reason.c_str());
  }

  void AttachmentNotStored(const std::string& what) override {
    std::fprintf(stderr, "%s: attachment not stored, recorded as missing\n", what.c_str());
  }

 private:
  Progress progress_{/*total_bytes=*/-1};
};

}  // namespace custos::cli
