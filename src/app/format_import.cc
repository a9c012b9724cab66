// SPDX-License-Identifier: Apache-2.0
#include "app/format_import.h"

#include <utility>

#include "app/import_region.h"
#include "directory/import_runs.h"

namespace custos::app {

core::Result<std::unique_ptr<FormatImport>> FormatImport::Open(FormatImportRequest request,
                                                               const std::string& data_dir) {
  std::unique_ptr<FormatImport> import(new FormatImport());
  ASSIGN_OR_RETURN(request.options.default_region, DefaultRegion(data_dir, request.region));
  import->request_ = std::move(request);
  // The source as it was before it is hashed; compared again after the import.
  import->stamp_before_ = directory::SourceStamp(import->request_.path);
  ASSIGN_OR_RETURN(import->bundle_,
                   importers::Bundle::Open(import->request_.path, import->request_.limits));
  if (import->request_.format.empty()) {
    ASSIGN_OR_RETURN(import->format_, importers::DetectFormat(*import->bundle_));
  } else {
    import->format_ = importers::FindFormat(import->request_.format);
    if (import->format_ == nullptr) {
      return core::InvalidArgument("unknown format \"" + import->request_.format +
                                   "\" (one of: " + importers::FormatNames() + ")");
    }
  }
  return import;
}

core::Status FormatImport::OpenSource() {
  ASSIGN_OR_RETURN(source_, format_->open(*bundle_, request_.options));
  return core::Status::Ok();
}

}  // namespace custos::app
