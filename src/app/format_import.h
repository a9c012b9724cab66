// SPDX-License-Identifier: Apache-2.0
// One import of an export file (WhatsApp, Telegram, SMS Backup & Restore, Slack, iMessage, or
// detected: importers/registry.h), taken in steps so that a front end may ask its user between
// them (the CLI asks who exported the file and who unknown sender names are: cli/import_prompt.h);
// an API, a webhook or a bus consumer runs every step at once (ImportService::ImportExport).
//
//   FormatImport::Open        the region, the export opened as a bundle, its format found; the
//                             data directory is not touched yet
//   OpenSource()              the format's parser over the bundle, with options() (again after
//                             options() changed, e.g. a --self name learnt from the user)
//   ImportService::Prepare    free disk space, the export's SHA-256 (and that it has not changed
//                             since Open), the directory's resolver with the participants' aliases
//   ImportService::Run        the import run, the identity stage and the pipeline
//                             (app/import_service.h)
//
// Thread-safety: one FormatImport per import, used by one thread at a time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/disk_space.h"
#include "core/status.h"
#include "directory/resolver.h"
#include "importers/bundle.h"
#include "importers/registry.h"
#include "importers/source.h"

namespace custos::app {

struct FormatImportRequest {
  std::string format;  // a registered format's name (importers::FindFormat); "" to detect it
  std::string path;    // the export: a file, a zip or a directory
  // Custodian, --self names, chat name, UTC offset. default_region is set by Open (below).
  importers::ImportOptions options;
  std::string region;  // for phone numbers without a country code; "" = DIR/custos.yaml, else GB
  std::vector<std::string> participants;         // "NAME=HANDLE": a name in the export means HANDLE
  importers::ArchiveLimits limits;               // for zips (a zip bomb is refused)
  std::size_t batch = 1000;                      // messages per submitted chunk
  std::int64_t min_free_mb = kDefaultMinFreeMb;  // 0: no check
};

class FormatImport {
 public:
  // Reads the default region (app/import_region.h; `data_dir`'s custos.yaml unless
  // request.region is given), opens request.path as a bundle within request.limits, and finds
  // the format (detects it when request.format is ""). Errors: kInvalidArgument or
  // kFailedPrecondition for the region; the bundle's and the detection's errors.
  static core::Result<std::unique_ptr<FormatImport>> Open(FormatImportRequest request,
                                                          const std::string& data_dir);

  FormatImport(const FormatImport&) = delete;
  FormatImport& operator=(const FormatImport&) = delete;

  const importers::Format& format() const { return *format_; }

  const FormatImportRequest& request() const { return request_; }

  // The parser's options; changes take effect at the next OpenSource().
  importers::ImportOptions& options() { return request_.options; }

  // (Re)opens the format's source over the bundle. Errors: the format's.
  core::Status OpenSource();

  // The source; only after OpenSource() succeeded.
  importers::Source& source() { return *source_; }

  // The directory's resolver with the participants' aliases; only after ImportService::Prepare.
  directory::Resolver& resolver() { return *resolver_; }

 private:
  friend class ImportService;

  FormatImport() = default;

  FormatImportRequest request_;
  // The export as it was before it was hashed; compared again after the import.
  core::Result<std::string> stamp_before_ = std::string();
  std::unique_ptr<importers::Bundle> bundle_;
  const importers::Format* format_ = nullptr;
  std::unique_ptr<importers::Source> source_;
  std::string sha256_;                           // set by Prepare
  std::optional<directory::Resolver> resolver_;  // set by Prepare
};

}  // namespace custos::app
