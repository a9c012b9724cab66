// SPDX-License-Identifier: Apache-2.0
#include "importers/slack_workspace.h"

#include <nlohmann/json.hpp>

#include "core/json_reader.h"
#include "importers/json_fields.h"

namespace custos::importers {
namespace {

using nlohmann::json;

// Metadata and per-day files are small; a day of one channel beyond this is not an export.
constexpr std::size_t kMaxEntryBytes = std::size_t{512} << 20;

}  // namespace

core::Result<json> ParseSlackJsonArray(const Bundle& bundle, const std::string& name) {
  ASSIGN_OR_RETURN(std::string text, bundle.ReadEntry(name, kMaxEntryBytes));
  core::JsonLimits limits = core::kImportJsonLimits;
  limits.max_bytes = kMaxEntryBytes;
  ASSIGN_OR_RETURN(json j, core::ParseJson(text, limits, bundle.DisplayName(name)));
  if (!j.is_array()) {
    return core::InvalidArgument(bundle.DisplayName(name) + ": expected a JSON array");
  }
  return j;
}

namespace {

void AddConversations(const json& list, SlackConversation::Kind kind, const std::string& root,
                      SlackWorkspace& ws) {
  for (const json& c : list) {
    if (!c.is_object()) {
      continue;
    }
    SlackConversation conv;
    conv.kind = kind;
    conv.id = StringField(c, "id");
    conv.name = StringField(c, "name");
    // Channels and groups live in folders named after them, DMs in folders named by id.
    conv.folder = root + (conv.name.empty() ? conv.id : conv.name) + "/";
    if (const auto m = c.find("members"); m != c.end() && m->is_array()) {
      for (const json& id : *m) {
        if (id.is_string()) {
          conv.members.push_back(id.get<std::string>());
        }
      }
    }
    if (conv.id.empty()) {
      continue;
    }
    if (!conv.name.empty()) {
      ws.channel_names[conv.id] = conv.name;
    }
    ws.conversations.push_back(std::move(conv));
  }
}

}  // namespace

const SlackUser* SlackWorkspace::FindUser(const std::string& id) const {
  const auto it = users.find(id);
  return it == users.end() ? nullptr : &it->second;
}

std::optional<std::string> FindSlackRoot(const Bundle& bundle) {
  for (const BundleEntry& e : bundle.entries()) {
    if (BaseName(e.name) != "channels.json") {
      continue;
    }
    const std::string root = e.name.substr(0, e.name.size() - std::string("channels.json").size());
    if (bundle.Find(root + "users.json") != nullptr ||
        bundle.Find(root + "org_users.json") != nullptr) {
      return root;
    }
  }
  return std::nullopt;
}

core::Result<SlackWorkspace> LoadSlackWorkspace(const Bundle& bundle, const std::string& root) {
  SlackWorkspace ws;
  ws.root = root;
  for (const char* file : {"users.json", "org_users.json"}) {
    if (bundle.Find(root + file) == nullptr) {
      continue;
    }
    ASSIGN_OR_RETURN(json users, ParseSlackJsonArray(bundle, root + file));
    for (const json& u : users) {
      if (!u.is_object() || StringField(u, "id").empty()) {
        continue;
      }
      SlackUser user;
      user.id = StringField(u, "id");
      const json profile = u.value("profile", json::object());
      for (const std::string& n :
           {StringField(profile, "display_name"), StringField(profile, "real_name"),
            StringField(u, "real_name"), StringField(u, "name")}) {
        if (user.name.empty() && !n.empty()) {
          user.name = n;
        }
      }
      user.email = StringField(profile, "email");
      ws.users[user.id] = std::move(user);
    }
  }
  const std::pair<const char*, SlackConversation::Kind> kFiles[] = {
      {"channels.json", SlackConversation::Kind::kChannel},
      {"groups.json", SlackConversation::Kind::kGroup},
      {"dms.json", SlackConversation::Kind::kDm},
      {"mpims.json", SlackConversation::Kind::kMpim},
  };
  for (const auto& [file, kind] : kFiles) {
    if (bundle.Find(root + file) == nullptr) {
      continue;
    }
    ASSIGN_OR_RETURN(json list, ParseSlackJsonArray(bundle, root + file));
    AddConversations(list, kind, root, ws);
  }
  return ws;
}

}  // namespace custos::importers
