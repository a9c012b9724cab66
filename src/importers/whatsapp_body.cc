// SPDX-License-Identifier: Apache-2.0
#include "importers/whatsapp_body.h"

#include <array>
#include <cctype>

#include "core/text.h"

namespace custos::importers::whatsapp {
namespace {

// Removes U+200E/U+200F anywhere and trims ASCII space.
std::string Clean(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s.substr(i, 3) == "\xE2\x80\x8E" || s.substr(i, 3) == "\xE2\x80\x8F") {
      i += 2;
      continue;
    }
    out += s[i];
  }
  return std::string(core::TrimAscii(out));
}

constexpr std::array<std::string_view, 8> kFileAttached = {
    "(file attached)",   "(Datei angehängt)", "(archivo adjunto)",    "(fichier joint)",
    "(arquivo anexado)", "(file allegato)",   "(bestand bijgevoegd)", "(plik załączony)",
};

constexpr std::array<std::string_view, 13> kOmitted = {
    "<Media omitted>", "<Medien ausgeschlossen>", "<Multimedia omitido>", "<Médias omis>",
    "<Mídia oculta>",  "<Media weggelaten>",      "<Media omessi>",       "image omitted",
    "video omitted",   "audio omitted",           "sticker omitted",      "document omitted",
    "GIF omitted",
};

constexpr std::string_view kLrm = "\xE2\x80\x8E";

// What WhatsApp writes, after a U+200E, in place of a person's own message (iOS, English).
constexpr std::array<std::string_view, 13> kPersonNotices = {
    "This message was deleted",
    "You deleted this message",
    "Missed voice call",
    "Missed video call",
    "Missed group",
    "Voice call",
    "Video call",
    "Location: ",
    "Live location",
    "Contact card omitted",
    "POLL:",
    "Waiting for this message",
    "<This message was edited>",
};

// Phrases of WhatsApp's own lines (iOS, English), after a U+200E.
constexpr std::array<std::string_view, 22> kSystemPhrases = {
    "end-to-end encrypted",
    " created group",
    " created this group",
    " added ",
    "added you",
    "You were added",
    " joined using",
    " left",
    " removed ",
    "changed the subject",
    "changed the group",
    "changed this group",
    "security code",
    "changed their phone number",
    "changed to +",
    "now an admin",
    "disappearing messages",
    "pinned a message",
    "deleted this group",
    "blocked this contact",
    "Messages to this group",
    "is a business",
};

bool Contains(std::string_view hay, std::string_view needle) {
  return hay.find(needle) != std::string_view::npos;
}

}  // namespace

std::optional<Authored> SplitAuthor(std::string_view rest, const std::set<std::string>& known) {
  // A known author that is followed by ':' (longest first: "A: B" before "A").
  std::optional<Authored> best;
  for (std::size_t p = rest.find(':'); p != std::string_view::npos; p = rest.find(':', p + 1)) {
    if (known.count(std::string(rest.substr(0, p))) != 0) {
      std::string_view text = rest.substr(p + 1);
      if (!text.empty() && text.front() == ' ') {
        text.remove_prefix(1);
      }
      best = Authored{rest.substr(0, p), text};
    }
  }
  if (best) {
    return best;
  }
  const std::size_t p = rest.find(": ");
  if (p != std::string_view::npos && p > 0) {
    return Authored{rest.substr(0, p), rest.substr(p + 2)};
  }
  if (!rest.empty() && rest.back() == ':' && rest.find(':') == rest.size() - 1) {
    return Authored{rest.substr(0, rest.size() - 1), ""};  // "Name:" with an empty body
  }
  return std::nullopt;
}

void AuthorGuesser::AddKnown(const std::string& name) {
  if (!name.empty() && known_.size() < max_) {
    known_.insert(name);
  }
}

void AuthorGuesser::Add(std::string_view rest) {
  const std::optional<Authored> a = SplitAuthor(rest, {});
  if (!a) {
    return;
  }
  auto it = seen_.find(a->name);
  if (it == seen_.end()) {
    if (seen_.size() >= max_) {
      return;
    }
    it = seen_.emplace(std::string(a->name), Seen{}).first;
  }
  const std::size_t colon = a->text.find(": ");
  std::string_view next =
      colon == std::string_view::npos || colon == 0 ? std::string_view() : a->text.substr(0, colon);
  // Not a name's part: markers ("<attached: ...", U+200E) and URLs ("https: ...").
  if (next.find_first_of("<>(") != std::string_view::npos || Contains(next, "\xE2\x80\x8E") ||
      next == "http" || next == "https") {
    next = {};
  }
  Seen& s = it->second;
  if (s.lines++ == 0) {
    s.next = std::string(next);
  } else if (s.next != next) {
    s.next.clear();
  }
}

