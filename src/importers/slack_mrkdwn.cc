// SPDX-License-Identifier: Apache-2.0
#include "importers/slack_mrkdwn.h"

#include "importers/json_fields.h"

namespace custos::importers {
namespace {

using nlohmann::json;

std::string UserName(const std::string& id, const SlackWorkspace& ws) {
  const SlackUser* u = ws.FindUser(id);
  return "@" + (u != nullptr && !u->name.empty() ? u->name : id);
}

std::string ChannelName(const std::string& id, const SlackWorkspace& ws) {
  const auto it = ws.channel_names.find(id);
  return "#" + (it != ws.channel_names.end() ? it->second : id);
}

// One <...> token, without the brackets.
std::string ResolveToken(std::string_view token, const SlackWorkspace& ws) {
  const std::size_t bar = token.find('|');
  const std::string target(token.substr(0, bar));
  const std::string label = bar == std::string_view::npos ? "" : std::string(token.substr(bar + 1));
  if (target.starts_with("@")) {
    return label.empty() ? UserName(target.substr(1), ws) : "@" + label;
  }
  if (target.starts_with("#")) {
    return label.empty() ? ChannelName(target.substr(1), ws) : "#" + label;
  }
  if (target.starts_with("!")) {
    if (!label.empty()) {
      return label;  // <!subteam^S1|@desk>, <!date^…|fallback>
    }
    return "@" + target.substr(1);  // <!here>, <!channel>, <!everyone>
  }
  return label.empty() || label == target ? target : label + " (" + target + ")";
}

std::string Unescape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '&') {
      if (s.substr(i).starts_with("&amp;")) {
        out += '&';
        i += 4;
        continue;
      }
      if (s.substr(i).starts_with("&lt;")) {
        out += '<';
        i += 3;
        continue;
      }
      if (s.substr(i).starts_with("&gt;")) {
        out += '>';
        i += 3;
        continue;
      }
    }
    out += s[i];
  }
  return out;
}

void ElementText(const json& e, const SlackWorkspace& ws, std::string& out) {
  if (!e.is_object()) {
    return;
  }
  const std::string type = StringField(e, "type");
  if (type == "text") {
    out += StringField(e, "text");
  } else if (type == "user") {
    out += UserName(StringField(e, "user_id"), ws);
  } else if (type == "channel") {
    out += ChannelName(StringField(e, "channel_id"), ws);
  } else if (type == "link") {
    const std::string url = StringField(e, "url");
    const std::string text = StringField(e, "text");
    out += text.empty() ? url : text + " (" + url + ")";
  } else if (type == "emoji") {
    out += ":" + StringField(e, "name") + ":";
  } else if (type == "broadcast") {
    out += "@" + StringField(e, "range");
  } else if (const auto it = e.find("elements"); it != e.end() && it->is_array()) {
    const bool block = type != "rich_text_section" || !out.empty();
    for (const json& child : *it) {
      const std::size_t before = out.size();
      ElementText(child, ws, out);
      if (block && out.size() > before && StringField(child, "type") != "text" &&
          child.contains("elements") && !out.ends_with("\n")) {
        out += "\n";
      }
    }
  }
}

}  // namespace

std::string ResolveSlackMrkdwn(std::string_view text, const SlackWorkspace& ws) {
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t open = text.find('<', i);
    if (open == std::string_view::npos) {
      out += Unescape(text.substr(i));
      break;
    }
    const std::size_t close = text.find('>', open);
    if (close == std::string_view::npos) {
      out += Unescape(text.substr(i));
      break;
    }
    out += Unescape(text.substr(i, open - i));
    out += Unescape(ResolveToken(text.substr(open + 1, close - open - 1), ws));
    i = close + 1;
  }
  return out;
}

std::string SlackBlocksText(const json& blocks, const SlackWorkspace& ws) {
  std::string out;
  if (!blocks.is_array()) {
    return out;
  }
  for (const json& b : blocks) {
    ElementText(b, ws, out);
  }
  while (out.ends_with("\n")) {
    out.pop_back();
  }
  return out;
}

}  // namespace custos::importers
