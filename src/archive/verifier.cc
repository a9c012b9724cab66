// SPDX-License-Identifier: Apache-2.0
#include "archive/verifier.h"

#include <map>
#include <optional>
#include <utility>

#include <nlohmann/json.hpp>

#include "archive/merkle_log.h"
#include "archive/records.h"
#include "archive/sql/records.h"
#include "archive/sql/verify.h"
#include "archive/verifier_internal.h"
#include "core/text.h"
#include "crypto/crypto.h"
#include "crypto/merkle.h"

namespace custos::archive {
namespace {

using Json = nlohmann::json;
using internal::CheckpointChecker;
using internal::Problems;

constexpr std::uint64_t kChunk = 2048;

std::string RecordSubject(std::int64_t id) { return "record " + std::to_string(id); }

std::string NodeSubject(int level, std::uint64_t idx) {
  return "merkle node (" + std::to_string(level) + ", " + std::to_string(idx) + ")";
}

struct RecordRow {
  std::int64_t id = 0;
  std::string kind;
  core::Micros created_at = 0;
  std::string leaf_hash;
  crypto::Envelope envelope;
  bool disposed = false;
};

// Checks the canonical envelope of record `r` (its cleartext columns are not covered by the
// encryption, so they are compared with the sealed bytes). Returns the parsed record.
std::optional<Json> CheckEnvelope(const std::string& bytes, const RecordRow& r,
                                  Problems& problems) {
  Json j = Json::parse(bytes, nullptr, /*allow_exceptions=*/false);
  const std::string subject = RecordSubject(r.id);
  if (!j.is_object() || !j.contains("v") || !j.contains("id") || !j.contains("kind") ||
      !j.contains("at") || !j.contains("body") || !j.at("body").is_object()) {
    problems.Add(subject, "its decrypted bytes are not a canonical record envelope", r.id);
    return std::nullopt;
  }
  if (j.at("v") != 1 || j.at("id") != r.id) {
    problems.Add(
        subject,
        "its canonical bytes carry version " + j.at("v").dump() + " and id " + j.at("id").dump(),
        r.id);
  }
  if (j.at("kind") != r.kind) {
    problems.Add(subject,
                 "its kind column says \"" + r.kind + "\" but its canonical bytes say " +
                     j.at("kind").dump(),
                 r.id);
  }
  if (j.at("at") != core::FormatRfc3339(r.created_at)) {
    problems.Add(subject,
                 "its created_at column differs from the canonical \"at\" " + j.at("at").dump(),
                 r.id);
  }
  return j;
}

// The body's message_id of a message record.
std::optional<std::int64_t> BodyMessageId(const RecordRow& r, const Json& record) {
  const Json& body = record.at("body");
  if (r.kind == "message" && body.contains("message_id") &&
      body.at("message_id").is_number_integer()) {
    return body.at("message_id").get<std::int64_t>();
  }
  return std::nullopt;
}

// One verification run: streams the log in chunks of kChunk leaves.
class Run {
 public:
  Run(storage::Transaction& tx, const crypto::KeyRing& keys, const crypto::NoteVerifier& verifier,
      const VerifyOptions& options, VerifyReport& report)
      : tx_(tx),
        keys_(keys),
        options_(options),
        report_(report),
        problems_(report, options.max_problems),
        checkpoints_(tx, verifier, problems_, report),
        derived_(tx, keys, problems_, report, options) {}

  core::Status Execute() {
    const core::Micros start = core::SteadyNowMicros();
    ASSIGN_OR_RETURN(const std::int64_t max_record, sql::MaxRecordId(tx_));
    ASSIGN_OR_RETURN(const std::uint64_t leaves, LogSize(tx_));
    total_ = std::max(static_cast<std::uint64_t>(std::max<std::int64_t>(max_record, 0)), leaves);
    report_.records = total_;
    RETURN_IF_ERROR(internal::CheckDatabaseFile(tx_, problems_));
    RETURN_IF_ERROR(derived_.Begin());
    RETURN_IF_ERROR(checkpoints_.CheckUpTo(0, frontier_));
    std::uint64_t last_progress = 0;
    for (std::uint64_t a = 0; a < total_; a += kChunk) {
      RETURN_IF_ERROR(Chunk(a, std::min(a + kChunk, total_)));
      const std::uint64_t done = std::min(a + kChunk, total_);
      if (options_.progress && done - last_progress >= options_.progress_every) {
        options_.progress({done, total_, core::SteadyNowMicros() - start});
        last_progress = done;
      }
    }
    report_.root_hash = frontier_.Root();
    RETURN_IF_ERROR(checkpoints_.CheckRest(total_));
    RETURN_IF_ERROR(internal::CheckBeyondLog(tx_, total_, problems_));
    RETURN_IF_ERROR(derived_.CheckBeyondLog(static_cast<std::int64_t>(total_)));
    RETURN_IF_ERROR(derived_.Finish());
    RETURN_IF_ERROR(internal::CheckAttachments(tx_, keys_, problems_, report_));
    report_.elapsed_micros = core::SteadyNowMicros() - start;
    if (options_.progress) {
      options_.progress({total_, total_, report_.elapsed_micros});
    }
    return core::Status::Ok();
  }

