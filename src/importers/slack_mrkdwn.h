// SPDX-License-Identifier: Apache-2.0
// Slack message text to plain text: mrkdwn tokens resolved against the workspace directory
// (<@U123> -> @alice, <#C123|general> -> #general, <!here> -> @here, <url|label> -> label (url),
// &amp;/&lt;/&gt; unescaped), and the text of rich_text `blocks` for messages whose `text` is
// empty. Pure functions.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "importers/slack_workspace.h"

namespace custos::importers {

std::string ResolveSlackMrkdwn(std::string_view text, const SlackWorkspace& ws);

// The plain text of a `blocks` array (rich_text sections, lists, quotes, preformatted).
std::string SlackBlocksText(const nlohmann::json& blocks, const SlackWorkspace& ws);

}  // namespace custos::importers
