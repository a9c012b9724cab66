// SPDX-License-Identifier: Apache-2.0
// The demo data set behind `custos demo seed`: a fictional firm's employees (sales, trading
// and advisory desks) talking to their clients and to each other on WhatsApp, SMS, Telegram
// and Slack over six weeks before 2026-11-01, in English mixed with German, French, Spanish,
// Italian and Portuguese. It includes edits, deletions, reactions, joins, attachments, and a
// sprinkling of messages a policy should flag later: payment card numbers (test ranges, valid
// Luhn), IBANs (valid mod-97), promised returns, requests to move to personal phones or other
// apps, and mild offensive language. Everything is generated, nothing copied.
//
// The data set is deterministic: the same messages, source ids and bytes on every machine and
// every run, so seeding twice stores everything once and reports the rest as duplicates.
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "model/directory.h"
#include "model/message.h"

namespace custos::capture {

// Message::source of every demo message.
inline constexpr std::string_view kDemoSource = "demo";

struct DemoData {
  std::vector<model::Person> people;     // employees first, then clients
  std::vector<model::Message> messages;  // events included, oldest first
};

// Generates the data set (about 2,000 records; takes well under a second).
DemoData GenerateDemoData();

// The content of a demo attachment, `size` bytes that start like a file of type `mime` and
// depend only on `seed`. The SHA-256 of these bytes is the attachment's sha256 (the seed is
// the message's source_id, "/", and the file name).
std::string DemoAttachmentContent(std::string_view seed, std::string_view mime, std::int64_t size);

}  // namespace custos::capture