 private:
  // Verifies leaves [a, b), i.e. records a + 1 .. b.
  core::Status Chunk(std::uint64_t a, std::uint64_t b) {
    std::map<std::int64_t, RecordRow> records;
    RETURN_IF_ERROR(sql::EachRecordInRange(
        tx_, static_cast<std::int64_t>(a), static_cast<std::int64_t>(b),
        [&records](const storage::Row& r) {
          records[r.Int(0)] =
              RecordRow{r.Int(0),
                        r.Text(1),
                        r.Int(2),
                        r.Text(3),
                        crypto::Envelope{static_cast<int>(r.Int(4)), r.Text(5), r.Text(6)},
                        r.Int(7) != 0};
          return true;
        }));
    ASSIGN_OR_RETURN(nodes_, internal::LoadNodes(tx_, a, b));
    RETURN_IF_ERROR(
        derived_.LoadChunk(static_cast<std::int64_t>(a) + 1, static_cast<std::int64_t>(b)));
    for (std::uint64_t i = a; i < b; ++i) {
      const auto id = static_cast<std::int64_t>(i + 1);
      const auto rec = records.find(id);
      const RecordRow* row = rec == records.end() ? nullptr : &rec->second;
      std::optional<Json> parsed;
      std::string canonical;
      std::string leaf = Leaf(row, &parsed, &canonical);
      if (row == nullptr) {
        problems_.Add(RecordSubject(id), "is missing: the log has a leaf for it but no record row",
                      id);
      }
      const std::optional<std::int64_t> message_id =
          row != nullptr && parsed ? BodyMessageId(*row, *parsed) : std::nullopt;
      const storage::Row* msg = derived_.MessageRow(id);
      const std::int64_t message = msg != nullptr ? msg->Int(1) : 0;
      CheckMessageLink(id, row, message_id, msg != nullptr ? &message : nullptr);
      derived_.Check(id, row != nullptr ? &row->kind : nullptr,
                     row != nullptr ? row->created_at : 0, parsed ? &parsed->at("body") : nullptr,
                     row != nullptr && row->disposed);
      if (row != nullptr && row->kind == "message") {
        if (row->disposed) {
          derived_.Disposed(id);
        } else if (parsed) {
          derived_.CheckMessage(id, row->created_at, canonical);
        }
      }
      Append(i, std::move(leaf));
      RETURN_IF_ERROR(checkpoints_.CheckUpTo(i + 1, frontier_));
    }
    return core::Status::Ok();
  }

  // The leaf hash record `rec` contributes (checking it against its bytes); `rec` may be null.
  std::string Leaf(const RecordRow* rec, std::optional<Json>* parsed, std::string* canonical) {
    if (rec == nullptr) {
      return std::string();
    }
    if (rec->disposed) {
      ++report_.disposed;
      return rec->leaf_hash;
    }
    auto bytes = keys_.OpenEnvelope(rec->envelope, RecordPayloadAad(rec->id));
    if (!bytes.has_value()) {
      problems_.Add(RecordSubject(rec->id),
                    "its payload does not decrypt (" + bytes.error().message() + ")", rec->id);
      return rec->leaf_hash;
    }
    ++report_.decrypted;
    *parsed = CheckEnvelope(*bytes, *rec, problems_);
    std::string leaf = crypto::LeafHash(*bytes);
    if (leaf != rec->leaf_hash) {
      problems_.Add(RecordSubject(rec->id),
                    "its leaf_hash column differs from the hash of its canonical bytes", rec->id);
    }
    *canonical = std::move(bytes).value();
    return leaf;
  }

