// SPDX-License-Identifier: Apache-2.0
// The importer framework: what every export-format parser produces and how the CLI consumes it.
//
// A parser is opened on an input (a file, a zip or a directory: importers/bundle.h) and becomes
// a `Source`: a pull-style stream of `Item`s, each either a parsed message (a model::Message,
// which also carries events: edit, delete, reaction, join, leave) or a skipped item with a reason
// kind, both with the `Position` they came from. The import pipeline (app/import_pipeline.h)
// pulls items, normalises them, submits them in chunks to app::IngestService and counts the
// outcomes.
//
// The contract every Source keeps:
//   * Streaming: a Source holds O(one item) of the input in memory, never the whole file.
//   * Order: items come in input order; positions never go backwards.
//   * Stable ids: `message.source` names the format ("whatsapp-export", "telegram-export", ...)
//     and `message.source_id` is derived only from the input's content (the source's own id, or
//     a hash of conversation + time + sender + text + occurrence), so importing the same file
//     twice yields the same keys and the second run stores nothing new.
//   * Bad input: an item that cannot be parsed but does not stop the rest (a corrupt MMS part,
//     an unknown message type) is returned as `Item::Kind::kSkipped` with a kind and reason. An
//     input that cannot be read on from here (truncated file, syntax error, invalid UTF-8, bad
//     zip) makes Next() return an error whose message starts with the position
//     ("chat.txt:17: ...", "result.json:3:2: ..."); every item returned before stays valid, so
//     the CLI commits them and reports how far it got. Use BadInput() to build such errors.
//   * Required fields: every kMessage item has source, channel, conversation and from set, and
//     sent_at in UTC microseconds. System lines that are not from a person use
//     `from = kSystemSender` and never a person's name.
//   * Attachments: message.attachments and Item::attachments are parallel (same length, same
//     order). When the bytes are present, `meta.size` and `meta.sha256` (lowercase hex) are set
//     from them; when the export left them out, `missing` is true and bytes is empty.
//
// Thread-safety: a Source is used by one thread at a time.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "core/time.h"
#include "model/message.h"

namespace custos::importers {

// `from` of system lines (group created, member added, encryption notice).
inline constexpr std::string_view kSystemSender = "system";

// Where an item (or an error) is in the input. Lines and columns are 1-based; 0 = not known.
struct Position {
  std::string file;          // the file's name; inside a zip or directory "bundle/entry"
  std::int64_t line = 0;     // line number in `file`
  std::int64_t column = 0;   // column (bytes) in that line
  std::int64_t offset = -1;  // byte offset in `file`; -1 = not known
  std::string item;          // the source's id of the item ("message 42"), when known

  // A position at a line (and column) of `file`.
  static Position AtLine(std::string file, std::int64_t line, std::int64_t column = 0);

  // "file:line:column", "file:line", "file@offset" or "file", plus " (item)" when set.
  std::string ToString() const;
};

// kInvalidArgument whose message is "<position>: <why>", for errors that end a Source.
core::Status BadInput(const Position& where, std::string_view why);

// An attachment as the parser found it. The import stores `bytes` in the archive's encrypted,
// content-addressed attachment store (archive/attachment_store.h) and `meta` in the message record.
struct AttachmentData {
  model::Attachment meta;            // name, mime, size and sha256 (when bytes are known)
  std::optional<std::string> bytes;  // the content, when the export contains it
  bool missing = false;              // the export omitted it ("<Media omitted>", placeholder)
  // Set when the export does contain it but it was not stored (recorded as missing): why, e.g.
  // "VID-1.mp4: 300 MiB, over the 256 MiB limit of one attachment". Reported in the import's
  // summary and its run (directory::ImportRun::attachments_not_stored).
  std::string not_stored;
};

// Fills meta.size and meta.sha256 from `bytes` and keeps the bytes.
AttachmentData AttachmentFromBytes(std::string name, std::string mime, std::string bytes);
// An attachment the export names but does not contain.
AttachmentData MissingAttachment(std::string name, std::string mime);
// An attachment the export contains but that is larger than `limit` bytes: missing, with
// `not_stored` saying so.
AttachmentData OversizedAttachment(std::string name, std::string mime, std::int64_t size,
                                   std::int64_t limit);
// A MIME type from a file name's extension ("application/octet-stream" when unknown).
std::string MimeFromName(std::string_view name);

struct Item {
  enum class Kind { kMessage, kSkipped };

  Kind kind = Kind::kMessage;
  Position position;

  // kMessage: the message or event, and its attachments (parallel to message.attachments).
  model::Message message;
  std::vector<AttachmentData> attachments;
  // kMessage: when the sender sent it, by a clock other than message.sent_at's, for matching the
  // copy in the sender's own export (directory/cross_export.h): SMS Backup & Restore's
  // `date_sent` (the network's time) of a received SMS or MMS. 0 = message.sent_at.
  core::Micros sender_time = 0;

  // kSkipped: a short snake_case kind for the summary ("unsupported_type", "corrupt_part",
  // "empty", "invalid_date") and a sentence for the user.
  std::string skip_kind;
  std::string skip_reason;

  static Item Skipped(Position where, std::string kind, std::string reason);
};

// Per-import options, from the command line (`custos import FORMAT PATH --custodian ...`).
struct ImportOptions {
  // The person who exported the data ("self"): their messages are outbound. An identity
  // (E.164 phone, e-mail, handle) or a display name as it appears in the export.
  std::string custodian;
  // Other names/handles that also mean the custodian ("You", "Me", own Telegram id).
  std::vector<std::string> self_identities;
  // The conversation's name when the export does not carry one (WhatsApp) or to override it.
  std::string chat_name;
  // ISO 3166 region for phone numbers written without a country code ("GB").
  std::string default_region = "GB";
  // Time zone offset, in minutes east of UTC, of exports whose times are local without a zone
  // (WhatsApp; Telegram's `date` when `date_unixtime` is absent). 0 = treat as UTC.
  int utc_offset_minutes = 0;

  // True when `name` is the custodian or one of self_identities (exact match).
  bool IsSelf(std::string_view name) const;
};

// A stream of items from one input. See the contract at the top of this file.
class Source {
 public:
  virtual ~Source() = default;

  // The next item; std::nullopt at the end of the input. An error ends the stream (see above).
  virtual core::Result<std::optional<Item>> Next() = 0;

  // Bytes of the input consumed so far and in total (-1 when unknown), for the progress bar.
  virtual std::int64_t bytes_consumed() const = 0;
  virtual std::int64_t bytes_total() const = 0;

  // The sender names the export uses, for sources that name people rather than give handles
  // (WhatsApp, from its first pass), sorted; empty for the others. The CLI asks who they are
  // when it runs on a terminal (cli/import_prompt.h).
  virtual std::vector<std::string> SenderNames() const { return {}; }
};

}  // namespace custos::importers
