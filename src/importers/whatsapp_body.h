// SPDX-License-Identifier: Apache-2.0
// The part of a WhatsApp export line after the header: who sent it, attachment markers and
// what kind of system line it is (docs/formats/whatsapp.md).
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "model/message.h"

namespace custos::importers::whatsapp {

// Splits "Name: text" into name and text. A name may contain ':' — a prefix that is a known
// author wins; otherwise the first ": " splits, then a ':' right after a known author ("Bob:.").
// std::nullopt for a system line (no author).
struct Authored {
  std::string_view name;
  std::string_view text;
};

std::optional<Authored> SplitAuthor(std::string_view rest, const std::set<std::string>& known);

// The authors of a file, from every header's "Name: text" (pass 1). WhatsApp does not quote
// names, so "Desk: Sales: hi" is ambiguous; a name is taken to contain ": " when every one of
// its lines (two or more) continues with the same "Part: " (no "<>(", U+200E or URL scheme in
// it) — "Desk: Sales" then wins over
// "Desk" in SplitAuthor. A name with ':' that occurs once can only be known from outside
// (--custodian and the self identities: Add them with AddKnown).
class AuthorGuesser {
 public:
  explicit AuthorGuesser(std::size_t max_authors) : max_(max_authors) {}

  void AddKnown(const std::string& name);
  // A header's rest ("Name: text" or a system line).
  void Add(std::string_view rest);
  std::set<std::string> Authors() const;

 private:
  struct Seen {
    int lines = 0;
    std::string next;  // the "Part" every line continued with; "" when they differ
  };

  std::size_t max_;
  std::set<std::string> known_;
  std::map<std::string, Seen, std::less<>> seen_;
};

// An attachment marker found in a message body.
struct Marker {
  std::string file_name;  // "" when the export names no file ("<Media omitted>")
  bool omitted = false;   // the export says the media was left out
  std::string remaining;  // the body without the marker (a caption), trimmed
};

// Recognises "<attached: NAME>", "NAME (file attached)" and its translations, "NAME <attached>",
// "<Media omitted>" and its translations, "image omitted" etc. std::nullopt when none.
std::optional<Marker> FindMarker(std::string_view body);

// iOS writes a system line as a message from the chat's name with U+200E before the text:
// "[1/2/24, 09:00:01] Desk EMEA: \u200EAnna added Ben" (a one-to-one chat: the contact's name).
// Returns the system text (U+200E removed) when `rest` is one: the author is `chat` and the text
// is no attachment marker and no notice a person's message becomes ("This message was deleted",
// "Missed voice call", a location, a poll), or the text is a known system phrase whoever the
// author ("... added ...", "... end-to-end encrypted", "... changed the subject ..."); a person
// never types the U+200E. std::nullopt otherwise.
std::optional<std::string> IosSystemText(std::string_view rest, std::string_view chat,
                                         const std::set<std::string>& known);

// The event kind of a system line: kJoin ("added", "joined", "created group"), kLeave ("left",
// "removed"), otherwise kMessage (an encryption notice, a subject change).
model::EventKind SystemLineKind(std::string_view line);

// "+44 7700 900123" -> "+447700900123" when `name` is a phone number as WhatsApp prints one;
// otherwise `name` unchanged.
std::string NormaliseSender(std::string_view name);

}  // namespace custos::importers::whatsapp
