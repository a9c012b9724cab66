// SPDX-License-Identifier: Apache-2.0
#include "app/import_pipeline.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <utility>

#include <fcntl.h>
#include <unistd.h>

#include "capture/jsonl.h"
#include "core/text.h"

namespace custos::app {
namespace {

// `field "x": why` -> `why` (the field is reported separately).
std::string WithoutFieldPrefix(const std::string& field, const std::string& message) {
  const std::string prefix = "field \"" + field + "\": ";
  return message.rfind(prefix, 0) == 0 ? message.substr(prefix.size()) : message;
}

bool Ready(const std::future<std::vector<IngestOutcome>>& f) {
  return f.wait_for(std::chrono::seconds(0)) == std::future_status::ready;
}

}  // namespace

ImportPipeline::ImportPipeline(IngestService* ingest, ImportPipelineOptions options)
    : ingest_(ingest), options_(std::move(options)) {}

ImportPipeline::~ImportPipeline() {
  if (commit_log_fd_ >= 0) {
    ::close(commit_log_fd_);
  }
}

core::Status ImportPipeline::Run(LineReader& reader, ImportObserver& observer) {
  if (!options_.commit_log.empty()) {
    commit_log_fd_ =
        ::open(options_.commit_log.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    if (commit_log_fd_ < 0) {
      return core::Unavailable("cannot open commit log " + options_.commit_log + ": " +
                               std::strerror(errno));
    }
  }
  core::Status read_status;
  std::int64_t read = 0;
  bool eof = false;
  while (failure_.ok() && !bad_line_) {
    auto next = reader.Next();
    if (!next.has_value()) {
      if (next.error().code() == core::StatusCode::kInvalidArgument) {
        RecordBadLine(reader.line_number(), "", next.error().message());
      } else {
        read_status = next.error();
      }
      break;
    }
    if (!next->has_value()) {
      eof = true;
      break;
    }
    const std::string_view line = **next;
    if (core::TrimAscii(line).empty()) {
      continue;
    }
    capture::DecodeError error;
    auto message = capture::DecodeMessage(line, &error);
    if (!message.has_value()) {
      RecordBadLine(reader.line_number(), error.field, error.message);
      break;
    }
    if (options_.import_run != 0) {
      message->import_run = options_.import_run;
    }
    // The service would normalise it too; doing it here finds a bad line before any line
    // after it is submitted, so nothing after a bad line is ever committed.
    std::string field;
    const core::Status normalised = Normalise(*message, &field);
    if (!normalised.ok()) {
      RecordBadLine(reader.line_number(), field, WithoutFieldPrefix(field, normalised.message()));
      break;
    }
    current_.messages.push_back(std::move(*message));
    current_.lines.push_back(reader.line_number());
    ++read;
    if (current_.messages.size() >= options_.batch) {
      Submit();
    }
    observer.Progressed(read, reader.bytes_consumed());
  }
  FinishRun(observer);
  if (!watermark_stopped_ && failure_.ok()) {
    // Blank lines after the last message, or before the bad line, are done too.
    if (bad_line_) {
      Committed(bad_line_->line - 1);
    } else if (eof) {
      Committed(reader.line_number());
    }
  }
  return read_status.ok() ? failure_ : read_status;
}

void ImportPipeline::FinishRun(ImportObserver& observer) {
  if (failure_.ok()) {
    Submit();
  }
  while (!in_flight_.empty()) {
    DrainOne();
  }
  observer.Finished();
}

core::Status ImportPipeline::Run(importers::Source& source, ImportObserver& observer) {
  std::int64_t ordinal = 0;
  std::int64_t read = 0;
  while (failure_.ok() && !bad_line_) {
    auto next = source.Next();
    ++ordinal;
    if (!next.has_value()) {
      if (next.error().code() != core::StatusCode::kInvalidArgument) {
        FinishRun(observer);
        return next.error();
      }
      RecordBadLine(ordinal, "", next.error().message());
      break;
    }
    if (!next->has_value()) {
      break;
    }
    importers::Item& item = **next;
    if (item.kind == importers::Item::Kind::kSkipped) {
      ++counts_.skipped[item.skip_kind];
      observer.Skipped(item);
      continue;
    }
    if (options_.prepare) {
      if (core::Status prepared = options_.prepare(item); !prepared.ok()) {
        FinishRun(observer);
        return prepared;
      }
    }
    // The export's media go with their message: the ingest service stores them encrypted in
    // the attachment store, in the message's own transaction (model::Attachment::content).
    for (std::size_t i = 0; i < item.attachments.size() && i < item.message.attachments.size();
         ++i) {
      if (std::optional<std::string>& bytes = item.attachments[i].bytes; bytes.has_value()) {
        current_.attachment_bytes += bytes->size();
        item.message.attachments[i].content = std::move(bytes);
      }
    }
    std::string field;
    const core::Status normalised = Normalise(item.message, &field);
    if (!normalised.ok()) {
      RecordBadLine(ordinal, field, WithoutFieldPrefix(field, normalised.message()));
      bad_line_->where = item.position.ToString();
      break;
    }
    current_.messages.push_back(std::move(item.message));
    current_.lines.push_back(ordinal);
    current_.wheres.push_back(item.position.ToString());
    ++read;
    if (current_.messages.size() >= options_.batch ||
        current_.attachment_bytes >= options_.batch_attachment_bytes) {
      Submit();
    }
    observer.Progressed(
        read, static_cast<std::uint64_t>(std::max<std::int64_t>(0, source.bytes_consumed())));
  }
  FinishRun(observer);
  return failure_;
}

void ImportPipeline::Submit() {
  if (!current_.messages.empty() && failure_.ok() && options_.before_submit) {
    // e.g. free disk space fell under the margin: nothing more is submitted, what was is kept.
    if (core::Status ready = options_.before_submit(); !ready.ok()) {
      failure_ = ready;
      watermark_stopped_ = true;
      current_ = Chunk{};
    }
  }
  if (!current_.messages.empty()) {
    // Imported history was sent long ago: verdicts are recorded, nothing is blocked.
    current_.done = ingest_->Submit(std::move(current_.messages), Enforcement::kRecordOnly);
    in_flight_.push_back(std::move(current_));
    current_ = Chunk{};
  }
  while (!in_flight_.empty() &&
         (in_flight_.size() > options_.max_in_flight || Ready(in_flight_.front().done))) {
    DrainOne();
  }
}

void ImportPipeline::DrainOne() {
  Chunk chunk = std::move(in_flight_.front());
  in_flight_.pop_front();
  const std::vector<IngestOutcome> outcomes = chunk.done.get();
  std::int64_t through = 0;
  for (std::size_t i = 0; i < outcomes.size() && i < chunk.lines.size(); ++i) {
    const IngestOutcome& o = outcomes[i];
    switch (o.status) {
      case IngestStatus::kAccepted:
      case IngestStatus::kBlocked:  // stored (as blocked); not with kRecordOnly anyway
        ++counts_.imported;
        break;
      case IngestStatus::kDuplicate:
        ++counts_.duplicates;
        break;
      case IngestStatus::kRejected:
        RecordBadLine(chunk.lines[i], o.field, WithoutFieldPrefix(o.field, o.error));
        if (i < chunk.wheres.size() && bad_line_->line == chunk.lines[i]) {
          bad_line_->where = chunk.wheres[i];
        }
        watermark_stopped_ = true;
        break;
      case IngestStatus::kFailed:
        if (failure_.ok()) {
          failure_ = core::Unavailable("line " + std::to_string(chunk.lines[i]) +
                                       " could not be committed: " + o.error);
        }
        watermark_stopped_ = true;
        break;
    }
    if (!watermark_stopped_) {
      through = chunk.lines[i];
    }
  }
  if (through > 0) {
    Committed(through);
  }
}

void ImportPipeline::RecordBadLine(std::int64_t line, std::string field, std::string message) {
  ++counts_.rejected;
  if (!bad_line_ || line < bad_line_->line) {
    bad_line_ = BadLine{line, std::move(field), std::move(message), ""};
  }
}

void ImportPipeline::Committed(std::int64_t line) {
  if (line <= committed_through_) {
    return;
  }
  committed_through_ = line;
  if (commit_log_fd_ < 0) {
    return;
  }
  const std::string text = "committed " + std::to_string(line) + "\n";
  if (::write(commit_log_fd_, text.data(), text.size()) != static_cast<ssize_t>(text.size()) ||
      ::fsync(commit_log_fd_) != 0) {
    if (failure_.ok()) {
      failure_ = core::Unavailable("cannot write commit log " + options_.commit_log + ": " +
                                   std::strerror(errno));
    }
  }
}

}  // namespace custos::app
