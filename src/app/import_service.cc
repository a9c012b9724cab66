// SPDX-License-Identifier: Apache-2.0
// ImportService: construction and the import of export files (format_import.h). The JSON Lines
// import is in jsonl_import.cc.
#include "app/import_service.h"

#include <filesystem>
#include <utility>
#include <vector>

#include "directory/identity_stage.h"

namespace custos::app {
namespace {

static_assert(directory::kSystemSender == importers::kSystemSender,
              "the identity stage must skip the importers' system sender");

// After the messages are committed: external parties and conversation labels.
core::Status Link(directory::Directory& dir, const directory::IdentityStage& stage,
                  std::int64_t run_id) {
  auto parties = dir.RecordParties(stage.ExternalIdentities(), run_id);
  if (!parties.has_value()) {
    return parties.error();
  }
  return dir.LabelConversations(stage.Labels(), run_id);
}

}  // namespace

ImportService::ImportService(std::string data_dir, IngestService* ingest,
                             directory::Directory* directory, directory::ImportRuns* runs)
    : data_dir_(std::move(data_dir)), ingest_(ingest), directory_(directory), runs_(runs) {}

core::Status ImportService::Prepare(FormatImport& import) {
  const FormatImportRequest& request = import.request_;
  RETURN_IF_ERROR(CheckFreeSpace(data_dir_, request.min_free_mb));
  if (!import.stamp_before_.has_value()) {
    return import.stamp_before_.error();
  }
  ASSIGN_OR_RETURN(import.sha256_, directory::SourceSha256(request.path));
  ASSIGN_OR_RETURN(directory::Resolver resolver,
                   directory_->LoadResolver(request.options.default_region));
  for (const std::string& p : request.participants) {
    const std::size_t eq = p.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == p.size()) {
      return core::InvalidArgument("--participant \"" + p + "\": expected NAME=HANDLE");
    }
    resolver.AddAlias(p.substr(0, eq), p.substr(eq + 1));
  }
  import.resolver_ = std::move(resolver);
  return core::Status::Ok();
}

core::Result<ImportReport> ImportService::Run(FormatImport& import, ImportObserver& observer) {
  const FormatImportRequest& request = import.request_;
  if (!import.resolver_ || !import.source_) {
    return core::FailedPrecondition("the export is not prepared: open its source and Prepare it");
  }
  ImportReport report;
  report.format = std::string(import.format_->name);
  directory::ImportRun& run = report.run;
  run.importer = report.format;
  run.version = std::string("custos ") + CUSTOS_VERSION + " importer " + run.importer + "/1";
  run.source_name = std::filesystem::path(request.path).filename().string();
  if (run.source_name.empty()) {  // "dir/"
    run.source_name = std::filesystem::path(request.path).parent_path().filename().string();
  }
  run.source_sha256 = import.sha256_;
  RETURN_IF_ERROR(runs_->Begin(run));
  const directory::Directory& dir = *directory_;
  directory::IdentityStage stage(
      std::move(*import.resolver_), request.options.custodian, run.id,
      [&dir](const std::string& from_source, const std::vector<std::string>& ids) {
        return dir.StoredSourceIds(from_source, ids);
      });
  import.resolver_.reset();  // moved into the stage: an import runs once
  run.custodian = stage.custodian();
  importers::Source& source = *import.source_;
  observer.Started(source.bytes_total());
  ImportPipelineOptions options;
  options.batch = request.batch;
  options.prepare = [&stage, &run, &observer](importers::Item& item) {
    for (const importers::AttachmentData& a : item.attachments) {
      if (!a.not_stored.empty()) {
        std::string where = item.position.ToString();
        run.attachments_not_stored.push_back((where.empty() ? "" : where + ": ") + a.not_stored);
        observer.AttachmentNotStored(run.attachments_not_stored.back());
      }
    }
    return stage.Apply(item.message, item.sender_time);
  };
  options.before_submit = [this, &request] {
    return CheckFreeSpace(data_dir_, request.min_free_mb);
  };
  ImportPipeline pipeline(ingest_, options);
  const core::Micros start = core::SteadyNowMicros();
  report.status = pipeline.Run(source, observer);
  report.linked = Link(*directory_, stage, run.id);
  // The hash is of the source as it was when the import began; one that changed since is no
  // evidence of what was imported.
  if (auto stamp_after = directory::SourceStamp(request.path);
      !stamp_after.has_value() || *stamp_after != *import.stamp_before_) {
    report.source_status = core::DataLoss(request.path +
                                          " changed while it was being imported; the import run "
                                          "is marked failed: import it again once it is complete");
  }
  report.counts = pipeline.counts();
  report.bad_line = pipeline.bad_line();
  run.status = !report.status.ok() || !report.source_status.ok() ? "failed"
               : report.bad_line                                 ? "stopped"
                                                                 : "completed";
  run.imported = report.counts.imported;
  run.duplicates = report.counts.duplicates;
  run.rejected = report.counts.rejected;
  run.skipped = report.counts.skipped;
  if (const auto& bad = report.bad_line) {  // "chat.txt:17: why" (position first)
    run.stopped_at = bad->where.empty() ? bad->message : bad->where + ": " + bad->message;
  } else if (!report.status.ok()) {
    run.stopped_at = report.status.message();
  } else if (!report.source_status.ok()) {
    run.stopped_at = report.source_status.message();
  }
  report.recorded = runs_->Finish(run);
  report.elapsed = core::SteadyNowMicros() - start;
  return report;
}

core::Result<ImportReport> ImportService::ImportExport(const FormatImportRequest& request,
                                                       ImportObserver& observer) {
  ASSIGN_OR_RETURN(std::unique_ptr<FormatImport> import, FormatImport::Open(request, data_dir_));
  RETURN_IF_ERROR(import->OpenSource());
  RETURN_IF_ERROR(Prepare(*import));
  return Run(*import, observer);
}

}  // namespace custos::app
