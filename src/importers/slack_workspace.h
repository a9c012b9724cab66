// SPDX-License-Identifier: Apache-2.0
// The directory part of a Slack workspace export: who is who (users.json, org_users.json) and
// which conversations exist (channels.json, groups.json, dms.json, mpims.json), each with the
// folder that holds its per-day files. Read once, before the messages (docs/formats/slack.md).
// Thread-safety: immutable after LoadSlackWorkspace.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/status.h"
#include "importers/bundle.h"

namespace custos::importers {

struct SlackUser {
  std::string id;     // "U024BE7LH"
  std::string name;   // the display name used when resolving <@U…> ("alice")
  std::string email;  // profile.email, when the export has it

  std::string Identity() const { return email.empty() ? id : email; }
};

struct SlackConversation {
  enum class Kind { kChannel, kGroup, kDm, kMpim };
  Kind kind = Kind::kChannel;
  std::string id;                    // "C024BE91L"; the conversation key
  std::string name;                  // "general"; empty for DMs
  std::string folder;                // bundle path of its per-day files ("<root>general")
  std::vector<std::string> members;  // user ids
};

struct SlackWorkspace {
  std::string root;  // prefix of every entry ("" or "export-folder/")
  std::map<std::string, SlackUser> users;
  std::vector<SlackConversation> conversations;      // channels, groups, dms, mpims, in that order
  std::map<std::string, std::string> channel_names;  // id -> name, for <#C…> tokens

  const SlackUser* FindUser(const std::string& id) const;
};

// The prefix under which `bundle` has channels.json and users.json, or nullopt.
std::optional<std::string> FindSlackRoot(const Bundle& bundle);

// Reads the metadata files. A file that is absent is simply empty (a public-only export has no
// dms.json); one that is not valid JSON is an error naming the file and byte offset.
core::Result<SlackWorkspace> LoadSlackWorkspace(const Bundle& bundle, const std::string& root);

// Reads and parses a JSON entry that must hold an array (metadata and per-day files are small);
// errors name the entry and the byte offset.
core::Result<nlohmann::json> ParseSlackJsonArray(const Bundle& bundle, const std::string& name);

}  // namespace custos::importers