  void CheckMessageLink(std::int64_t id, const RecordRow* rec,
                        std::optional<std::int64_t> body_message_id, const std::int64_t* message) {
    if (message != nullptr) {
      ++report_.messages;
      const std::string subject = "message " + std::to_string(*message);
      if (rec == nullptr) {
        problems_.Add(subject, "points at record " + std::to_string(id) + ", which is missing", id);
      } else if (rec->kind != "message") {
        problems_.Add(
            subject, "points at record " + std::to_string(id) + ", a " + rec->kind + " record", id);
      } else if (body_message_id && *body_message_id != *message) {
        problems_.Add(subject,
                      "points at record " + std::to_string(id) + ", whose body is message " +
                          std::to_string(*body_message_id),
                      id);
      }
    } else if (rec != nullptr && rec->kind == "message") {
      problems_.Add(RecordSubject(id), "is a message record but no messages row points at it", id);
    }
  }

  // Appends leaf `i` (checked against the stored leaf) and checks the interior nodes it closes.
  void Append(std::uint64_t i, std::string leaf) {
    const auto id = static_cast<std::int64_t>(i + 1);
    const auto stored = nodes_.find({0, i});
    if (stored == nodes_.end()) {
      problems_.Add(RecordSubject(id), "its leaf is missing from the log (merkle_nodes)", id);
      if (leaf.empty()) {
        leaf.assign(crypto::kSha256Bytes, '\0');  // neither record nor leaf: the tree is broken
      }
    } else {
      ++report_.merkle_nodes;
      if (leaf.empty()) {
        leaf = stored->second;
      } else if (stored->second != leaf) {
        problems_.Add(RecordSubject(id), "the log's leaf (merkle_nodes level 0) differs from it",
                      id);
      }
    }
    frontier_.Append(leaf);
    std::string hash = std::move(leaf);
    int level = 0;
    for (std::uint64_t j = i; (j & 1U) == 1; j >>= 1) {
      hash = crypto::NodeHash(stack_.back(), hash);
      stack_.pop_back();
      ++level;
      CheckNode(level, j >> 1, hash, id);
    }
    stack_.push_back(std::move(hash));
  }

  void CheckNode(int level, std::uint64_t idx, const std::string& hash, std::int64_t last_id) {
    const auto stored = nodes_.find({level, idx});
    const std::int64_t first_id = last_id - (std::int64_t{1} << level) + 1;
    if (stored == nodes_.end()) {
      problems_.Add(NodeSubject(level, idx), "is missing", 0);
      return;
    }
    ++report_.merkle_nodes;
    if (stored->second != hash) {
      problems_.Add(NodeSubject(level, idx),
                    "differs from the tree rebuilt from records " + std::to_string(first_id) +
                        ".." + std::to_string(last_id),
                    0);
    }
  }

  storage::Transaction& tx_;
  const crypto::KeyRing& keys_;
  const VerifyOptions& options_;
  VerifyReport& report_;
  Problems problems_;
  CheckpointChecker checkpoints_;
  internal::DerivedChecker derived_;
  std::uint64_t total_ = 0;
  crypto::MerkleFrontier frontier_;
  std::vector<std::string> stack_;  // roots of complete subtrees, for checking interior nodes
  internal::NodeMap nodes_;         // stored nodes the current chunk closes
};

}  // namespace

core::Status VerifyReport::status() const {
  if (ok()) {
    return core::Status::Ok();
  }
  std::string message =
      "integrity check failed: " + problems.front().subject + ": " + problems.front().problem;
  if (problem_count > 1) {
    message += " (and " + std::to_string(problem_count - 1) + " more problems)";
  }
  return core::DataLoss(message);
}

core::Result<VerifyReport> VerifyArchive(storage::Transaction& tx, const crypto::KeyRing& keys,
                                         const crypto::NoteVerifier& verifier,
                                         const VerifyOptions& options) {
  VerifyReport report;
  Run run(tx, keys, verifier, options, report);
  RETURN_IF_ERROR(run.Execute());
  return report;
}

std::string VerifyReportJson(const VerifyReport& report) {
  Json problems = Json::array();
  for (const VerifyProblem& p : report.problems) {
    problems.push_back(
        {{"subject", p.subject}, {"problem", p.problem}, {"record_id", p.record_id}});
  }
  const Json j = {{"ok", report.ok()},
                  {"records", report.records},
                  {"decrypted", report.decrypted},
                  {"disposed", report.disposed},
                  {"merkle_nodes", report.merkle_nodes},
                  {"checkpoints", report.checkpoints},
                  {"messages", report.messages},
                  {"attachments", report.attachments},
                  {"attachments_shredded", report.attachments_shredded},
                  {"derived_rows", report.derived_rows},
                  {"root_hash", core::HexEncode(report.root_hash)},
                  {"problem_count", report.problem_count},
                  {"problems", problems},
                  {"elapsed_seconds", static_cast<double>(report.elapsed_micros) / 1e6}};
  return j.dump();
}

}  // namespace custos::archive
