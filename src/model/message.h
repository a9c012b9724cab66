// SPDX-License-Identifier: Apache-2.0
// The plain value types every source produces and every consumer reads: Message (which also
// carries events: edit, delete, reaction, join, leave), Attachment, Direction. No I/O here.
// Thread-safety: plain values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "core/time.h"

namespace custos::model {

enum class Direction { kInbound, kOutbound, kInternal };

std::string_view DirectionName(Direction d);
core::Result<Direction> ParseDirection(std::string_view s);

// What a record is: an ordinary message or an event about one (or about the conversation).
enum class EventKind { kMessage, kEdit, kDelete, kReaction, kJoin, kLeave };

std::string_view EventKindName(EventKind k);
core::Result<EventKind> ParseEventKind(std::string_view s);

// The channels custos knows. Unknown channels are rejected at the edge.
bool IsKnownChannel(std::string_view channel);
std::string_view KnownChannelsList();  // "whatsapp, sms, ..." for error messages

struct Attachment {
  std::string name;
  std::string mime;
  std::int64_t size = 0;
  std::string sha256;  // lowercase hex of the content hash
  // Where the content lives when the source only refers to it (a Slack file's url_private);
  // empty otherwise.
  std::string url = std::string();  // (initialised: brace-initialised Attachments may leave it out)
  // The bytes, when they come with the message (JSONL `content_base64`, an export's media):
  // the ingest service stores them encrypted in the attachment store in the message's own
  // transaction and drops them; never part of a record.
  std::optional<std::string> content = std::nullopt;

  bool operator==(const Attachment&) const = default;
};

struct Message {
  // Assigned by the archive at commit; 0 before.
  std::int64_t id = 0;
  // The archive's conversation id, filled on commit and on every read; 0 before.
  std::int64_t conversation_id = 0;
  // The id of the message's record in the log (docs/formats/records.md), filled on commit and
  // on every read; 0 before. Not the message id: records of other kinds share the sequence.
  std::int64_t record_id = 0;

  std::string source;        // e.g. "whatsapp-export", "twilio", "jsonl"
  std::string source_id;     // the source's own id; empty when it has none
  std::string channel;       // whatsapp, sms, telegram, imessage, slack, ...
  std::string conversation;  // the source's conversation key
  std::string from;          // sender identity (E.164 phone, e-mail, handle)
  std::vector<std::string> to;
  core::Micros sent_at = 0;
  Direction direction = Direction::kInbound;
  std::string text;
  std::vector<Attachment> attachments;

  EventKind kind = EventKind::kMessage;
  // For edit/delete/reaction: the source_id of the message the event is about.
  std::string target_source_id;

  // The source_id of the message this one replies to (a quoted reply, a thread's parent); empty
  // when it is not a reply. Unlike target_source_id it does not make the record an event.
  std::string reply_to;
  // A forwarded message: the original author as the source names them (a name, a handle or a
  // channel); empty when the message was not forwarded. The sender did not write the text.
  std::string forwarded_from;

  // The idempotency namespace of the principal that submitted the message (docs/formats/
  // message-jsonl.md, "Idempotency"): "" for the importers and the demo (history), "api" for an
  // API token, "device:<device id>" for a device credential. Set by the front end, never taken
  // from the message's JSON.
  std::string principal;
  // The enrolled device the message was sent from (the device credential's); "" otherwise.
  std::string device;

  // [principal U+001E] source + source_id, or a content fingerprint when the source has no id
  // (see ingest): nobody can claim the ids of another principal's sources.
  std::string idempotency_key;

  // The import run that brought the message (directory/import_runs.h); 0 for live traffic.
  std::int64_t import_run = 0;

  bool operator==(const Message&) const = default;
};

// Limits applied to every message at the edge.
inline constexpr std::size_t kMaxTextBytes = 1 << 20;  // 1 MiB of text per message
inline constexpr std::size_t kMaxRecipients = 10'000;
inline constexpr std::size_t kMaxAttachments = 1'000;

}  // namespace custos::model
