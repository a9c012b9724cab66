// SPDX-License-Identifier: Apache-2.0
// The demo data set behind `custos demo seed`: a fictional firm's employees (sales, trading
// and advisory desks) talking to their clients and to each other on WhatsApp, SMS, Telegram
// and Slack over the six weeks before the week of a given day (by default today: the demo is
// recent, so "the last 30 days" shows it), in English mixed with German, French, Spanish,
// Italian and Portuguese. It includes edits, deletions, reactions, joins, attachments, and a
// sprinkling of messages a policy should flag later: payment card numbers (test ranges, valid
// Luhn), IBANs (valid mod-97), promised returns, requests to move to personal phones or other
// apps, and mild offensive language. Everything is generated, nothing copied.
//
// The data set is deterministic for a week and a seed: the same messages, source ids and bytes
// on every machine and every run in the same week (Monday to Sunday, UTC), so seeding twice
// stores everything once and reports the rest as duplicates. Seeding in a later week adds that
// week's data set (Slack ids carry the time, so some messages are new then).
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/time.h"
#include "model/directory.h"
#include "model/message.h"

namespace custos::capture {

// Message::source of every demo message.
inline constexpr std::string_view kDemoSource = "demo";

struct DemoData {
  std::vector<model::Person> people;     // employees first, then clients
  std::vector<model::Message> messages;  // events included, oldest first
};

inline constexpr std::uint64_t kDefaultDemoSeed = 0x0C057050DE30ULL;

struct DemoOptions {
  // Any instant of the week the data set ends before: it covers the six weeks (business days)
  // before the Monday of that week. 0: 2026-10-26 (the week after 2026-09-14 + six weeks).
  core::Micros as_of = 0;
  std::uint64_t seed = kDefaultDemoSeed;
};

// The first day (a Monday, 00:00 UTC) of the data set for `as_of`: six weeks before the Monday
// of its week.
core::Micros DemoFirstDay(core::Micros as_of);

// Generates the data set (about 2,000 records; takes well under a second).
DemoData GenerateDemoData(const DemoOptions& options);
DemoData GenerateDemoData();  // GenerateDemoData({}): the fixed reference weeks

// The content of a demo attachment, `size` bytes that start like a file of type `mime` and
// depend only on `seed`. The SHA-256 of these bytes is the attachment's sha256 (the seed is
// the message's source_id, "/", and the file name).
std::string DemoAttachmentContent(std::string_view seed, std::string_view mime, std::int64_t size);

}  // namespace custos::capture