std::set<std::string> AuthorGuesser::Authors() const {
  std::set<std::string> out = known_;
  for (const auto& [name, s] : seen_) {
    out.insert(name);
    if (s.lines >= 2 && !s.next.empty()) {
      out.insert(name + ": " + s.next);
    }
  }
  return out;
}

std::optional<Marker> FindMarker(std::string_view raw) {
  const std::string body = Clean(raw);
  // The marker is on the body's first line; later lines are a caption.
  const std::size_t nl = body.find('\n');
  const std::string first = body.substr(0, nl);
  const std::string caption =
      nl == std::string::npos ? "" : std::string(core::TrimAscii(body.substr(nl + 1)));
  Marker m;
  if (std::size_t at = first.find("<attached: "); at != std::string::npos) {
    const std::size_t close = first.find('>', at);
    if (close != std::string::npos) {
      m.file_name = std::string(core::TrimAscii(first.substr(at + 11, close - at - 11)));
      m.remaining = std::string(core::TrimAscii(first.substr(0, at) + first.substr(close + 1)));
      if (!caption.empty()) {
        m.remaining += (m.remaining.empty() ? "" : "\n") + caption;
      }
      return m;
    }
  }
  for (std::string_view suffix : {std::string_view("<attached>"), std::string_view("<anexado>")}) {
    if (first.size() > suffix.size() && first.ends_with(suffix)) {
      m.file_name = std::string(core::TrimAscii(first.substr(0, first.size() - suffix.size())));
      m.remaining = caption;
      return m;
    }
  }
  for (std::string_view suffix : kFileAttached) {
    if (first.size() > suffix.size() && first.ends_with(suffix)) {
      m.file_name = std::string(core::TrimAscii(first.substr(0, first.size() - suffix.size())));
      m.remaining = caption;
      return m;
    }
  }
  for (std::string_view omitted : kOmitted) {
    if (first == omitted) {
      m.omitted = true;
      m.remaining = caption;
      return m;
    }
  }
  return std::nullopt;
}

std::optional<std::string> IosSystemText(std::string_view rest, std::string_view chat,
                                         const std::set<std::string>& known) {
  if (rest.find(kLrm) == std::string_view::npos) {
    return std::nullopt;  // most lines: no split needed
  }
  std::string_view text;
  bool from_chat = false;
  if (!chat.empty() && rest.size() > chat.size() && rest.starts_with(chat) &&
      rest[chat.size()] == ':') {
    text = rest.substr(chat.size() + 1);
    from_chat = true;
  } else if (const std::optional<Authored> a = SplitAuthor(rest, known)) {
    text = a->text;
  } else {
    return std::nullopt;
  }
  if (!text.empty() && text.front() == ' ') {
    text.remove_prefix(1);
  }
  if (!text.starts_with(kLrm) || FindMarker(text)) {
    return std::nullopt;
  }
  std::string clean = Clean(text);
  for (std::string_view p : kPersonNotices) {
    if (clean.starts_with(p)) {
      return std::nullopt;
    }
  }
  if (from_chat) {
    return clean;
  }
  for (std::string_view p : kSystemPhrases) {
    if (Contains(clean, p)) {
      return clean;
    }
  }
  return std::nullopt;
}

model::EventKind SystemLineKind(std::string_view line) {
  for (std::string_view w : {" added ", " joined", "You were added", " created group",
                             " created this group", " was added"}) {
    if (Contains(line, w)) {
      return model::EventKind::kJoin;
    }
  }
  for (std::string_view w : {" left", " removed "}) {
    if (Contains(line, w)) {
      return model::EventKind::kLeave;
    }
  }
  return model::EventKind::kMessage;
}

std::string NormaliseSender(std::string_view raw) {
  const std::string name = Clean(raw);
  if (name.size() < 2 || name.front() != '+') {
    return name;
  }
  std::string digits = "+";
  for (std::size_t i = 1; i < name.size(); ++i) {
    const auto c = static_cast<unsigned char>(name[i]);
    if (std::isdigit(c) != 0) {
      digits += name[i];
    } else if (c != ' ' && c != '-' && c != '(' && c != ')' && c != 0xC2 && c != 0xA0) {
      return name;
    }
  }
  return digits.size() >= 4 ? digits : name;
}

}  // namespace custos::importers::whatsapp
